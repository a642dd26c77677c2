"""Every figure of the portfolio names the projects behind it: `projects(filter:)` with the
portfolio's filter and the figure's own condition lists exactly as many as it counts."""

from __future__ import annotations

from typing import Any

from inset.accounts.models import TokenScope

FIGURES = """
query Figures($filter: ProjectFilter) {
  portfolio(filter: $filter) {
    projectCount
    byTheme { key count }
    byRegion { key count }
    evidenceLevels { key count }
    conversion {
      fromStage entered passedCount stoppedCount recycledCount onHoldCount stillThereCount
      passed stopped recycled onHold stillThere
    }
    entries(interval: QUARTER) { start end byStage { stage count } }
    stalled(days: 30) { totalCount }
    quietAtScale(days: 30) { totalCount }
  }
}
"""

COUNT = """
query Count($filter: ProjectFilter) { projects(filter: $filter) { totalCount } }
"""

OUTCOMES = {
    "ENTERED": "entered",
    "PASSED": "passedCount",
    "STOPPED": "stoppedCount",
    "RECYCLED": "recycledCount",
    "ON_HOLD": "onHoldCount",
    "STILL_THERE": "stillThereCount",
}


async def listed(api: Any, token: str, base: dict[str, Any], **more: Any) -> int:
    data = await api.data(COUNT, {"filter": {**base, **more}}, token=token)
    count: int = data["projects"]["totalCount"]
    return count


async def check_every_figure(api: Any, token: str, base: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(FIGURES, {"filter": base}, token=token)
    p = data["portfolio"]
    assert await listed(api, token, base) == p["projectCount"]
    for group in p["byTheme"]:
        assert await listed(api, token, base, withTheme=group["key"]) == group["count"]
    for group in p["byRegion"]:
        assert await listed(api, token, base, regions=[group["key"]]) == group["count"]
    for group in p["evidenceLevels"]:
        levels = [int(group["key"])]
        assert await listed(api, token, base, evidenceLevels=levels) == group["count"]
    for gate in p["conversion"]:
        outcomes = [gate[OUTCOMES[o]] for o in OUTCOMES if o != "ENTERED"]
        assert sum(outcomes) == gate["entered"]
        if gate["entered"]:
            shares = [gate[k] for k in ("passed", "stopped", "recycled", "onHold", "stillThere")]
            assert round(sum(shares), 3) == 1.0
        for outcome, field in OUTCOMES.items():
            gate_filter = {"stage": gate["fromStage"], "outcome": outcome}
            assert await listed(api, token, base, gate=gate_filter) == gate[field]
    for quarter in p["entries"]:
        for entry in quarter["byStage"]:
            # the quarter within the portfolio's own period
            period = {
                "from": max(quarter["start"], base.get("from", quarter["start"])),
                "to": min(quarter["end"], base.get("to", quarter["end"])),
            }
            n = await listed(api, token, {**base, **period}, enteredStage=entry["stage"])
            assert n == entry["count"]
    active = {"statuses": ["ACTIVE"], "noDecisionForDays": 30}
    before_scale = ["IDEA", "PILOT", "EVALUATION"]
    stalled = await listed(api, token, base, stages=before_scale, **active)
    assert stalled == p["stalled"]["totalCount"]
    quiet = await listed(api, token, base, stages=["SCALE"], **active)
    assert quiet == p["quietAtScale"]["totalCount"]
    return p


async def test_each_figure_lists_as_many_projects_as_it_counts(api, world, fixed):
    token = world.token(fixed.staff, TokenScope.READ)

    whole = await check_every_figure(api, token, {})
    half_year = await check_every_figure(api, token, {"from": "2025-01-01", "to": "2025-06-30"})
    edge = await check_every_figure(api, token, {"themes": [fixed.edge]})

    assert whole["projectCount"] == 4
    assert half_year["projectCount"] == 3  # P3 was stopped in 2024
    assert edge["projectCount"] == 2
    # P1 is under both themes: the theme counts add up to more than the projects
    assert sum(g["count"] for g in whole["byTheme"]) == 5


async def test_a_member_lists_only_what_they_may_read(api, world, fixed):
    token = world.token(fixed.member_c, TokenScope.READ)

    seen = await check_every_figure(api, token, {})

    assert seen["projectCount"] == 3  # not P2, PRIVATE to A


async def test_a_period_that_ends_before_it_starts_is_refused_naming_the_field(api, world, fixed):
    token = world.token(fixed.staff, TokenScope.READ)

    body = await api.gql(COUNT, {"filter": {"from": "2025-02-01", "to": "2025-01-31"}}, token=token)

    assert body["data"] is None
    assert "must end on or after it starts (2025-02-01)" in body["errors"][0]["message"]
