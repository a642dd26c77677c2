"""Managing an organisation's webhook endpoints: its LEADs and STAFF, with an audit."""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, require_writer
from inset.accounts.models import Role
from inset.audit import service as audit
from inset.db import utcnow
from inset.errors import Forbidden, Invalid, NotFound
from inset.events.mapping import EVENT_TYPES
from inset.events.models import Event
from inset.events.service import event_is_readable
from inset.validation import no_personal_data, text
from inset.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from inset.webhooks.urls import check_url

SECRET_BYTES = 32
PREVIOUS_SECRET_GRACE = timedelta(hours=24)
DESCRIPTION_LENGTH = 500
SHOWN = ["url", "event_types", "description", "enabled"]


def new_secret() -> str:
    """`whsec_` and 32 random bytes in base64, as Standard Webhooks libraries expect."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def reader_for(endpoint: WebhookEndpoint) -> Actor:
    """Reads as any member of the endpoint's organisation: what it is sent."""
    return Actor(organisation_id=endpoint.organisation_id, role=Role.MEMBER)


def may_manage(actor: Actor, endpoint: WebhookEndpoint) -> bool:
    return actor.may_write and (actor.is_staff or actor.organisation_id == endpoint.organisation_id)


def _event_types(types: list[str]) -> list[str]:
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise Invalid(
            f"unknown event type {unknown[0]!r}; the types are: " + ", ".join(EVENT_TYPES),
            ("event_types",),
        )
    return sorted(set(types))


def _description(value: str | None) -> str | None:
    cleaned = text(value, "description", limit=DESCRIPTION_LENGTH, required=False)
    no_personal_data({"description": cleaned}, public=False)
    return cleaned


