"""Integrations: service accounts that belong to an organisation, not to a person.

An organisation's LEAD (or incubator STAFF) creates an integration for a sync job and
gives it tokens. Its tokens act with LEAD rights on the organisation's projects, never
STAFF rights, whoever created them; the audit trail names the integration, and the job
keeps working when the person who set it up leaves. Token secrets are kept as hashes
only, as for a person's tokens.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_writer
from inset.accounts.models import ApiToken, Integration, Role, TokenScope
from inset.accounts.service import MAX_TOKEN_DAYS, TOKEN_PREFIX, digest
from inset.audit import service as audit
from inset.db import NAME_LENGTH, utcnow
from inset.errors import Forbidden, Invalid, NotFound
from inset.organisations.service import get_organisation
from inset.validation import no_personal_data, required_text


def may_manage(actor: Actor, organisation_id: int) -> bool:
    """STAFF, or a person who is LEAD of the organisation (an integration cannot manage
    integrations, so a leaked token cannot mint more)."""
    if actor.integration_id is not None or actor.is_anonymous:
        return False
    return actor.is_staff or (actor.role is Role.LEAD and actor.organisation_id == organisation_id)


def _require_manager(actor: Actor, organisation_id: int, field: str) -> None:
    require_writer(actor)
    if not may_manage(actor, organisation_id):
        raise Forbidden(
            "only the organisation's leads, or incubator staff, manage its integrations",
            (field,),
        )


def create_integration(
    *, session: Session, actor: Actor, organisation_id: int, name: str
) -> Integration:
    """A new integration of the organisation, e.g. "Case system nightly sync"."""
    require_writer(actor)
    get_organisation(session=session, organisation_id=organisation_id)
    _require_manager(actor, organisation_id, "organisation_id")
    cleaned = required_text(name, "name", limit=NAME_LENGTH)
    no_personal_data({"name": cleaned}, public=False)
    integration = Integration(
        organisation_id=organisation_id, name=cleaned, created_by_id=actor.account_id
    )
    session.add(integration)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="integration.create",
        entity=integration,
        organisation_id=organisation_id,
        changes=audit.created(integration, ["organisation_id", "name"]),
    )
    return integration


def get_integration_for_write(
    *, session: Session, actor: Actor, integration_id: int, field: str = "integration_id"
) -> Integration:
    """NOT_FOUND for an integration of another organisation (to all but STAFF), as if it
    did not exist; FORBIDDEN for a member of its organisation who is not a LEAD."""
    require_writer(actor)
    integration = session.get(Integration, integration_id)
    visible = integration is not None and integration.archived_at is None
    if (
        integration is None
        or not visible
        or not (actor.is_staff or actor.organisation_id == integration.organisation_id)
    ):
        raise NotFound("integration", (field,))
    _require_manager(actor, integration.organisation_id, field)
    return integration


def create_integration_token(
    *,
    session: Session,
    actor: Actor,
    integration_id: int,
    name: str,
    scope: TokenScope,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A token for the integration. Returns the stored token and its secret, which is
    not kept and cannot be shown again."""
    integration = get_integration_for_write(
        session=session, actor=actor, integration_id=integration_id
    )
    cleaned = required_text(name, "name", limit=NAME_LENGTH)
    no_personal_data({"name": cleaned}, public=False)
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise Invalid(f"expiresInDays must be from 1 to {MAX_TOKEN_DAYS}", ("expires_in_days",))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        integration_id=integration.id,
        name=cleaned,
        scope=scope,
        secret_hash=digest(secret),
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="api_token.create",
        entity=token,
        organisation_id=integration.organisation_id,
        changes=audit.created(token, ["integration_id", "name", "scope", "expires_at"]),
    )
    return token, secret


def integration_actor(token: ApiToken, integration: Integration) -> Actor:
    """Who an integration's token acts as: LEAD of its organisation, no person."""
    return Actor(
        account_id=None,
        organisation_id=integration.organisation_id,
        role=Role.LEAD,
        token_id=token.id,
        scope=token.scope,
        integration_id=integration.id,
    )


def integrations_of(*, actor: Actor, organisation_id: int) -> sa.Select[Integration] | None:
    """The organisation's live integrations, oldest first, for STAFF and its LEADs; None
    for anyone else (the API answers null)."""
    if not (
        actor.is_staff or (actor.role is Role.LEAD and actor.organisation_id == organisation_id)
    ):
        return None
    return (
        sa.select(Integration)
        .where(
            col(Integration.organisation_id) == organisation_id,
            col(Integration.archived_at).is_(None),
        )
        .order_by(col(Integration.id))
    )
