"""The portfolio through the GraphQL API: the service's figures, as each viewer may read them,
the projects' own economics added up, and a fixed number of statements whatever the size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import statement_counter
from sqlmodel import Session

from inset.access import ANONYMOUS, Actor
from inset.accounts.models import TokenScope
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import transaction, utcnow
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory
from inset.gates.models import GateDecision, GateDecisionKind
from inset.gates.service import decide_gate
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.lessons.service import InlineLesson
from inset.organisations.models import Organisation, OrganisationKind
from inset.outcomes import service as outcomes
from inset.portfolio import breakdown, service, stages, stories, timeline
from inset.projects.models import STAGES, Project, Visibility
from inset.projects.service import project_list

PORTFOLIO = """
query Portfolio($filter: ProjectFilter, $days: Int!, $first: Int, $after: String) {
  portfolio(filter: $filter) {
    asOf
    projectCount
    byStage { stage count active onHold stopped }
    byTheme { key label count }
    byOrganisationKind { key label count }
    byRegion { key label count }
    conversion {
      fromStage toStage entered
      passed passedCount stopped stoppedCount recycled recycledCount
      onHold onHoldCount stillThere stillThereCount everRecycledCount
    }
    medianDaysInStage { stage completedStays completedCount openStays openCount }
    evidenceLevels { key label count }
    grossCost { amount currency }
    totalCost { amount currency }
    grossBenefit { amount currency }
    adjustedBenefit { amount currency }
    netBenefit { amount currency }
    benefitCostRatio
    stalled(days: $days, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id title stage status }
    }
    topBarriers(first: 10) { key label count }
    topEnablers(first: 10) { key label count }
    entries(interval: MONTH) { start end label total byStage { stage count } }
    groups(by: REGION) {
      key label projectCount strongEvidenceCount benefitCostRatio
      byStage { stage count } totalCost { amount } adjustedBenefit { amount }
    }
    quietAtScale(days: $days) { totalCount }
    successStories(first: 5) { outcome { name } project { id } improvement }
  }
}
"""

MONEY = """
query Money($filter: ProjectFilter) {
  portfolio(filter: $filter) {
    totalCost { amount currency } adjustedBenefit { amount } netBenefit { amount }
    benefitCostRatio
  }
}
"""

STALLED = """
query Stalled($days: Int!, $after: String) {
  portfolio { stalled(days: $days, first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id }
  } }
}
"""

PROJECT_ECONOMICS = """
query Economics {
  projects(first: 100) {
    totalCount
    nodes { economics { totalCost { amount } adjustedBenefit { amount } } }
  }
}
"""

BARRIERS = ["funding", "staff capacity", "technology", "culture", "demand"]


@dataclass
class Cast:
    staff: Actor
    lead: Actor  # of organisation A, which leads the PRIVATE projects
    member: Actor  # of organisation C, which leads nothing
    org_a: Organisation
    projects: list[Project]


def decide(world: Any, project: Project, decision: GateDecisionKind, **options: Any) -> None:
    with transaction(world.engine) as session:
        current = session.get(Project, project.id)
        assert current is not None
        decide_gate(
            session=session,
            actor=world.staff,
            project_id=project.id,
            decision=decision,
            rationale="Agreed at the portfolio panel",
            expected_version=current.version,
            override=decision is GateDecisionKind.GO,
            **options,
        )


def spread_over_time(engine: Any, project: Project, now: datetime, created: int) -> None:
    """Backdates the project to `created` days ago, its decisions 13 days apart after that,
    keeping `stage_entered_at` and `last_decision_at` true to that history."""
    with transaction(engine) as session:
        decisions = session.scalars(
            sa.select(GateDecision)
            .where(GateDecision.project_id == project.id)
            .order_by(GateDecision.id)
        ).all()
        created_at = now - timedelta(days=created, hours=created % 5)
        entered_at = last_at = created_at
        for k, decision in enumerate(decisions, start=1):
            decision.decided_at = created_at + timedelta(days=13 * k)
            last_at = decision.decided_at
            if decision.to_stage is not decision.from_stage:
                entered_at = decision.decided_at
        session.execute(
            sa.update(Project)
            .where(Project.id == project.id)
            .values(created_at=created_at, stage_entered_at=entered_at, last_decision_at=last_at)
        )


def build(world: Any, size: int, tag: str = "") -> Cast:
    """`size` projects of A and B, PRIVATE, MEMBERS and PUBLIC in turn, at every stage and
    status, each with cost and benefit lines of varied amounts, shares and grades. `tag`
    tells the organisations and themes of a second call apart."""
    now = utcnow()
    org_a = world.org(f"Northshire Council{tag}", OrganisationKind.LOCAL_AUTHORITY, "North West")
    org_b = world.org(f"Hope for Families{tag}", OrganisationKind.CHARITY, None)
    org_c = world.org(f"Southfield Council{tag}", OrganisationKind.LOCAL_AUTHORITY, "London")
    leads = [world.lead(org_a), world.lead(org_b)]
    themes = [world.theme(f"Edge of care{tag}").id, world.theme(f"Fostering{tag}").id]
    visibilities = [Visibility.PRIVATE, Visibility.MEMBERS, Visibility.PUBLIC]
    made = []
    for i in range(size):
        project = world.project(
            leads[i % 2],
            visibility=visibilities[i % 3],
            theme_ids=themes[: i % 3],
            theory_of_change="Because earlier help costs less" if i % 4 else None,
        )
        with transaction(world.engine) as session:
            for grade in (i % 6 + 1, (i + 3) % 6 + 1):
                economics.record_cost(
                    session=session,
                    actor=world.staff,
                    project_id=project.id,
                    category=CostCategory.STAFF,
                    description="Family support workers",
                    amount=Decimal(1000 + 37 * i) + Decimal(i % 100) / 100 + Decimal("0.05"),
                    confidence=grade,
                )
            economics.record_benefit(
                session=session,
                actor=world.staff,
                project_id=project.id,
                kind=BenefitKind.ECONOMIC,
                description="Fewer placements",
                amount=Decimal(1234 * (i + 1)) + Decimal("0.99"),
                deadweight=Decimal((i * 1237) % 10000) / 10000,
                attribution=Decimal(10000 - (i * 311) % 10000) / 10000,
                confidence=(i + 2) % 6 + 1,
            )
            outcome = outcomes.define_outcome(
                session=session,
                actor=world.staff,
                project_id=project.id,
                name="Children missing a month",
                unit="children",
                higher_is_better=i % 2 == 0,
                baseline=Decimal(40 + i),
            )
            for k in range(2):
                outcomes.observe_outcome(
                    session=session,
                    actor=world.staff,
                    outcome_id=outcome.id or 0,
                    value=Decimal(30 + (i * 7 + k) % 25),
                    observed_on=now.date() - timedelta(days=30 - k),
                )
            if i % 3 == 0:
                lessons.record_lesson(
                    session=session,
                    actor=world.staff,
                    project_id=project.id,
                    kind=LessonKind.ENABLER,
                    title="A named champion",
                    body="A senior sponsor unblocked the data sharing; find one early.",
                    barriers=BARRIERS[i % 4 : i % 4 + 1],
                )
        stop = InlineLesson(
            kind=LessonKind.WHAT_DID_NOT_WORK,
            title="It did not take",
            body="Teams had no time for it; start smaller next time.",
            barriers=BARRIERS[i % 5 : i % 5 + 2],
        )
        for decision in [
            [],
            [GateDecisionKind.GO],
            [GateDecisionKind.GO, GateDecisionKind.GO],
            [GateDecisionKind.GO, GateDecisionKind.STOP],
            [GateDecisionKind.HOLD],
        ][i % 5]:
            decide(
                world, project, decision, lesson=stop if decision is GateDecisionKind.STOP else None
            )
        spread_over_time(world.engine, project, now, created=400 - 11 * i)
        made.append(project)
    return Cast(world.staff, leads[0], world.member(org_c), org_a, made)


async def ask(api: Any, world: Any, actor: Actor, query: str, **variables: Any) -> dict[str, Any]:
    token = None if actor.is_anonymous else world.token(actor, TokenScope.READ)
    data: dict[str, Any] = await api.data(query, variables, token=token)
    return data


def money(pence: int) -> dict[str, str]:
    return {"amount": str(Decimal(pence).scaleb(-2).quantize(Decimal("0.01"))), "currency": "GBP"}


def groups(rows: list[service.GroupCount]) -> list[dict[str, Any]]:
    return [{"key": g.key, "label": g.label, "count": g.count} for g in rows]


def share(gate: stages.StageConversion, outcome: str) -> float | None:
    shares = gate.shares()
    return None if shares is None else shares[outcome]


def from_the_service(engine: Any, actor: Actor, now: datetime, days: int) -> dict[str, Any]:
    """The portfolio the API should show: the service's figures in the API's shape."""
    projects = project_list(actor=actor)
    with Session(engine) as session:
        counts = service.stage_counts(session=session, projects=projects)
        totals = service.money(
            session=session, projects=projects, optimism_bias=DEFAULT_OPTIMISM_BIAS
        )
        stalled = session.scalars(
            service.stalled_projects(projects=projects, days=days, now=now).order_by(
                Project.last_decision_at, Project.id
            )
        ).all()
        return {
            "asOf": now.isoformat(),
            "projectCount": sum(c.count for c in counts),
            "byStage": [
                {
                    "stage": c.stage.value,
                    "count": c.count,
                    "active": c.active,
                    "onHold": c.on_hold,
                    "stopped": c.stopped,
                }
                for c in counts
            ],
            "byTheme": groups(service.theme_counts(session=session, projects=projects)),
            "byOrganisationKind": groups(
                service.organisation_kind_counts(session=session, projects=projects)
            ),
            "byRegion": groups(service.region_counts(session=session, projects=projects)),
            "conversion": [
                {
                    "fromStage": c.from_stage.value,
                    "toStage": c.to_stage.value,
                    "entered": c.entered,
                    "passed": share(c, "passed"),
                    "passedCount": c.passed,
                    "stopped": share(c, "stopped"),
                    "stoppedCount": c.stopped,
                    "recycled": share(c, "recycled"),
                    "recycledCount": c.recycled,
                    "onHold": share(c, "on_hold"),
                    "onHoldCount": c.on_hold,
                    "stillThere": share(c, "still_there"),
                    "stillThereCount": c.still_there,
                    "everRecycledCount": c.ever_recycled,
                }
                for c in stages.conversion(session=session, projects=projects)
            ],
            "medianDaysInStage": [
                {
                    "stage": d.stage.value,
                    "completedStays": d.completed_median,
                    "completedCount": d.completed_count,
                    "openStays": d.open_median,
                    "openCount": d.open_count,
                }
                for d in stages.days_in_stage(session=session, projects=projects, now=now)
            ],
            "evidenceLevels": groups(
                service.evidence_level_counts(session=session, projects=projects)
            ),
            "grossCost": money(totals.gross_cost),
            "totalCost": money(totals.total_cost),
            "grossBenefit": money(totals.gross_benefit),
            "adjustedBenefit": money(totals.adjusted_benefit),
            "netBenefit": money(totals.adjusted_benefit - totals.total_cost),
            "benefitCostRatio": totals.benefit_cost_ratio,
            "stalled": {
                "totalCount": len(stalled),
                "pageInfo": {"hasNextPage": len(stalled) > 3, "endCursor": None},
                "nodes": [
                    {
                        "id": to_global_id("Project", p.id or 0),
                        "title": p.title,
                        "stage": p.stage.value,
                        "status": p.status.value,
                    }
                    for p in stalled[:3]
                ],
            },
            "topBarriers": groups(
                service.top_barriers(session=session, actor=actor, projects=projects, first=10)
            ),
            "topEnablers": groups(
                service.top_enablers(session=session, actor=actor, projects=projects, first=10)
            ),
            "entries": [
                {
                    "start": e.start.isoformat(),
                    "end": e.end.isoformat(),
                    "label": e.label,
                    "total": e.total,
                    "byStage": [
                        {"stage": stage.value, "count": n}
                        for stage, n in zip(STAGES, e.counts, strict=True)
                    ],
                }
                for e in timeline.stage_entries(
                    session=session, projects=projects, interval=timeline.Interval.MONTH
                )
            ],
            "groups": [
                {
                    "key": g.key,
                    "label": g.label,
                    "projectCount": g.project_count,
                    "strongEvidenceCount": g.strong_evidence,
                    "benefitCostRatio": g.money.benefit_cost_ratio,
                    "byStage": [
                        {"stage": c.stage.value, "count": c.count} for c in g.stage_counts()
                    ],
                    "totalCost": {"amount": money(g.total_cost)["amount"]},
                    "adjustedBenefit": {"amount": money(g.adjusted_benefit)["amount"]},
                }
                for g in breakdown.breakdown(
                    session=session,
                    projects=projects,
                    by=breakdown.Grouping.REGION,
                    optimism_bias=DEFAULT_OPTIMISM_BIAS,
                )
            ],
            "quietAtScale": {
                "totalCount": len(
                    session.scalars(
                        service.quiet_at_scale(projects=projects, days=days, now=now)
                    ).all()
                )
            },
            "successStories": [
                {
                    "outcome": {"name": story.outcome.name},
                    "project": {"id": to_global_id("Project", story.project.id or 0)},
                    "improvement": float(round(story.improvement, 3)),
                }
                for story in stories.success_stories(session=session, projects=projects, first=5)
            ],
        }


@pytest.mark.parametrize("viewer", ["anonymous", "member of another organisation", "lead", "staff"])
async def test_the_api_shows_the_services_figures_over_what_each_viewer_may_read(
    api, world, engine, viewer
):
    cast = build(world, 15)
    actor = {
        "anonymous": ANONYMOUS,
        "member of another organisation": cast.member,
        "lead": cast.lead,
        "staff": cast.staff,
    }[viewer]

    data = await ask(api, world, actor, PORTFOLIO, days=20, first=3)

    shown = data["portfolio"]
    as_of = datetime.fromisoformat(shown["asOf"])
    want = from_the_service(engine, actor, as_of, days=20)
    shown["stalled"]["pageInfo"]["endCursor"] = None
    assert shown == want
    # every third project is PRIVATE (0, 3, 6, 9, 12): A's lead reads A's (0, 6, 12), not B's
    readable = {"anonymous": 5, "member of another organisation": 10, "lead": 13, "staff": 15}
    assert shown["projectCount"] == readable[viewer]
    assert shown["stalled"]["totalCount"] > 0


@pytest.mark.parametrize("viewer", ["anonymous", "member of another organisation", "staff"])
async def test_the_money_totals_are_the_sums_of_the_projects_own_economics(api, world, viewer):
    cast = build(world, 12)
    actor = {"anonymous": ANONYMOUS, "member of another organisation": cast.member}.get(
        viewer, cast.staff
    )

    portfolio = (await ask(api, world, actor, MONEY))["portfolio"]
    projects = (await ask(api, world, actor, PROJECT_ECONOMICS))["projects"]

    figures = [n["economics"] for n in projects["nodes"]]
    assert len(figures) == projects["totalCount"]
    total_cost = sum(Decimal(f["totalCost"]["amount"]) for f in figures)
    adjusted = sum(Decimal(f["adjustedBenefit"]["amount"]) for f in figures)
    assert Decimal(portfolio["totalCost"]["amount"]) == total_cost
    assert Decimal(portfolio["adjustedBenefit"]["amount"]) == adjusted
    assert Decimal(portfolio["netBenefit"]["amount"]) == adjusted - total_cost
    ratio = (adjusted / total_cost).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert portfolio["benefitCostRatio"] == float(ratio)


async def test_money_worked_out_by_hand(api, world):
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PUBLIC)
    with transaction(world.engine) as session:
        for amount in ("1000.00", "100.10"):
            economics.record_cost(
                session=session,
                actor=lead,
                project_id=project.id,
                category=CostCategory.TRAINING,
                description="Training for the team",
                amount=Decimal(amount),
                confidence=2,
            )
        economics.record_benefit(
            session=session,
            actor=lead,
            project_id=project.id,
            kind=BenefitKind.SOCIAL,
            description="Young people back in school",
            amount=Decimal("1000.00"),
            deadweight=Decimal("0.2"),
            attribution=Decimal("0.5"),
            confidence=3,
        )

    data = await ask(api, world, ANONYMOUS, MONEY)

    # costs at grade 2 (5%): 1,050.00 and 100.10 x 1.05 = 105.105 -> 105.11 (half up)
    # benefit: 1,000.00 x 0.8 x 0.5 x 0.90 = 360.00; 360.00 / 1,155.11 = 0.3117 -> 0.31
    assert data["portfolio"] == {
        "totalCost": {"amount": "1155.11", "currency": "GBP"},
        "adjustedBenefit": {"amount": "360.00"},
        "netBenefit": {"amount": "-795.11"},
        "benefitCostRatio": 0.31,
    }


async def test_stalled_projects_page_oldest_first_with_cursors(api, world, engine):
    cast = build(world, 10)
    with Session(engine) as session:
        # ACTIVE projects, by when their last decision was: i % 5 in (0, 1, 2)
        expected = [
            to_global_id("Project", pk)
            for pk in session.scalars(
                sa.select(Project.id)
                .where(Project.status == "ACTIVE")
                .order_by(Project.last_decision_at, Project.id)
            )
        ]
    assert len(expected) == 6

    seen, after = [], None
    while True:
        data = await ask(api, world, cast.staff, STALLED, days=1, after=after)
        stalled = data["portfolio"]["stalled"]
        assert stalled["totalCount"] == 6
        seen += [n["id"] for n in stalled["nodes"]]
        if not stalled["pageInfo"]["hasNextPage"]:
            break
        after = stalled["pageInfo"]["endCursor"]

    assert seen == expected


@pytest.mark.parametrize("days", [0, 3651])
async def test_stalled_days_out_of_range_is_refused_naming_the_argument(api, days):
    body = await api.gql(STALLED, {"days": days})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID", "field": ["days"]}
    assert error["message"] == "days must be from 1 to 3650"


async def test_the_filter_decodes_organisation_ids(api, world):
    cast = build(world, 6)
    filter = {"organisations": [to_global_id("Organisation", cast.org_a.id or 0)]}

    data = await ask(api, world, cast.staff, PORTFOLIO, filter=filter, days=1)

    # projects 0, 2 and 4 are led by A
    assert data["portfolio"]["projectCount"] == 3
    assert data["portfolio"]["byOrganisationKind"] == [
        {"key": "LOCAL_AUTHORITY", "label": "Local authority", "count": 3}
    ]


async def test_the_statements_do_not_grow_with_the_portfolio(api, world, engine):
    seen = statement_counter(engine)

    async def statements_for(size: int) -> list[str]:
        start = len(seen)
        data = await ask(api, world, ANONYMOUS, PORTFOLIO, days=1, first=100)
        assert data["portfolio"]["projectCount"] == size // 3  # the PUBLIC ones
        assert len(data["portfolio"]["stalled"]["nodes"]) > 0
        # On PostgreSQL the request also pays its rate-limit bucket (two statements, the
        # same for any query): not the portfolio's.
        return [s for s in seen[start:] if "rate_limit_bucket" not in s and "synchronous" not in s]

    build(world, 3)
    three = await statements_for(3)
    build(world, 27, tag=" (more)")
    thirty = await statements_for(30)

    # one statement for each figure (the funnel and the count share one; the five money
    # figures share one), two for the page of stalled projects, one for the count of
    # those quiet at scale, three for the groups (counts, costs, benefits): nineteen
    assert len(three) == len(thirty) == 19
