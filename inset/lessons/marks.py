"""Marking a lesson useful: one mark per account and lesson, counted for every reader.

Any signed-in account that may read a lesson may mark it (members too: reading is what
they do). The count is shown wherever the lesson is readable; who marked is never shown
to other readers, only whether the viewer has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from inset.access import Actor
from inset.accounts.models import TokenScope
from inset.audit import service as audit
from inset.errors import Forbidden, NotFound
from inset.lessons.models import Lesson, LessonMark
from inset.lessons.service import readable_lessons


class MarkChange(Protocol):
    def __call__(self, *, session: Session, actor: Actor, lesson_id: int) -> Lesson: ...


def _readable_lesson(session: Session, actor: Actor, lesson_id: int) -> Lesson:
    lesson = session.scalars(readable_lessons(actor).where(col(Lesson.id) == lesson_id)).first()
    if lesson is None:
        raise NotFound("lesson", ("lesson_id",))
    return lesson


def _require_account(actor: Actor) -> int:
    if actor.account_id is None:
        raise Forbidden("sign in to mark a lesson useful")
    if actor.scope is TokenScope.READ:
        raise Forbidden("this API token may only read; use a READ_WRITE token")
    return actor.account_id


def mark_useful(*, session: Session, actor: Actor, lesson_id: int) -> Lesson:
    """The actor's mark on a lesson they may read; marking again changes nothing.

    NOT_FOUND on `lesson_id` when the lesson is not readable (or archived); FORBIDDEN for
    anonymous readers and read-only tokens. Two requests racing to mark store one mark.
    """
    account_id = _require_account(actor)
    lesson = _readable_lesson(session, actor, lesson_id)
    if _mark(session, account_id, lesson_id) is not None:
        return lesson
    mark = LessonMark(lesson_id=lesson_id, account_id=account_id)
    try:
        with session.begin_nested():
            session.add(mark)
    except IntegrityError:
        return lesson  # the same account marked it in a concurrent request
    _audit(session, actor, mark, marked=True)
    return lesson


def unmark_useful(*, session: Session, actor: Actor, lesson_id: int) -> Lesson:
    """Takes back the actor's mark; without one, changes nothing. Errors as `mark_useful`."""
    account_id = _require_account(actor)
    lesson = _readable_lesson(session, actor, lesson_id)
    mark = _mark(session, account_id, lesson_id)
    if mark is not None:
        _audit(session, actor, mark, marked=False)
        session.delete(mark)
    return lesson


def _mark(session: Session, account_id: int, lesson_id: int) -> LessonMark | None:
    return session.scalars(
        sa.select(LessonMark).where(
            col(LessonMark.lesson_id) == lesson_id, col(LessonMark.account_id) == account_id
        )
    ).first()


def _audit(session: Session, actor: Actor, mark: LessonMark, *, marked: bool) -> None:
    # Filed under the marker's own organisation, not the lesson's: a mark is the reader's
    # doing, and the lesson's organisation is not told who found it useful.
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="lesson.mark_useful" if marked else "lesson.unmark_useful",
        entity=mark,
        organisation_id=actor.organisation_id,
        changes={"lesson_id": (None, mark.lesson_id)}
        if marked
        else {"lesson_id": (mark.lesson_id, None)},
    )


def useful_counts(*, session: Session, lesson_ids: Sequence[int]) -> dict[int, int]:
    """How many accounts marked each lesson; lessons without a mark are absent."""
    rows = session.execute(
        sa.select(col(LessonMark.lesson_id), sa.func.count())
        .where(col(LessonMark.lesson_id).in_(lesson_ids))
        .group_by(col(LessonMark.lesson_id))
    )
    return {int(lesson_id): int(n) for lesson_id, n in rows.all()}


def marked_by(*, session: Session, account_id: int, lesson_ids: Sequence[int]) -> set[int]:
    """The lessons among `lesson_ids` that the account has marked useful."""
    return set(
        session.scalars(
            sa.select(col(LessonMark.lesson_id)).where(
                col(LessonMark.account_id) == account_id,
                col(LessonMark.lesson_id).in_(lesson_ids),
            )
        )
    )
