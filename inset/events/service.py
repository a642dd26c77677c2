"""The events of audited changes, and who may read them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, col

from inset.access import Actor, project_is_readable, readable_visibilities
from inset.errors import Invalid
from inset.events import outbox
from inset.events.mapping import EVENT_TYPES, describe
from inset.events.models import Event
from inset.projects.models import Project, ProjectPartner


def _project_of(session: Session, entity: SQLModel) -> int | None:
    if isinstance(entity, Project):
        return entity.id
    project_id = getattr(entity, "project_id", None)
    if project_id is not None:
        return int(project_id)
    outcome_id = getattr(entity, "outcome_id", None)
    if outcome_id is not None:  # an observation belongs to its outcome's project
        from inset.outcomes.models import Outcome

        outcome = session.get(Outcome, outcome_id)
        return outcome.project_id if outcome else None
    return None


def emit_for_audit(
    *,
    session: Session,
    action: str,
    entity: SQLModel,
    organisation_id: int | None,
    changes: Mapping[str, tuple[Any, Any]],
) -> None:
    """Queues the events of one audited change (JSON values) for the change's commit."""
    entity_id = getattr(entity, "id", None)
    if entity_id is None:
        return
    project_id = _project_of(session, entity)
    for described in describe(
        action=action,
        entity_type=type(entity).__name__,
        entity_id=entity_id,
        project_id=project_id,
        changes=changes,
    ):
        outbox.enqueue(
            session,
            Event(
                type=described.type,
                subject_type=described.subject_type,
                subject_id=described.subject_id,
                project_id=project_id,
                organisation_id=organisation_id,
                reach=getattr(entity, "shared_with", None),
                restricted=bool(getattr(entity, "anonymised", False)),
                data=described.data,
            ),
        )


def event_is_readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `event`: what the actor may read of its record, as it is now.

    An archived record's events stay readable to those who may read its project, which
    is what makes `project.archived` visible at all.
    """
    if actor.is_staff:
        return sa.true()
    org = actor.organisation_id
    of_project = col(Project.id) == col(Event.project_id)
    readable_project = sa.exists().where(of_project, project_is_readable(actor))
    shared = sa.or_(readable_project, col(Event.reach).in_(readable_visibilities(actor)))
    if org is None:
        return sa.and_(col(Event.project_id).is_not(None), sa.not_(col(Event.restricted)), shared)
    own_project = sa.exists().where(
        of_project,
        sa.or_(
            col(Project.lead_organisation_id) == org,
            sa.exists().where(
                col(ProjectPartner.project_id) == col(Project.id),
                col(ProjectPartner.organisation_id) == org,
            ),
        ),
    )
    return sa.or_(
        sa.and_(col(Event.project_id).is_not(None), col(Event.restricted), own_project),
        sa.and_(col(Event.project_id).is_not(None), sa.not_(col(Event.restricted)), shared),
        sa.and_(col(Event.project_id).is_(None), col(Event.organisation_id) == org),
    )


def events_for(
    *, actor: Actor, types: list[str] | None = None, project_id: int | None = None
) -> sa.Select[Any]:
    """The events `actor` may read, optionally of some types or one project; unordered.

    Raises Invalid for a type that is not one of EVENT_TYPES, so that a typo is not
    silently an empty feed.
    """
    stmt = sa.select(Event).where(event_is_readable(actor))
    if types:
        unknown = sorted(set(types) - set(EVENT_TYPES))
        if unknown:
            raise Invalid(
                f"unknown event type {unknown[0]!r}; the types are: " + ", ".join(EVENT_TYPES),
                ("types",),
            )
        stmt = stmt.where(col(Event.type).in_(types))
    if project_id is not None:
        stmt = stmt.where(col(Event.project_id) == project_id)
    return stmt
