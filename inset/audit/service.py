"""The append-only audit trail: who changed what, from what to what, when."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from inset.access import Actor
from inset.accounts.models import Role
from inset.audit.models import AuditEvent
from inset.errors import AccessDenied
from inset.events.service import emit_for_audit


def _json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_json(v) for v in value]
    return value


def record(
    *,
    session: Session,
    actor: Actor,
    action: str,
    entity: SQLModel,
    organisation_id: int | None,
    changes: Mapping[str, tuple[Any, Any]],
) -> AuditEvent:
    """Adds one event in the caller's transaction, so it lands exactly when the change does.

    `changes` maps a field to (before, after); a created record has before = None.
    """
    event = AuditEvent(
        account_id=actor.account_id,
        token_id=actor.token_id,
        action=action,
        entity_type=type(entity).__name__,
        entity_id=entity.id,  # type: ignore[attr-defined]
        organisation_id=organisation_id,
        changes={field: [_json(b), _json(a)] for field, (b, a) in changes.items()},
        request_id=session.info.get("request_id"),
    )
    session.add(event)
    # The change's event for the feed and webhooks, in the same transaction (the outbox).
    emit_for_audit(
        session=session,
        action=action,
        entity=entity,
        organisation_id=organisation_id,
        changes={field: (b, a) for field, (b, a) in event.changes.items()},
    )
    return event


def created(entity: SQLModel, fields: list[str]) -> dict[str, tuple[Any, Any]]:
    """The (None, value) changes of a new record, for the named fields."""
    return {f: (None, getattr(entity, f)) for f in fields}


def diff(before: Mapping[str, Any], after: SQLModel) -> dict[str, tuple[Any, Any]]:
    """The fields of `before` whose value on `after` is different."""
    return {f: (v, getattr(after, f)) for f, v in before.items() if getattr(after, f) != v}


def may_read_audit_log(actor: Actor) -> bool:
    return actor.is_staff or (actor.role is Role.LEAD and actor.organisation_id is not None)


def readable_audit_events(actor: Actor) -> sa.Select[AuditEvent]:
    """STAFF read every event; a LEAD their organisation's; anyone else none."""
    stmt = sa.select(AuditEvent)
    if actor.is_staff:
        return stmt
    if not may_read_audit_log(actor):
        return stmt.where(sa.false())
    return stmt.where(col(AuditEvent.organisation_id) == actor.organisation_id)


def audit_list(
    *,
    actor: Actor,
    entity_types: list[str] | None = None,
    actions: list[str] | None = None,
    since: datetime | None = None,
    account_id: int | None = None,
) -> sa.Select[AuditEvent]:
    """Events the actor may read (`readable_audit_events`), filtered.

    Raises AccessDenied for anyone who reads no event: the trail names people and
    changes that members and partners have no need to see.
    """
    if not may_read_audit_log(actor):
        raise AccessDenied("the audit log is for incubator staff and organisation leads")
    stmt = readable_audit_events(actor)
    if entity_types:
        stmt = stmt.where(col(AuditEvent.entity_type).in_(entity_types))
    if actions:
        stmt = stmt.where(col(AuditEvent.action).in_(actions))
    if since is not None:
        stmt = stmt.where(col(AuditEvent.occurred_at) >= since)
    if account_id is not None:
        stmt = stmt.where(col(AuditEvent.account_id) == account_id)
    return stmt
