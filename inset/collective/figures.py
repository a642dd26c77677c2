"""The year in figures, over the projects anyone may read (the anonymous viewer's).

A project counts in a year when it was created before the year ended; its stage and status
are those it had when the year ended, read from its gate decisions (the last one decided
by then; none: IDEA and ACTIVE). Themes, organisation kinds and regions are as they are
now. Gate movements are the decisions taken during the year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import ANONYMOUS, live_project
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons.models import Lesson
from inset.lessons.service import readable_lessons
from inset.organisations.models import Organisation
from inset.projects.models import STAGES, Project, ProjectStatus, ProjectTheme, Stage
from inset.themes.models import Theme

NO_THEME = "No theme"
UNKNOWN_REGION = "Unknown"
MOVEMENT_LABELS = {
    GateDecisionKind.HOLD: "Put on hold",
    GateDecisionKind.RESUME: "Resumed",
    GateDecisionKind.RECYCLE: "Recycled to an earlier stage",
    GateDecisionKind.STOP: "Stopped",
}


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    project_count: int
    by_stage: list[Count]
    stopped: int
    by_theme: list[Count]
    by_organisation_kind: list[Count]
    by_region: list[Count]
    movements: list[Count]
    lessons: int


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def kind_label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def _most_first(counter: Counter[str]) -> list[Count]:
    return [Count(label, n) for label, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))]


def public_projects(before: datetime) -> sa.Select[int | None]:
    """Ids of the projects anyone may read that were created before `before`; a subquery,
    never a list of ids, so a national portfolio does not turn into a giant IN (...)."""
    return sa.select(col(Project.id)).where(
        live_project(ANONYMOUS), col(Project.created_at) < before
    )


def _standing_at(
    session: Session, ids: list[int], before: datetime
) -> dict[int, tuple[Stage, ProjectStatus]]:
    """Each project's stage and status after its last decision before `before`."""
    rows = session.execute(
        sa.select(
            col(GateDecision.project_id), col(GateDecision.to_stage), col(GateDecision.status_after)
        )
        .where(
            col(GateDecision.project_id).in_(public_projects(before)),
            col(GateDecision.decided_at) < before,
        )
        .order_by(col(GateDecision.decided_at), col(GateDecision.id))
    ).all()
    standing = dict.fromkeys(ids, (Stage.IDEA, ProjectStatus.ACTIVE))
    for pid, stage, status in rows:
        standing[pid] = (stage, status)
    return standing


def _movements(session: Session, start: datetime, end: datetime) -> list[Count]:
    rows = session.execute(
        sa.select(
            col(GateDecision.decision), col(GateDecision.from_stage), col(GateDecision.to_stage)
        ).where(
            col(GateDecision.project_id).in_(public_projects(end)),
            col(GateDecision.decided_at) >= start,
            col(GateDecision.decided_at) < end,
        )
    ).all()
    found: Counter[tuple[str, int]] = Counter()
    for decision, from_stage, to_stage in rows:
        if decision is GateDecisionKind.GO:
            found[
                (f"{from_stage.value.capitalize()} to {to_stage.value.lower()}", from_stage.order)
            ] += 1
        else:
            found[(MOVEMENT_LABELS[decision], 10 + list(MOVEMENT_LABELS).index(decision))] += 1
    return [Count(label, n) for (label, _), n in sorted(found.items(), key=lambda i: i[0][1])]


def year_figures(*, session: Session, year: int) -> YearFigures:
    start, end = year_bounds(year)
    leads = session.execute(
        sa.select(col(Project.id), col(Organisation.kind), col(Organisation.region))
        .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
        .where(col(Project.id).in_(public_projects(end)))
    ).all()
    ids = [pid for pid, _, _ in leads]
    standing = _standing_at(session, ids, end)
    stages = Counter(stage for stage, _ in standing.values())
    themes: Counter[str] = Counter()
    themed: set[int] = set()
    for pid, name in session.execute(
        sa.select(col(ProjectTheme.project_id), col(Theme.name))
        .join(Theme, col(Theme.id) == col(ProjectTheme.theme_id))
        .where(col(ProjectTheme.project_id).in_(public_projects(end)))
    ).all():
        themes[name] += 1
        themed.add(pid)
    if len(themed) < len(ids):
        themes[NO_THEME] = len(ids) - len(themed)
    kinds = Counter(kind_label(kind) for _, kind, _ in leads)
    regions = Counter(region or UNKNOWN_REGION for _, _, region in leads)
    lessons = readable_lessons(ANONYMOUS).where(
        col(Lesson.recorded_at) >= start, col(Lesson.recorded_at) < end
    )
    return YearFigures(
        year=year,
        project_count=len(ids),
        by_stage=[Count(stage.value.capitalize(), stages.get(stage, 0)) for stage in STAGES],
        stopped=sum(1 for _, status in standing.values() if status is ProjectStatus.STOPPED),
        by_theme=_most_first(themes),
        by_organisation_kind=_most_first(kinds),
        by_region=_most_first(regions),
        movements=_movements(session, start, end),
        lessons=session.scalar(lessons.with_only_columns(sa.func.count()).order_by(None)) or 0,
    )
