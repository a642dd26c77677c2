"""The portfolio's floor: `bench.PORTFOLIO_QUERY` for STAFF (every live project), by
several hand-written SQL statements (scripts/bench_floor_sql.py) assembled into plain JSON.

It is the same data as the query (the benchmark checks they are equal before it times
anything), fetched the way one would write it by hand for this one screen: raw SQL, no ORM,
no GraphQL. It runs in the benchmark's server only (scripts/bench_server.py), next to the
real app, on the same engine. The reads' floors are stricter: one statement each, see
scripts/bench_strict.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from bench_floor_sql import PORTFOLIO_SQL

from inset.evidence.levels import LEVEL_NAMES
from inset.ids import to_global_id
from inset.lessons.models import Barrier

STAGES = ("IDEA", "PILOT", "EVALUATION", "SCALE")
_PENNY = Decimal("0.01")
_THOUSANDTH = Decimal("0.001")


def portfolio(engine: sa.Engine, bias_points: list[int], now: datetime) -> dict[str, Any]:
    """`bias_points`: the optimism bias of grades 1..6 in basis points."""
    sql = PORTFOLIO_SQL[engine.dialect.name]
    params: dict[str, Any] = {f"b{g}": b for g, b in enumerate(bias_points, start=1)}
    moments: list[Any] = [now, now - timedelta(days=90)]
    if engine.dialect.name == "sqlite":  # stored as naive UTC text
        moments = [t.replace(tzinfo=None).isoformat(" ") for t in moments]
    params["now"], params["stalled_before"] = moments
    with engine.connect() as conn:
        counts = conn.execute(sa.text(sql["counts"])).all()
        themes = conn.execute(sa.text(sql["themes"])).all()
        leads = conn.execute(sa.text(sql["leads"])).all()
        reached = conn.execute(sa.text(sql["conversion"])).one()
        stays = conn.execute(sa.text(sql["stays"]), params).all()
        gross_cost, total_cost, gross_benefit, adjusted = conn.execute(
            sa.text(sql["money"]), params
        ).one()
        stalled = conn.execute(sa.text(sql["stalled"]), params).all()
        stalled_count = conn.execute(sa.text(sql["stalled_count"]), params).scalar_one()
        barriers = conn.execute(sa.text(sql["barriers"])).all()
    by_stage = {s: {"stage": s, "count": 0, "active": 0, "onHold": 0, "stopped": 0} for s in STAGES}
    levels = dict.fromkeys(range(6), 0)
    status_key = {"ACTIVE": "active", "ON_HOLD": "onHold", "STOPPED": "stopped"}
    for stage, status, level, n in counts:
        by_stage[stage][status_key[status]] += n
        by_stage[stage]["count"] += n
        levels[level] += n
    kinds: dict[str, int] = defaultdict(int)
    regions: dict[str | None, int] = defaultdict(int)
    for kind, region, n in leads:
        kinds[kind] += n
        regions[region] += n
    gross_cost, total_cost, gross_benefit, adjusted = (
        int(gross_cost),
        int(total_cost),
        int(gross_benefit),
        int(adjusted),
    )
    return {
        "data": {
            "portfolio": {
                "projectCount": sum(s["count"] for s in by_stage.values()),
                "byStage": list(by_stage.values()),
                "byTheme": _most_first(
                    (to_global_id("Theme", tid) if tid else "", name or "No theme", n)
                    for tid, name, n in themes
                ),
                "byOrganisationKind": _most_first(
                    (k, k.replace("_", " ").capitalize(), n) for k, n in kinds.items()
                ),
                "byRegion": _most_first((r or "", r or "Unknown", n) for r, n in regions.items()),
                "evidenceLevels": [
                    {
                        "key": str(level),
                        "label": f"Level {level}: {LEVEL_NAMES[level].split(':')[0]}",
                        "count": n,
                    }
                    for level, n in levels.items()
                ],
                "conversion": _conversion([int(n) for n in reached]),
                "medianDaysInStage": _medians(stays),
                "grossCost": _pence(gross_cost),
                "totalCost": _pence(total_cost),
                "grossBenefit": _pence(gross_benefit),
                "adjustedBenefit": _pence(adjusted),
                "netBenefit": _pence(adjusted - total_cost),
                "benefitCostRatio": _ratio(Decimal(adjusted), Decimal(total_cost), _PENNY),
                "stalled": {
                    "totalCount": stalled_count,
                    "nodes": [
                        {"id": to_global_id("Project", pid), "title": title}
                        for pid, title in stalled
                    ],
                },
                "topBarriers": [
                    {
                        "key": Barrier[tag].value,
                        "label": Barrier[tag].value.capitalize(),
                        "count": n,
                    }
                    for tag, n in barriers
                ],
            }
        }
    }


def _most_first(groups: Any) -> list[dict[str, Any]]:
    ordered = sorted(groups, key=lambda g: (-g[2], g[1], g[0]))
    return [{"key": k, "label": label, "count": n} for k, label, n in ordered]


def _pence(pence: int) -> dict[str, str]:
    return {"amount": str(Decimal(pence).scaleb(-2))}


def _ratio(numerator: Decimal, denominator: Decimal, places: Decimal) -> float | None:
    if denominator == 0:
        return None
    return float((numerator / denominator).quantize(places, ROUND_HALF_UP))


def _shares(counts: list[int], entered: int) -> list[float | None]:
    """Thousandths of `entered`, rounded down, the spare ones to the largest remainders."""
    if entered == 0:
        return [None] * len(counts)
    floors = [n * 1000 // entered for n in counts]
    spare = 1000 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: -(counts[i] * 1000 % entered))
    for i in order[:spare]:
        floors[i] += 1
    return [f / 1000 for f in floors]


def _conversion(row: list[int]) -> list[dict[str, Any]]:
    """`row`: how many reached each stage, then per gate stopped, recycled, on hold, still
    there and ever recycled."""
    reached, rest = row[:4], row[4:]
    gates = []
    for i in range(3):
        stopped, recycled, on_hold, still, ever = rest[5 * i : 5 * i + 5]
        entered = reached[i]
        counts = [reached[i + 1], stopped, recycled, on_hold, still]
        passed_s, stopped_s, recycled_s, on_hold_s, still_s = _shares(counts, entered)
        gates.append(
            {
                "fromStage": STAGES[i],
                "toStage": STAGES[i + 1],
                "entered": entered,
                "passed": passed_s,
                "passedCount": reached[i + 1],
                "stopped": stopped_s,
                "stoppedCount": stopped,
                "recycled": recycled_s,
                "recycledCount": recycled,
                "onHold": on_hold_s,
                "onHoldCount": on_hold,
                "stillThere": still_s,
                "stillThereCount": still,
                "everRecycledCount": ever,
            }
        )
    return gates


def _medians(stays: Sequence[Any]) -> list[dict[str, Any]]:
    """`stays`: (is_open, stage, days, how many), days ascending within each group."""
    histograms: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for is_open, stage, days, n in stays:
        histograms[(int(is_open), stage)].append((int(days), int(n)))

    def median(key: tuple[int, str]) -> tuple[float | None, int]:
        lengths = histograms.get(key, [])
        total = sum(n for _, n in lengths)
        if not total:
            return None, 0
        wanted, seen, found = [(total + 1) // 2, (total + 2) // 2], 0, []
        for days, n in lengths:
            seen += n
            while wanted and seen >= wanted[0]:
                found.append(days)
                wanted.pop(0)
        return (found[0] + found[1]) / 2, total

    out = []
    for stage in STAGES:
        completed, completed_count = median((0, stage))
        still, open_count = median((1, stage))
        out.append(
            {
                "stage": stage,
                "completedStays": completed,
                "completedCount": completed_count,
                "openStays": still,
                "openCount": open_count,
            }
        )
    return out
