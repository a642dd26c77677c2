"""Following themes, barriers, projects and organisations, and being told in the application.

A notification points at records and copies none of their text. Whether its reader may
see it is decided when it is listed (`readable_notifications`) and again when it is
emailed (inset.notifications.digest), under the reader's rights at that moment: a
project that went PRIVATE since, or a lesson archived since, is simply not shown.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inset.access import Actor, live_project
from inset.accounts.models import Account
from inset.db import utcnow
from inset.errors import Forbidden, Invalid, NotFound
from inset.lessons.models import Barrier, Lesson
from inset.lessons.service import lesson_is_readable
from inset.notifications.models import (
    DigestFrequency,
    EmailDigest,
    Follow,
    Notification,
    NotificationKind,
)
from inset.organisations.models import Organisation
from inset.projects.models import Project
from inset.themes.models import Theme

DEFAULT_FREQUENCY = DigestFrequency.WEEKLY


def _signed_in(actor: Actor) -> int:
    if actor.account_id is None:
        raise Forbidden("sign in to follow and to be told")
    return actor.account_id


def _target(
    *,
    session: Session,
    actor: Actor,
    theme_id: int | None,
    barrier: str | None,
    project_id: int | None,
    organisation_id: int | None,
) -> dict[str, object]:
    """The one target as Follow's column values; NOT_FOUND for what the actor may not read."""
    given = [v for v in (theme_id, barrier, project_id, organisation_id) if v is not None]
    if len(given) != 1:
        raise Invalid("give exactly one of themeId, barrier, projectId or organisationId")
    if theme_id is not None:
        if session.get(Theme, theme_id) is None:
            raise NotFound("theme", ("theme_id",))
        return {"theme_id": theme_id}
    if barrier is not None:
        try:
            return {"barrier": Barrier(barrier.strip().lower())}
        except ValueError:
            known = ", ".join(b.value for b in Barrier)
            raise Invalid(
                f"{barrier!r} is not a barrier; use one of: {known}", ("barrier",)
            ) from None
    if project_id is not None:
        readable = session.scalars(
            sa.select(col(Project.id)).where(col(Project.id) == project_id, live_project(actor))
        ).first()
        if readable is None:
            raise NotFound("project", ("project_id",))
        return {"project_id": project_id}
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.archived_at is not None:
        raise NotFound("organisation", ("organisation_id",))
    return {"organisation_id": organisation_id}


def _existing(session: Session, account_id: int, target: dict[str, object]) -> Follow | None:
    stmt = sa.select(Follow).where(col(Follow.account_id) == account_id)
    for name, value in target.items():
        stmt = stmt.where(getattr(Follow, name) == value)
    return session.scalars(stmt).first()


def follow(
    *,
    session: Session,
    actor: Actor,
    theme_id: int | None = None,
    barrier: str | None = None,
    project_id: int | None = None,
    organisation_id: int | None = None,
) -> Follow:
    """Follows one thing; following it again returns the same follow."""
    account_id = _signed_in(actor)
    target = _target(
        session=session,
        actor=actor,
        theme_id=theme_id,
        barrier=barrier,
        project_id=project_id,
        organisation_id=organisation_id,
    )
    existing = _existing(session, account_id, target)
    if existing is not None:
        return existing
    row = Follow(account_id=account_id, **target)  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    return row


def unfollow(
    *,
    session: Session,
    actor: Actor,
    theme_id: int | None = None,
    barrier: str | None = None,
    project_id: int | None = None,
    organisation_id: int | None = None,
) -> bool:
    """Stops following; true when there was a follow to end. A follow is the follower's own
    setting, not a record of the portfolio, so it is deleted rather than archived."""
    account_id = _signed_in(actor)
    given = [v for v in (theme_id, barrier, project_id, organisation_id) if v is not None]
    if len(given) != 1:
        raise Invalid("give exactly one of themeId, barrier, projectId or organisationId")
    target: dict[str, object]
    if barrier is not None:
        target = _target(
            session=session,
            actor=actor,
            theme_id=None,
            barrier=barrier,
            project_id=None,
            organisation_id=None,
        )
    else:
        ids = {"theme_id": theme_id, "project_id": project_id, "organisation_id": organisation_id}
        target = {name: value for name, value in ids.items() if value is not None}
    existing = _existing(session, account_id, target)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def follows_of(*, session: Session, actor: Actor) -> list[Follow]:
    if actor.account_id is None:
        return []
    return list(
        session.scalars(
            sa.select(Follow)
            .where(col(Follow.account_id) == actor.account_id)
            .order_by(col(Follow.created_at), col(Follow.id))
        )
    )