def create_endpoint(
    *,
    session: Session,
    actor: Actor,
    url: str,
    event_types: list[str] | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    """A new endpoint of the actor's organisation, enabled, receiving events from now on.

    `event_types` empty or None: every type. The secret is on the returned row; the API
    shows it in this answer only.
    """
    require_writer(actor)
    if actor.organisation_id is None:
        raise Forbidden("webhook endpoints belong to an organisation; yours has none")
    endpoint = WebhookEndpoint(
        organisation_id=actor.organisation_id,
        url=check_url(url),
        event_types=_event_types(event_types or []),
        description=_description(description),
        secret=new_secret(),
        # Only events committed from now on: the feed is in commit order, so every
        # event above this id is one this endpoint has not yet been offered.
        event_cursor=session.scalar(sa.select(sa.func.max(Event.id))) or 0,
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="webhook_endpoint.create",
        entity=endpoint,
        organisation_id=endpoint.organisation_id,
        changes=audit.created(endpoint, SHOWN),
    )
    return endpoint


def get_endpoint_for_write(*, session: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    """The live endpoint, locked, when the actor may manage it; NotFound otherwise."""
    require_writer(actor)
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None or endpoint.archived_at is not None or not may_manage(actor, endpoint):
        raise NotFound("webhook endpoint", ("endpoint_id",))
    return endpoint


def update_endpoint(
    *,
    session: Session,
    actor: Actor,
    endpoint_id: int,
    expected_version: int,
    changes: dict[str, Any],
) -> WebhookEndpoint:
    """Changes any of url, event_types, description, enabled. Enabling a disabled
    endpoint clears its reason; its queued deliveries resume where they stopped."""
    endpoint = get_endpoint_for_write(session=session, actor=actor, endpoint_id=endpoint_id)
    records.check_version(endpoint, expected_version, "the webhook endpoint")
    before = {name: getattr(endpoint, name) for name in SHOWN}
    if "url" in changes:
        endpoint.url = check_url(changes["url"] or "")
    if "event_types" in changes:
        endpoint.event_types = _event_types(changes["event_types"] or [])
    if "description" in changes:
        endpoint.description = _description(changes["description"])
    if "enabled" in changes and changes["enabled"] is not None:
        endpoint.enabled = bool(changes["enabled"])
        if endpoint.enabled:
            endpoint.disabled_reason = endpoint.disabled_at = None
    diff = audit.diff(before, endpoint)
    if diff:
        endpoint.version += 1
        endpoint.updated_at = utcnow()
        session.add(endpoint)
        audit.record(
            session=session,
            actor=actor,
            action="webhook_endpoint.update",
            entity=endpoint,
            organisation_id=endpoint.organisation_id,
            changes=diff,
        )
    return endpoint


def rotate_secret(*, session: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    """A new secret; requests are signed with the old one too for 24 hours, so that the
    receiver can switch without losing a webhook."""
    endpoint = get_endpoint_for_write(session=session, actor=actor, endpoint_id=endpoint_id)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = utcnow() + PREVIOUS_SECRET_GRACE
    endpoint.secret = new_secret()
    endpoint.version += 1
    endpoint.updated_at = utcnow()
    session.add(endpoint)
    audit.record(
        session=session,
        actor=actor,
        action="webhook_endpoint.rotate_secret",
        entity=endpoint,
        organisation_id=endpoint.organisation_id,
        changes={"secret": ("(hidden)", "(new)")},
    )
    return endpoint


def archive_endpoint(
    *, session: Session, actor: Actor, endpoint_id: int, reason: str
) -> WebhookEndpoint:
    """Stops all delivery to the endpoint and hides it; its history is kept."""
    endpoint = get_endpoint_for_write(session=session, actor=actor, endpoint_id=endpoint_id)
    endpoint.archived_at = endpoint.updated_at = utcnow()
    endpoint.enabled = False
    endpoint.version += 1
    session.add(endpoint)
    audit.record(
        session=session,
        actor=actor,
        action="webhook_endpoint.archive",
        entity=endpoint,
        organisation_id=endpoint.organisation_id,
        changes={"archived": (False, True), "reason": (None, reason)},
    )
    return endpoint


def disable_endpoint(
    *, session: Session, actor: Actor, endpoint: WebhookEndpoint, reason: str
) -> None:
    """Turns delivery off and says why: on the endpoint, in the audit log and as a
    `webhook_endpoint.disabled` event for the organisation."""
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:500]
    endpoint.disabled_at = endpoint.updated_at = utcnow()
    endpoint.version += 1
    session.add(endpoint)
    audit.record(
        session=session,
        actor=actor,
        action="webhook_endpoint.disable",
        entity=endpoint,
        organisation_id=endpoint.organisation_id,
        changes={"enabled": (True, False), "disabled_reason": (None, endpoint.disabled_reason)},
    )


def redeliver(
    *, session: Session, actor: Actor, endpoint_id: int, event_id: int
) -> WebhookDelivery:
    """Queues the event for the endpoint again, now, with a fresh retry schedule.

    The event must be one the endpoint's organisation may read; otherwise NotFound, as
    for an event that does not exist.
    """
    endpoint = get_endpoint_for_write(session=session, actor=actor, endpoint_id=endpoint_id)
    event = session.scalar(
        sa.select(Event).where(col(Event.id) == event_id, event_is_readable(reader_for(endpoint)))
    )
    if event is None:
        raise NotFound("event", ("event_id",))
    delivery = session.scalar(
        sa.select(WebhookDelivery).where(
            col(WebhookDelivery.endpoint_id) == endpoint_id,
            col(WebhookDelivery.event_id) == event_id,
        )
    ) or WebhookDelivery(
        endpoint_id=endpoint_id, event_id=event_id, ordering_key=event.project_id or 0
    )
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.leased_until = delivery.completed_at = None
    session.add(delivery)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="webhook_endpoint.redeliver",
        entity=endpoint,
        organisation_id=endpoint.organisation_id,
        changes={"event_id": (None, event_id)},
    )
    return delivery
