"""Conditions on `project` behind the portfolio's figures, so that each figure's number
and the list of its projects are the same projects (`ProjectFilter` in the API).

`gate_outcome` is the per-project form of `inset.portfolio.stages.conversion`: a project
that reached a stage is in exactly one outcome there (see that function).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from inset.gates.models import GateDecision, GateDecisionKind
from inset.projects.models import STAGES, Project, ProjectStatus, ProjectTheme, Stage
from inset.projects.period import Period
from inset.validation import in_range

MAX_DAYS = 3650


class GateOutcome(enum.StrEnum):
    ENTERED = "ENTERED"
    PASSED = "PASSED"
    STOPPED = "STOPPED"
    RECYCLED = "RECYCLED"
    ON_HOLD = "ON_HOLD"
    STILL_THERE = "STILL_THERE"


def stage_order(stage: Any) -> Any:
    """0 for IDEA .. 3 for SCALE, in SQL."""
    return sa.case({s: i for i, s in enumerate(STAGES)}, value=stage)


def reached(k: int) -> ColumnElement[bool]:
    """The project has been at stage `k` (0..3) or beyond, now or ever."""
    return sa.or_(
        stage_order(col(Project.stage)) >= k,
        sa.exists().where(
            col(GateDecision.project_id) == col(Project.id),
            sa.or_(
                stage_order(col(GateDecision.to_stage)) >= k,
                stage_order(col(GateDecision.from_stage)) >= k,
            ),
        ),
    )


def gate_outcome(stage: Stage, outcome: GateOutcome) -> ColumnElement[bool]:
    """Projects that reached `stage` (ENTERED), or those of one outcome there. SCALE has
    no gate: only ENTERED and the outcomes of being there apply."""
    k = stage.order
    if outcome is GateOutcome.ENTERED:
        return reached(k)
    if outcome is GateOutcome.PASSED:
        return reached(k + 1) if k + 1 < len(STAGES) else sa.false()
    stayed = sa.and_(reached(k), sa.not_(reached(k + 1))) if k + 1 < len(STAGES) else reached(k)
    if outcome is GateOutcome.RECYCLED:
        return sa.and_(stayed, stage_order(col(Project.stage)) < k)
    status = {
        GateOutcome.STOPPED: ProjectStatus.STOPPED,
        GateOutcome.ON_HOLD: ProjectStatus.ON_HOLD,
        GateOutcome.STILL_THERE: ProjectStatus.ACTIVE,
    }[outcome]
    return sa.and_(stayed, col(Project.stage) == stage, col(Project.status) == status)


def entered_stage(stage: Stage, period: Period | None) -> ColumnElement[bool]:
    """Projects that entered `stage` in the period (at any time without one): IDEA by
    being created, a later stage by a GO into it (see `inset.portfolio.timeline`)."""
    whole = period or Period()
    if stage is Stage.IDEA:
        return whole.contains(col(Project.created_at))
    return sa.exists().where(
        col(GateDecision.project_id) == col(Project.id),
        col(GateDecision.decision) == GateDecisionKind.GO,
        col(GateDecision.to_stage) == stage,
        whole.contains(col(GateDecision.decided_at)),
    )


def no_decision_for(days: int, now: datetime) -> ColumnElement[bool]:
    """No gate decision (or, never decided, no creation) in the `days` (1..3650) days up
    to `now`: the stalled list's test."""
    in_range(days, "noDecisionForDays", 1, MAX_DAYS)
    return col(Project.last_decision_at) <= now - timedelta(days=days)


def without_theme() -> ColumnElement[bool]:
    return ~sa.exists().where(col(ProjectTheme.project_id) == col(Project.id))


def with_theme(theme_id: int | None) -> ColumnElement[bool]:
    """Projects with this theme; with None, projects without any."""
    if theme_id is None:
        return without_theme()
    return sa.exists().where(
        col(ProjectTheme.project_id) == col(Project.id), col(ProjectTheme.theme_id) == theme_id
    )
