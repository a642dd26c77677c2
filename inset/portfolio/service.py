"""The portfolio: figures over many projects at once (DESIGN.md sections 1, 2, 3 and 6).

Every function takes `projects`, the live projects the viewer may read that match the
filter (`inset.projects.service.project_list`), and computes its figures over exactly
that set, joining each aggregate to a subquery of its ids: no figure counts or sums a
record the viewer cannot read. Each function is ONE SQL statement, grouped in the
database; Python only reshapes the handful of grouped rows it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, project_is_own
from inset.economics.models import Benefit, Cost
from inset.evidence.levels import LEVEL_NAMES
from inset.ids import to_global_id
from inset.lessons.models import Lesson, LessonBarrier
from inset.organisations.models import Organisation
from inset.pagination import SortKey
from inset.portfolio import sql
from inset.portfolio.sql import Projects, scope_of
from inset.projects.models import STAGES, Project, ProjectStatus, ProjectTheme, Stage
from inset.themes.models import Theme
from inset.validation import in_range

NO_THEME = "No theme"
UNKNOWN_REGION = "Unknown"
MAX_STALLED_DAYS = 3650
MAX_BARRIERS = 100
# Stalled projects, oldest last decision first; the id makes the order total for cursors.
STALLED_ORDER = [SortKey(col(Project.last_decision_at)), SortKey(col(Project.id))]

_PENNY = Decimal("0.01")


@dataclass(frozen=True)
class StageCount:
    stage: Stage
    active: int
    on_hold: int
    stopped: int

    @property
    def count(self) -> int:
        return self.active + self.on_hold + self.stopped


@dataclass(frozen=True)
class GroupCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Money:
    """Totals in whole pence over every live line of the projects."""

    gross_cost: int
    total_cost: int
    gross_benefit: int
    adjusted_benefit: int

    @property
    def benefit_cost_ratio(self) -> float | None:
        """adjusted benefit / total cost, half up to 2 places, as `calc` rounds it."""
        if self.total_cost == 0:
            return None
        ratio = Decimal(self.adjusted_benefit) / Decimal(self.total_cost)
        return float(ratio.quantize(_PENNY, ROUND_HALF_UP))


def _most_first(groups: list[GroupCount]) -> list[GroupCount]:
    return sorted(groups, key=lambda g: (-g.count, g.label, g.key))


def stage_counts(*, session: Session, projects: Projects) -> list[StageCount]:
    """The funnel: every stage, in order, with zeros, split by status."""
    rows = session.execute(
        projects.with_only_columns(col(Project.stage), col(Project.status), sa.func.count())
        .group_by(col(Project.stage), col(Project.status))
        .order_by(None)
    ).all()
    found = {(stage, status): n for stage, status, n in rows}
    return [
        StageCount(
            stage=stage,
            active=found.get((stage, ProjectStatus.ACTIVE), 0),
            on_hold=found.get((stage, ProjectStatus.ON_HOLD), 0),
            stopped=found.get((stage, ProjectStatus.STOPPED), 0),
        )
        for stage in STAGES
    ]


def theme_counts(*, session: Session, projects: Projects) -> list[GroupCount]:
    """Projects by theme, most first: a project counts once under each of its themes, and
    under "No theme" (key "") when it has none. Keys are the themes' global ids."""
    scope = scope_of(projects)
    rows = session.execute(
        sa.select(col(Theme.id), col(Theme.name), sa.func.count())
        .select_from(scope)
        .outerjoin(ProjectTheme, col(ProjectTheme.project_id) == scope.c.id)
        .outerjoin(Theme, col(Theme.id) == col(ProjectTheme.theme_id))
        .group_by(col(Theme.id), col(Theme.name))
    ).all()
    return _most_first(
        [
            GroupCount(to_global_id("Theme", pk), name, n)
            if pk is not None
            else GroupCount("", NO_THEME, n)
            for pk, name, n in rows
        ]
    )


def _lead_organisation_counts(session: Session, projects: Projects, column: Any) -> list[Any]:
    scope = scope_of(projects, col(Project.lead_organisation_id))
    return list(
        session.execute(
            sa.select(column, sa.func.count())
            .select_from(scope)
            .join(Organisation, col(Organisation.id) == scope.c.lead_organisation_id)
            .group_by(column)
        ).all()
    )


def organisation_kind_counts(*, session: Session, projects: Projects) -> list[GroupCount]:
    """Projects by the kind of their lead organisation, most first; only kinds with any."""
    rows = _lead_organisation_counts(session, projects, col(Organisation.kind))
    return _most_first(
        [GroupCount(kind.value, kind.value.replace("_", " ").capitalize(), n) for kind, n in rows]
    )


