"""Who is told of a change: the followers of what changed.

Called for every audited change (inset.audit.service.record), so that the one place
where changes are recorded is also the one place that decides who hears of them:

- `lesson.record` (NEW_LESSON): followers of the lesson's barriers and of its project's
  themes; unless the lesson is anonymised, also followers of its project and of the
  project's lead organisation;
- `project.create` (NEW_PROJECT): followers of the lead organisation and of its themes;
- `project.gate_decision` (followers of the project): STAGE_CHANGED when the stage moved
  (GO, RECYCLE), STATUS_CHANGED when only the status did (HOLD, RESUME, STOP).

Whoever made the change is not told of it. An anonymised lesson is never announced to
the followers of its project or organisation: being told "a new lesson from X" would
name what the lesson hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from inset.access import Actor
from inset.accounts.models import Account
from inset.lessons.models import Lesson, LessonBarrier
from inset.notifications.models import Follow, NotificationKind
from inset.notifications.service import notify
from inset.projects.models import Project, ProjectTheme


def _followers(session: Session, *conditions: sa.ColumnElement[bool]) -> list[int]:
    """Live accounts following anything that matches one of the conditions, each once."""
    if not conditions:
        return []
    stmt = (
        sa.select(col(Follow.account_id))
        .join(Account, col(Account.id) == col(Follow.account_id))
        .where(sa.or_(*conditions), col(Account.archived_at).is_(None))
        .distinct()
    )
    return sorted(session.scalars(stmt))


def _theme_follows(session: Session, project_id: int) -> sa.ColumnElement[bool]:
    themes = sa.select(col(ProjectTheme.theme_id)).where(col(ProjectTheme.project_id) == project_id)
    return col(Follow.theme_id).in_(list(session.scalars(themes)))


def fan_out(
    *,
    session: Session,
    actor: Actor,
    action: str,
    entity: SQLModel,
    changes: Mapping[str, Any],
) -> None:
    if action == "lesson.record" and isinstance(entity, Lesson):
        _new_lesson(session, actor, entity)
    elif action == "project.create" and isinstance(entity, Project):
        project_id = entity.id or 0
        accounts = _followers(
            session,
            col(Follow.organisation_id) == entity.lead_organisation_id,
            _theme_follows(session, project_id),
        )
        _tell(session, actor, accounts, NotificationKind.NEW_PROJECT, project_id=project_id)
    elif action == "project.gate_decision" and isinstance(entity, Project):
        if "stage" in changes:
            kind, detail = NotificationKind.STAGE_CHANGED, entity.stage.value
        elif "status" in changes:
            kind, detail = NotificationKind.STATUS_CHANGED, entity.status.value
        else:
            return
        accounts = _followers(session, col(Follow.project_id) == entity.id)
        _tell(session, actor, accounts, kind, project_id=entity.id, detail=detail)


def _new_lesson(session: Session, actor: Actor, lesson: Lesson) -> None:
    project = session.get(Project, lesson.project_id)
    if project is None:
        return
    session.flush()  # the lesson's barrier tags were added just before it was audited
    barriers = list(
        session.scalars(
            sa.select(col(LessonBarrier.barrier)).where(col(LessonBarrier.lesson_id) == lesson.id)
        )
    )
    conditions = [_theme_follows(session, lesson.project_id)]
    if barriers:
        conditions.append(col(Follow.barrier).in_(barriers))
    if not lesson.anonymised:
        conditions.append(col(Follow.project_id) == lesson.project_id)
        conditions.append(col(Follow.organisation_id) == project.lead_organisation_id)
    accounts = _followers(session, *conditions)
    _tell(session, actor, accounts, NotificationKind.NEW_LESSON, lesson_id=lesson.id)


def _tell(
    session: Session,
    actor: Actor,
    accounts: list[int],
    kind: NotificationKind,
    *,
    project_id: int | None = None,
    lesson_id: int | None = None,
    detail: str | None = None,
) -> None:
    for account_id in accounts:
        if account_id != actor.account_id:
            notify(
                session=session,
                account_id=account_id,
                kind=kind,
                project_id=project_id,
                lesson_id=lesson_id,
                detail=detail,
            )
