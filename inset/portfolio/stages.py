"""Figures of the lifecycle (DESIGN.md section 1): how projects pass each gate, and how long
they stay in each stage, from the gate decisions kept for ever.

Like `inset.portfolio.service`, each function is one SQL statement over exactly the
given projects (the live projects the viewer may read that match the filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.db import UTCDateTime
from inset.gates.models import GateDecision, GateDecisionKind
from inset.portfolio.sql import Projects, scope_of, whole_days
from inset.projects.models import STAGES, Project, ProjectStatus, Stage

GATES = list(pairwise(STAGES))  # (IDEA, PILOT), (PILOT, EVALUATION), (EVALUATION, SCALE)
_THOUSANDTH = Decimal("0.001")


@dataclass(frozen=True)
class StageConversion:
    """Distinct projects that reached `from_stage`, each in exactly one outcome there
    (see `conversion`): passed + stopped + recycled + on_hold + still_there == entered."""

    from_stage: Stage
    to_stage: Stage
    entered: int
    passed: int
    stopped: int
    recycled: int
    on_hold: int
    still_there: int
    ever_recycled: int = 0

    @property
    def in_progress(self) -> int:
        """At the stage now and not stopped: on hold or still there."""
        return self.on_hold + self.still_there

    def shares(self) -> dict[str, float] | None:
        """The five outcomes' shares of `entered` in thousandths, largest remainder first,
        so that they add up to exactly 1.000; None when none entered.

        Example: 1, 1 and 1 of 3 are 0.334, 0.333 and 0.333 (the first of equal
        remainders in the order passed, stopped, recycled, on hold, still there gets
        the spare thousandth), not 0.333 three times.
        """
        if self.entered == 0:
            return None
        counts = {
            "passed": self.passed,
            "stopped": self.stopped,
            "recycled": self.recycled,
            "on_hold": self.on_hold,
            "still_there": self.still_there,
        }
        exact = {name: n * 1000 / self.entered for name, n in counts.items()}
        floors = {name: int(value) for name, value in exact.items()}
        spare = 1000 - sum(floors.values())
        by_remainder = sorted(counts, key=lambda name: -(exact[name] - floors[name]))
        for name in by_remainder[:spare]:
            floors[name] += 1
        return {name: thousandths / 1000 for name, thousandths in floors.items()}

    def share(self, count: int) -> float | None:
        """count / entered, rounded half up to 3 places; None when none entered."""
        if self.entered == 0:
            return None
        return float((Decimal(count) / self.entered).quantize(_THOUSANDTH, ROUND_HALF_UP))


@dataclass(frozen=True)
class StageDuration:
    """Medians in days (None without stays) and how many stays each is taken over."""

    stage: Stage
    completed_median: float | None
    completed_count: int
    open_median: float | None
    open_count: int


def _stage_order(stage: Any) -> Any:
    """0 for IDEA .. 3 for SCALE, in SQL."""
    return sa.case({s: i for i, s in enumerate(STAGES)}, value=stage)


def _total(condition: Any) -> Any:
    """How many rows meet `condition` (0 over no rows)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _whole(total: Any) -> Any:
    """A SUM of counts as an integer: PostgreSQL returns NUMERIC, and (n + 1) / 2 must
    divide as integers."""
    return sa.cast(total, sa.BigInteger)


def conversion(*, session: Session, projects: Projects) -> list[StageConversion]:
    """The three gates, in order, each over the distinct projects that reached its stage.

    A project has reached a stage when it is at it or beyond, or any decision took it
    from or to it or beyond (every project starts at IDEA; a later stage is entered only
    by a GO into it). Each project that reached S counts once, in the first of:
    `passed`, it reached the next stage too (whatever happened after: that belongs to the
    next gate); else it is at S now and `stopped`, `on_hold` or (ACTIVE) `still_there`;
    else it is at an earlier stage now, sent back from S: `recycled`. Not having reached
    the next stage, it cannot be beyond S, so every project falls in exactly one.
    `ever_recycled` counts, apart, those with any RECYCLE from S, whatever came after.
    """
    scope = scope_of(projects, col(Project.stage), col(Project.status))
    gate = GateDecision
    recycled_from = {
        stage: sa.func.max(
            sa.case(
                (
                    sa.and_(
                        col(gate.decision) == GateDecisionKind.RECYCLE,
                        col(gate.from_stage) == stage,
                    ),
                    1,
                ),
                else_=0,
            )
        ).label(f"recycled_{stage.value.lower()}")
        for stage, _ in GATES
    }
    history = (
        sa.select(
            col(gate.project_id).label("project_id"),
            sa.func.max(_stage_order(col(gate.to_stage))).label("furthest_to"),
            sa.func.max(_stage_order(col(gate.from_stage))).label("furthest_from"),
            *recycled_from.values(),
        )
        .join_from(GateDecision, scope, scope.c.id == col(gate.project_id))
        .group_by(col(gate.project_id))
        .subquery("history")
    )
    current = _stage_order(scope.c.stage)

    # Projects without decisions have no history row: -1 rather than NULL, so that
    # "not reached" is true for them, not unknown.
    furthest_to = sa.func.coalesce(history.c.furthest_to, -1)
    furthest_from = sa.func.coalesce(history.c.furthest_from, -1)

    def reached(k: int) -> Any:
        return sa.or_(current >= k, furthest_to >= k, furthest_from >= k)

    columns: list[Any] = []
    for k, (stage, _) in enumerate(GATES):
        stayed = sa.and_(reached(k), sa.not_(reached(k + 1)))
        here = sa.and_(stayed, scope.c.stage == stage)
        columns += [
            _total(reached(k)),
            _total(reached(k + 1)),
            _total(sa.and_(here, scope.c.status == ProjectStatus.STOPPED)),
            _total(sa.and_(stayed, current < k)),
            _total(sa.and_(here, scope.c.status == ProjectStatus.ON_HOLD)),
            _total(sa.and_(here, scope.c.status == ProjectStatus.ACTIVE)),
            _total(history.c[recycled_from[stage].name] == 1),
        ]
    row = [
        int(n)
        for n in session.execute(
            sa.select(*columns)
            .select_from(scope)
            .outerjoin(history, history.c.project_id == scope.c.id)
        ).one()
    ]
    width = 7
    return [
        StageConversion(stage, following, *row[width * i : width * (i + 1)])
        for i, (stage, following) in enumerate(GATES)
    ]