def region_counts(*, session: Session, projects: Projects) -> list[GroupCount]:
    """Projects by their lead organisation's region, most first; "Unknown" (key "") for
    organisations without one."""
    rows = _lead_organisation_counts(session, projects, col(Organisation.region))
    return _most_first(
        [
            GroupCount(region, region, n)
            if region is not None
            else GroupCount("", UNKNOWN_REGION, n)
            for region, n in rows
        ]
    )


def evidence_level_counts(*, session: Session, projects: Projects) -> list[GroupCount]:
    """Projects by derived evidence level: all six levels 0..5 in order, with zeros."""
    rows = session.execute(
        projects.with_only_columns(col(Project.evidence_level), sa.func.count())
        .group_by(col(Project.evidence_level))
        .order_by(None)
    ).all()
    found = dict(rows)
    return [
        GroupCount(str(level), f"Level {level}: {name.split(':')[0]}", found.get(level, 0))
        for level, name in LEVEL_NAMES.items()
    ]


def money(*, session: Session, projects: Projects, optimism_bias: Sequence[Decimal]) -> Money:
    """Sums over every live cost and benefit line of the projects, in pence.

    Each line is adjusted and rounded to the penny exactly as `inset.economics.calc` does
    for one project (see `inset.portfolio.sql`), so these totals are the sums of the
    projects' own `economics` figures. `optimism_bias` holds grades 1..6 as fractions.
    """
    bias = sql.bias_points(optimism_bias)
    scope = scope_of(projects)
    costs = (
        sa.select(
            sa.func.coalesce(sa.func.sum(col(Cost.amount_pence)), 0).label("gross"),
            sa.func.coalesce(
                sa.func.sum(
                    sql.adjusted_cost_pence(col(Cost.amount_pence), col(Cost.confidence), bias)
                ),
                0,
            ).label("adjusted"),
        )
        .join_from(Cost, scope, scope.c.id == col(Cost.project_id))
        .where(col(Cost.archived_at).is_(None))
        .subquery("cost_total")
    )
    lines = (
        sa.select(
            col(Benefit.amount_pence).label("amount"),
            sql.benefit_factor(
                col(Benefit.deadweight_bp),
                col(Benefit.attribution_bp),
                col(Benefit.confidence),
                bias,
            ).label("factor"),
        )
        .join_from(Benefit, scope, scope.c.id == col(Benefit.project_id))
        .where(col(Benefit.archived_at).is_(None))
        .subquery("benefit_line")
    )
    benefits = sa.select(
        sa.func.coalesce(sa.func.sum(lines.c.amount), 0).label("gross"),
        sa.func.coalesce(
            sa.func.sum(sql.adjusted_benefit_pence(lines.c.amount, lines.c.factor)), 0
        ).label("adjusted"),
    ).subquery("benefit_total")
    row = session.execute(
        sa.select(costs.c.gross, costs.c.adjusted, benefits.c.gross, benefits.c.adjusted)
        .select_from(costs)
        .join(benefits, sa.true())
    ).one()
    gross_cost, total_cost, gross_benefit, adjusted_benefit = (int(n) for n in row)
    return Money(gross_cost, total_cost, gross_benefit, adjusted_benefit)


def stalled_projects(*, projects: Projects, days: int, now: datetime) -> Projects:
    """ACTIVE projects whose last gate decision (or, never decided, creation) was `days`
    days or more before `now`; order them by STALLED_ORDER. `days` is 1..3650."""
    in_range(days, "days", 1, MAX_STALLED_DAYS)
    return projects.where(
        col(Project.status) == ProjectStatus.ACTIVE,
        col(Project.last_decision_at) <= now - timedelta(days=days),
    )


def top_barriers(
    *, session: Session, actor: Actor, projects: Projects, first: int
) -> list[GroupCount]:
    """The `first` (1..100) barrier tags most often on the projects' live lessons.

    The count is of lessons tagged with the barrier; ties go by the tag. Keys are the
    tags as lessons show them ("staff capacity"); only tags in use are listed. Anonymised
    lessons count only for staff and their projects' own organisations: the tags of one
    organisation's projects would otherwise point at its anonymised lessons.
    """
    in_range(first, "first", 1, MAX_BARRIERS)
    scope = scope_of(projects)
    lessons = sa.func.count().label("lessons")
    own = sa.select(col(Project.id)).where(project_is_own(actor))
    rows = session.execute(
        sa.select(col(LessonBarrier.barrier), lessons)
        .join_from(LessonBarrier, Lesson, col(Lesson.id) == col(LessonBarrier.lesson_id))
        .join(scope, scope.c.id == col(Lesson.project_id))
        .where(
            col(Lesson.archived_at).is_(None),
            sa.or_(col(Lesson.anonymised).is_(False), col(Lesson.project_id).in_(own))
            if not actor.is_staff
            else sa.true(),
        )
        .group_by(col(LessonBarrier.barrier))
        .order_by(lessons.desc(), col(LessonBarrier.barrier))
        .limit(first)
    ).all()
    return [GroupCount(tag.value, tag.value.capitalize(), n) for tag, n in rows]