def notify(
    *,
    session: Session,
    account_id: int,
    kind: NotificationKind,
    project_id: int | None = None,
    lesson_id: int | None = None,
    nomination_id: int | None = None,
    detail: str | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tells one account, in the caller's transaction; the public way for any domain to
    notify (e.g. a reviewer appointed to a gate review: kind REVIEW_REQUESTED, project_id).

    The notification is shown, and emailed, only while the account may read what it points
    at (a project or lesson); one pointing at neither is always shown. With `dedupe_key`,
    the same key for the same account is told once: None is returned the second time.
    """
    if dedupe_key is not None:
        seen = session.scalars(
            sa.select(col(Notification.id)).where(
                col(Notification.account_id) == account_id,
                col(Notification.dedupe_key) == dedupe_key,
            )
        ).first()
        if seen is not None:
            return None
    row = Notification(
        account_id=account_id,
        kind=kind,
        project_id=project_id,
        lesson_id=lesson_id,
        nomination_id=nomination_id,
        detail=detail,
        dedupe_key=dedupe_key,
    )
    session.add(row)
    return row


def notification_is_readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `notification`: the reader's own, pointing at what they may read."""
    lesson_ok = (
        sa.select(col(Lesson.id))
        .join(Project, col(Project.id) == col(Lesson.project_id))
        .where(col(Lesson.id) == col(Notification.lesson_id), lesson_is_readable(actor))
        .exists()
    )
    project_ok = (
        sa.select(col(Project.id))
        .where(col(Project.id) == col(Notification.project_id), live_project(actor))
        .exists()
    )
    return sa.and_(
        col(Notification.account_id) == actor.account_id,
        sa.or_(col(Notification.lesson_id).is_(None), lesson_ok),
        sa.or_(
            col(Notification.lesson_id).is_not(None),
            col(Notification.project_id).is_(None),
            project_ok,
        ),
    )


def readable_notifications(actor: Actor, *, unread_only: bool = False) -> sa.Select[Notification]:
    """The actor's notifications they may read now, in no particular order."""
    stmt = sa.select(Notification).where(notification_is_readable(actor))
    if unread_only:
        stmt = stmt.where(col(Notification.read_at).is_(None))
    return stmt


def mark_read(*, session: Session, actor: Actor, notification_id: int) -> Notification:
    _signed_in(actor)
    row = session.scalars(
        readable_notifications(actor).where(col(Notification.id) == notification_id)
    ).first()
    if row is None:
        raise NotFound("notification", ("notification_id",))
    if row.read_at is None:
        row.read_at = utcnow()
        session.add(row)
    return row


def mark_all_read(*, session: Session, actor: Actor, now: datetime | None = None) -> int:
    """Marks every unread notification of the actor read; returns how many."""
    account_id = _signed_in(actor)
    result = session.execute(
        sa.update(Notification)
        .where(col(Notification.account_id) == account_id, col(Notification.read_at).is_(None))
        .values(read_at=now or utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def digest_frequency(*, session: Session, account_id: int) -> DigestFrequency:
    row = session.get(EmailDigest, account_id)
    return row.frequency if row else DEFAULT_FREQUENCY


def set_digest_frequency(
    *, session: Session, account_id: int, frequency: DigestFrequency
) -> EmailDigest:
    """Also the unsubscribe link's effect (OFF), which needs no sign-in: hence an account id,
    not an actor."""
    if session.get(Account, account_id) is None:
        raise NotFound("account")
    row = session.get(EmailDigest, account_id) or EmailDigest(
        account_id=account_id, frequency=frequency
    )
    row.frequency = frequency
    session.add(row)
    session.flush()
    return row


def choose_digest_frequency(
    *, session: Session, actor: Actor, frequency: DigestFrequency
) -> EmailDigest:
    return set_digest_frequency(session=session, account_id=_signed_in(actor), frequency=frequency)
