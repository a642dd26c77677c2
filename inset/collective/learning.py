"""The digest's lessons, as the anonymous viewer reads them (see `inset.collective.digest`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import ANONYMOUS, may_read_project
from inset.collective.figures import kind_label
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons.models import Barrier, Lesson, LessonBarrier, LessonKind
from inset.lessons.service import readable_lessons
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectStatus

OTHER_LESSONS = "Other lessons"
BATCH = 10_000


@dataclass(frozen=True)
class DigestLesson:
    title: str
    body: str
    kind: LessonKind
    stage: str
    barriers: list[str]
    anonymised: bool
    source: str  # who learned it, as anyone may read it
    project_title: str | None
    project_status: ProjectStatus


@dataclass(frozen=True)
class BarrierLessons:
    barrier: str
    lessons: list[DigestLesson]


def _digest_lesson(
    lesson: Lesson, project: Project, organisation: Organisation, barriers: list[str]
) -> DigestLesson:
    # Anyone reads the project only when it is PUBLIC and live: partners do not matter
    # to the anonymous viewer, so no partner list is needed.
    project_public = may_read_project(ANONYMOUS, project, set())
    if lesson.anonymised:
        where = organisation.region or "region not given"
        source, title = f"{kind_label(organisation.kind)}, {where}", None
    else:
        title = project.title if project_public else None
        source = f"{title}, {organisation.name}" if title else organisation.name
    return DigestLesson(
        title=lesson.title,
        body=lesson.body,
        kind=lesson.kind,
        stage=lesson.stage.value,
        barriers=barriers,
        anonymised=lesson.anonymised,
        source=source,
        project_title=title,
        project_status=project.status,
    )


def _lessons(session: Session, stmt: sa.Select[Lesson]) -> list[DigestLesson]:
    rows = session.execute(
        stmt.with_only_columns(Lesson, Project, Organisation)
        .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
        .order_by(col(Lesson.recorded_at), col(Lesson.id))
    ).all()
    tags: dict[int, list[str]] = defaultdict(list)
    ids = [lesson.id for lesson, _, _ in rows]
    # In batches: PostgreSQL takes at most 65,535 parameters in one statement.
    for start in range(0, len(ids), BATCH):
        for lesson_id, barrier in session.execute(
            sa.select(col(LessonBarrier.lesson_id), col(LessonBarrier.barrier)).where(
                col(LessonBarrier.lesson_id).in_(ids[start : start + BATCH])
            )
        ).all():
            tags[lesson_id].append(barrier.value)
    order = [b.value for b in Barrier]
    return [
        _digest_lesson(lesson, project, org, sorted(tags[lesson.id or 0], key=order.index))
        for lesson, project, org in rows
    ]


def _in_year(start: datetime, end: datetime) -> sa.Select[Lesson]:
    return readable_lessons(ANONYMOUS).where(
        col(Lesson.recorded_at) >= start, col(Lesson.recorded_at) < end
    )


def lessons_by_barrier(*, session: Session, start: datetime, end: datetime) -> list[BarrierLessons]:
    """Lessons (not enablers) of stopped or recycled trials, under each of their barrier
    tags, the most used tag first (ties in the fixed list's order); untagged ones last."""
    recycled = sa.exists().where(
        col(GateDecision.project_id) == col(Project.id),
        col(GateDecision.decision) == GateDecisionKind.RECYCLE,
    )
    lessons = _lessons(
        session,
        _in_year(start, end).where(
            col(Lesson.kind) != LessonKind.ENABLER,
            sa.or_(col(Project.status) == ProjectStatus.STOPPED, recycled),
        ),
    )
    groups: dict[str, list[DigestLesson]] = defaultdict(list)
    for lesson in lessons:
        for tag in lesson.barriers or [OTHER_LESSONS]:
            groups[tag].append(lesson)
    order = [b.value for b in Barrier] + [OTHER_LESSONS]
    ranked = sorted(
        groups, key=lambda tag: (tag == OTHER_LESSONS, -len(groups[tag]), order.index(tag))
    )
    return [BarrierLessons(tag, groups[tag]) for tag in ranked]


def enablers(*, session: Session, start: datetime, end: datetime) -> list[DigestLesson]:
    """What helped, from any project: ENABLER lessons recorded during the year."""
    return _lessons(session, _in_year(start, end).where(col(Lesson.kind) == LessonKind.ENABLER))