def days_in_stage(*, session: Session, projects: Projects, now: datetime) -> list[StageDuration]:
    """Median whole days of stays in each stage, every stage in order.

    A stay in a stage starts when the project enters it (IDEA: at creation; otherwise the
    GO or RECYCLE into it) and is completed by the decision that leaves it (GO, RECYCLE or
    STOP); HOLD and RESUME do not end a stay. Open stays are those of ACTIVE and ON_HOLD
    projects now, from `stage_entered_at` to `now`. Each stay is counted in whole days,
    rounded down; the median of an even number of stays is the mean of the middle two.
    """
    scope = scope_of(
        projects,
        col(Project.stage),
        col(Project.status),
        col(Project.created_at),
        col(Project.stage_entered_at),
    )
    gate = GateDecision
    # Between two stage-changing decisions the stage does not change, so each stay
    # started at the previous one (or at creation); STOP is final, so none follows it.
    moves = (
        sa.select(
            col(gate.from_stage).label("stage"),
            col(gate.decided_at).label("ended_at"),
            sa.func.lag(col(gate.decided_at))
            .over(partition_by=col(gate.project_id), order_by=(col(gate.decided_at), col(gate.id)))
            .label("started_at"),
            scope.c.created_at,
        )
        .join_from(GateDecision, scope, scope.c.id == col(gate.project_id))
        .where(
            col(gate.decision).in_(
                [GateDecisionKind.GO, GateDecisionKind.RECYCLE, GateDecisionKind.STOP]
            )
        )
        .subquery("move")
    )
    completed = sa.select(
        sa.literal_column("0").label("is_open"),
        moves.c.stage,
        whole_days(
            sa.func.coalesce(moves.c.started_at, moves.c.created_at), moves.c.ended_at
        ).label("days"),
    )
    still_open = sa.select(
        sa.literal_column("1"),
        scope.c.stage,
        whole_days(scope.c.stage_entered_at, sa.literal(now, UTCDateTime())),
    ).where(scope.c.status.in_([ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD]))
    stays = sa.union_all(completed, still_open).subquery("stay")
    # The median from a histogram: stays are whole days, so grouping them by length leaves
    # one row per length to keep running totals over, instead of sorting every stay.
    lengths = (
        sa.select(stays.c.is_open, stays.c.stage, stays.c.days, sa.func.count().label("stays"))
        .group_by(stays.c.is_open, stays.c.stage, stays.c.days)
        .subquery("length")
    )
    group = (lengths.c.is_open, lengths.c.stage)
    running = sa.select(
        *group,
        lengths.c.days,
        _whole(
            sa.func.sum(lengths.c.stays).over(partition_by=group, order_by=lengths.c.days)
        ).label("up_to"),
        _whole(sa.func.sum(lengths.c.stays).over(partition_by=group)).label("stays"),
    ).subquery("running")

    def nth_shortest(n: Any) -> Any:
        return sa.func.min(sa.case((running.c.up_to >= n, running.c.days)))

    rows = session.execute(
        sa.select(
            running.c.is_open,
            running.c.stage,
            nth_shortest((running.c.stays + 1) // 2),  # the middle one, or the lower middle
            nth_shortest((running.c.stays + 2) // 2),  # the middle one, or the upper middle
            sa.func.max(running.c.stays),
        ).group_by(running.c.is_open, running.c.stage)
    ).all()
    found = {
        (bool(is_open), stage): ((lower + upper) / 2, int(n))
        for is_open, stage, lower, upper, n in rows
    }
    durations = []
    for stage in STAGES:
        completed_median, completed_count = found.get((False, stage), (None, 0))
        open_median, open_count = found.get((True, stage), (None, 0))
        durations.append(
            StageDuration(stage, completed_median, completed_count, open_median, open_count)
        )
    return durations
