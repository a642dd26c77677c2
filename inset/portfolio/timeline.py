"""Entries to each stage over time: how many projects began, went to pilot, to evaluation
and to scale, month by month or quarter by quarter.

An entry to IDEA is a project's creation; an entry to a later stage is a GO into it. A
RECYCLE back to an earlier stage is not an entry (the project had entered it before); a
project recycled that passes the gate again enters the next stage a second time. One SQL
statement, grouped by calendar month in UTC; quarters are made from months in Python (a
handful of rows).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.gates.models import GateDecision, GateDecisionKind
from inset.portfolio.sql import Projects, scope_of, utc_month
from inset.projects.models import STAGES, Project, Stage
from inset.projects.period import Period

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Interval(enum.StrEnum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"


@dataclass(frozen=True)
class StageEntries:
    """Entries in one month or quarter: `counts` by stage, in stage order."""

    start: date
    end: date  # the last day, included
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


def _bucket(month: int, interval: Interval) -> int:
    """yyyymm of the bucket's first month."""
    year, m = divmod(month, 100)
    if interval is Interval.QUARTER:
        m = (m - 1) // 3 * 3 + 1
    return year * 100 + m


def _next(bucket: int, interval: Interval) -> int:
    year, m = divmod(bucket, 100)
    m += 3 if interval is Interval.QUARTER else 1
    return (year + (m - 1) // 12) * 100 + (m - 1) % 12 + 1


def _describe(bucket: int, interval: Interval) -> tuple[date, date, str]:
    year, m = divmod(bucket, 100)
    start = date(year, m, 1)
    after_year, after_m = divmod(_next(bucket, interval), 100)
    end = date.fromordinal(date(after_year, after_m, 1).toordinal() - 1)
    if interval is Interval.QUARTER:
        label = f"{MONTH_NAMES[m - 1]} to {MONTH_NAMES[end.month - 1]} {year}"
    else:
        label = f"{MONTH_NAMES[m - 1]} {year}"
    return start, end, label


def stage_entries(
    *,
    session: Session,
    projects: Projects,
    interval: Interval,
    period: Period | None = None,
) -> list[StageEntries]:
    """Every month or quarter from the first with an entry (or the period's start) to
    the last with one (or the period's end), zeros included; entries in `period` only."""
    scope = scope_of(projects, col(Project.created_at))
    created: Any = sa.select(
        scope.c.created_at.label("at"), sa.literal(Stage.IDEA.value).label("stage")
    )
    gone: Any = (
        sa.select(
            col(GateDecision.decided_at).label("at"), col(GateDecision.to_stage).label("stage")
        )
        .join_from(GateDecision, scope, scope.c.id == col(GateDecision.project_id))
        .where(col(GateDecision.decision) == GateDecisionKind.GO)
    )
    if period is not None:
        created = created.where(period.contains(scope.c.created_at))
        gone = gone.where(period.contains(col(GateDecision.decided_at)))
    entries = sa.union_all(created, gone).subquery("entry")
    rows = session.execute(
        sa.select(utc_month(entries.c.at), entries.c.stage, sa.func.count()).group_by(
            utc_month(entries.c.at), entries.c.stage
        )
    ).all()
    found: dict[tuple[int, Stage], int] = {}
    for month, stage, n in rows:
        key = (_bucket(int(month), interval), Stage(stage))
        found[key] = found.get(key, 0) + int(n)
    buckets = {b for b, _ in found}
    if period is not None and period.start is not None:
        buckets.add(_bucket(period.start.year * 100 + period.start.month, interval))
    if period is not None and period.end is not None:
        buckets.add(_bucket(period.end.year * 100 + period.end.month, interval))
    if not buckets:
        return []
    result = []
    bucket, last = min(buckets), max(buckets)
    while bucket <= last:
        start, end, label = _describe(bucket, interval)
        counts = tuple(found.get((bucket, stage), 0) for stage in STAGES)
        result.append(StageEntries(start, end, label, counts))
        bucket = _next(bucket, interval)
    return result
