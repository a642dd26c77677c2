from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import project_is_own
from inset.graphql.context import Context
from inset.graphql.loaders import counts_by_parent, pages_by_parent, rows_by_id, rows_by_parent
from inset.lessons import marks, service
from inset.lessons.models import Barrier, Lesson, LessonBarrier
from inset.lessons.related import related_lessons
from inset.pagination import Page, PageRequest, SortKey
from inset.projects.models import Project

# Newest first; the id breaks ties between lessons recorded in the same instant.
NEWEST_FIRST = [
    SortKey(col(Lesson.recorded_at), descending=True),
    SortKey(col(Lesson.id), descending=True),
]
_ORDER = list(Barrier)


def lesson_by_id(context: Context) -> DataLoader[int, Lesson | None]:
    """Lessons the viewer may read (see inset.lessons.service); anything else is None."""
    return rows_by_id(context, service.readable_lessons(context.actor), col(Lesson.id))


def lesson_pages_by_project(context: Context) -> DataLoader[tuple[int, PageRequest], Page]:
    """A page of a project's lessons the viewer may read as the project's (anonymised ones
    only for the project's own organisations and staff), newest first."""
    return pages_by_parent(
        context,
        service.project_lessons(context.actor),
        Lesson,
        col(Lesson.project_id),
        NEWEST_FIRST,
        lambda row: (row.recorded_at, row.id),
    )


def lesson_count_by_project(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, service.project_lessons(context.actor), col(Lesson.project_id))


def lessons_by_decision(context: Context) -> DataLoader[int, list[Lesson]]:
    """The lessons given inline with each gate decision (at most one each), as
    `lesson_pages_by_project` shows them."""
    return rows_by_parent(
        context,
        service.project_lessons(context.actor).order_by(col(Lesson.id)),
        col(Lesson.decision_id),
    )


def barriers_by_lesson(context: Context) -> DataLoader[int, list[Barrier]]:
    """Each lesson's barrier tags, in the order of the fixed list."""

    async def batch(lesson_ids: list[int]) -> list[list[Barrier]]:
        found: dict[int, list[Barrier]] = defaultdict(list)
        rows = context.session.execute(
            sa.select(col(LessonBarrier.lesson_id), col(LessonBarrier.barrier)).where(
                col(LessonBarrier.lesson_id).in_(lesson_ids)
            )
        )
        for lesson_id, barrier in rows:
            found[lesson_id].append(barrier)
        return [sorted(found[lid], key=_ORDER.index) for lid in lesson_ids]

    return DataLoader(load_fn=batch)


def lesson_project_by_id(context: Context) -> DataLoader[int, Project | None]:
    """The project behind lessons the viewer may read, even where the project itself is
    not readable: only for what every reader of a lesson sees of its project (status,
    visibility, the lead organisation's kind and region). Never shown as a Project."""
    return rows_by_id(
        context, service.projects_with_readable_lessons(context.actor), col(Project.id)
    )


def own_project_by_id(context: Context) -> DataLoader[int, bool]:
    """Whether the viewer is staff or of each project's own organisations (lead or
    partner): only they see who is behind its anonymised lessons."""
    actor = context.actor

    async def batch(project_ids: list[int]) -> list[bool]:
        if actor.is_staff or actor.organisation_id is None:
            return [actor.is_staff] * len(project_ids)
        own = set(
            context.session.scalars(
                sa.select(col(Project.id)).where(
                    col(Project.id).in_(project_ids), project_is_own(actor)
                )
            )
        )
        return [pid in own for pid in project_ids]

    return DataLoader(load_fn=batch)


def useful_count_by_lesson(context: Context) -> DataLoader[int, int]:
    """How many accounts marked each lesson useful (asked only for readable lessons)."""

    async def batch(lesson_ids: list[int]) -> list[int]:
        counts = marks.useful_counts(session=context.session, lesson_ids=lesson_ids)
        return [counts.get(lid, 0) for lid in lesson_ids]

    return DataLoader(load_fn=batch)


def marked_useful_by_lesson(context: Context) -> DataLoader[int, bool]:
    """Whether the viewer marked each lesson useful; always False for anonymous readers."""
    account_id = context.actor.account_id

    async def batch(lesson_ids: list[int]) -> list[bool]:
        if account_id is None:
            return [False] * len(lesson_ids)
        found = marks.marked_by(
            session=context.session, account_id=account_id, lesson_ids=lesson_ids
        )
        return [lid in found for lid in lesson_ids]

    return DataLoader(load_fn=batch)


def related_by_lesson(context: Context) -> DataLoader[tuple[int, int], list[Lesson]]:
    """Related lessons by (lesson id, how many): one statement per distinct `first` asked."""

    async def batch(keys: list[tuple[int, int]]) -> list[list[Lesson]]:
        ids_by_first: dict[int, list[int]] = defaultdict(list)
        for lesson_id, first in keys:
            ids_by_first[first].append(lesson_id)
        found: dict[tuple[int, int], list[Lesson]] = {}
        for first, ids in ids_by_first.items():
            related = related_lessons(
                session=context.session, actor=context.actor, lesson_ids=ids, first=first
            )
            found.update({(lid, first): rows for lid, rows in related.items()})
        return [found[key] for key in keys]

    return DataLoader(load_fn=batch)
