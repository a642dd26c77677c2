"""Corrections to lessons: every rule of recording applies to the result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, require_writer
from inset.audit import service as audit
from inset.errors import NotFound
from inset.lessons.models import Lesson, LessonBarrier
from inset.lessons.service import OWNER, clean_lesson
from inset.projects.service import get_project_for_write, touch

EDITABLE = (
    "kind",
    "title",
    "body",
    "barriers",
    "shared_with",
    "anonymised",
    "stage",
    "external_id",
)
# Null for shared_with means "exactly as its project"; null barriers means none.
REQUIRED = ("kind", "title", "body", "anonymised", "stage")


def update_lesson(
    *,
    session: Session,
    actor: Actor,
    lesson_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Lesson:
    """Corrects the fields in `changes`; left-out fields stay. `barriers` replaces the
    tags; null `shared_with` makes the lesson as widely read as its project again.

    The personal-data check reads the corrected text at the lesson's corrected reach, so
    widening a lesson to PUBLIC checks its text as public text.
    """
    records.given(changes, EDITABLE, REQUIRED)
    require_writer(actor)
    lesson = session.get(Lesson, lesson_id)
    if lesson is None or lesson.archived_at is not None:
        raise NotFound("lesson", ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=lesson.project_id, field="id"
        )
    except NotFound:
        raise NotFound("lesson", ("id",)) from None
    records.check_version(lesson, expected_version, "the lesson")
    old_tags = sorted(
        b.value
        for b in session.scalars(
            sa.select(col(LessonBarrier.barrier)).where(col(LessonBarrier.lesson_id) == lesson.id)
        )
    )
    current: dict[str, Any] = {
        "kind": lesson.kind,
        "title": lesson.title,
        "body": lesson.body,
        "barriers": old_tags,
        "shared_with": lesson.shared_with,
        "anonymised": lesson.anonymised,
        "stage": lesson.stage,
    }
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    values, tags = clean_lesson(session, project, **merged)
    if "external_id" in changes:
        owner = lesson.external_owner_id or records.key_owner(actor, project.lead_organisation_id)
        key = records.external_id(changes["external_id"])
        records.claim(
            session, Lesson, owner_column=OWNER, owner_id=owner, key=key, current_id=lesson.id
        )
        values.update(external_id=key, external_owner_id=owner)
    diff = records.apply(lesson, values)
    new_tags = sorted(b.value for b in tags)
    if new_tags != old_tags:
        session.execute(sa.delete(LessonBarrier).where(col(LessonBarrier.lesson_id) == lesson.id))
        session.add_all(LessonBarrier(lesson_id=lesson.id or 0, barrier=b) for b in tags)
        diff["barriers"] = (old_tags, new_tags)
        if "version" not in diff:
            diff["version"] = (lesson.version, lesson.version + 1)
            lesson.version += 1
    if not diff:
        return lesson
    diff.pop("external_owner_id", None)
    session.add(lesson)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="lesson.update",
        entity=lesson,
        organisation_id=project.lead_organisation_id,
        changes=diff,
    )
    return lesson
