"""Accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col

from inset.access import Actor, live_project, require_staff
from inset.accounts.models import Account, ApiToken, Role, TokenScope
from inset.audit import service as audit
from inset.audit.models import AuditEvent
from inset.db import NAME_LENGTH, WRITE, utcnow
from inset.errors import Duplicate, Forbidden, Invalid, NotFound, Unauthenticated
from inset.evidence.models import Evidence
from inset.gates.models import GateDecision
from inset.organisations.service import get_organisation
from inset.projects.models import Project
from inset.validation import no_personal_data, required_text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "inset_"  # noqa: S105  (a public prefix, not a secret)
MAX_TOKEN_DAYS = 3650
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified when the email is unknown, so that timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not EMAIL.match(cleaned) or len(cleaned) > 320:
        raise Invalid("email is not a valid email address", ("email",))
    return cleaned


def create_account(
    *,
    session: Session,
    actor: Actor,
    email: str,
    name: str,
    organisation_id: int,
    role: Role,
    password: str | None = None,
) -> Account:
    require_staff(actor, "create accounts")
    email = normalise_email(email)
    name = required_text(name, "name", limit=NAME_LENGTH)
    # A name is shown wherever the account leads or records something, public projects
    # included: it is public text.
    no_personal_data({"name": name}, public=True)
    get_organisation(session=session, organisation_id=organisation_id)
    if session.scalars(sa.select(col(Account.id)).where(col(Account.email) == email)).first():
        raise Duplicate(f"an account with email {email} already exists", ("email",))
    account = Account(email=email, name=name, organisation_id=organisation_id, role=role)
    if password is not None:
        account.password_hash = hash_password(password)
    session.add(account)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="account.create",
        entity=account,
        organisation_id=organisation_id,
        # Not the email: leads read their organisation's trail, and an email is for the
        # account itself and staff only (who find it on the account).
        changes=audit.created(account, ["name", "organisation_id", "role"]),
    )
    return account


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"a password needs at least {MIN_PASSWORD_LENGTH} characters", ("password",))
    return _hasher.hash(password)


def verify_password(*, session: Session, email: str, password: str) -> Account | None:
    """The account when the password is right; None for any failure, in the same time."""
    account = session.scalars(
        sa.select(Account).where(
            col(Account.email) == email.strip().lower(),
            col(Account.archived_at).is_(None),
        )
    ).first()
    stored = account.password_hash if account and account.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return account if stored is not _DUMMY_HASH else None


def actor_for(account: Account, token: ApiToken | None = None) -> Actor:
    return Actor(
        account_id=account.id,
        organisation_id=account.organisation_id,
        role=account.role,
        token_id=token.id if token else None,
        scope=token.scope if token else None,
    )


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_token(
    *,
    session: Session,
    actor: Actor,
    name: str,
    scope: TokenScope,
    expires_in_days: int | None = None,
    account_id: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the actor's own account (STAFF may name another account).

    Returns the stored token and its secret; the secret is not kept and cannot be shown
    again. A read-only token cannot mint a token that writes.
    """
    if actor.is_anonymous:
        raise Forbidden("sign in to create API tokens")
    if actor.scope is TokenScope.READ and scope is not TokenScope.READ:
        raise Forbidden("a read-only token cannot create a token that writes", ("scope",))
    owner_id = account_id if account_id is not None else actor.account_id
    if owner_id != actor.account_id:
        require_staff(actor, "create tokens for other accounts")
    if owner_id is None or session.get(Account, owner_id) is None:
        raise NotFound("account", ("account_id",))
    name = required_text(name, "name", limit=NAME_LENGTH)
    # Seen only by the account and staff, and in the audit trail.
    no_personal_data({"name": name}, public=False)
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise Invalid(f"expiresInDays must be from 1 to {MAX_TOKEN_DAYS}", ("expires_in_days",))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account_id=owner_id,
        name=name,
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
        organisation_id=actor.organisation_id,
        changes=audit.created(token, ["account_id", "name", "scope", "expires_at"]),
    )
    return token, secret


def revoke_api_token(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Revokes at once: the next request with the token is refused.

    A person revokes their own tokens, STAFF anyone's; an integration's tokens are revoked
    by its organisation's leads, STAFF, or with the token itself.
    """
    if actor.is_anonymous:
        raise Forbidden("sign in to revoke API tokens")
    token = session.get(ApiToken, token_id)
    if token is not None and token.integration_id is not None:
        _may_revoke_integration_token(session, actor, token)
    elif token is None or (
        (token.account_id != actor.account_id or actor.integration_id is not None)
        and not actor.is_staff
    ):
        raise NotFound("API token", ("token_id",))
    elif token.account_id != actor.account_id:
        require_staff(actor, "revoke other accounts' tokens")
    else:
        require_writer_or_self(actor)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        audit.record(
            session=session,
            actor=actor,
            action="api_token.revoke",
            entity=token,
            organisation_id=_owning_organisation(session, token, actor),
            changes={"revoked": (False, True)},
        )
    return token


def _owning_organisation(session: Session, token: ApiToken, actor: Actor) -> int | None:
    """An integration's token belongs to the integration's organisation, whose leads read
    its audit trail; a person's token is filed under the actor's organisation, as before."""
    if token.integration_id is None:
        return actor.organisation_id
    from inset.accounts.models import Integration

    integration = session.get(Integration, token.integration_id)
    return integration.organisation_id if integration else actor.organisation_id


def _may_revoke_integration_token(session: Session, actor: Actor, token: ApiToken) -> None:
    from inset.integrations.service import get_integration_for_write

    if actor.integration_id is not None and actor.token_id == token.id:
        require_writer_or_self(actor)
        return
    get_integration_for_write(
        session=session, actor=actor, integration_id=token.integration_id or 0, field="token_id"
    )


def require_writer_or_self(actor: Actor) -> None:
    """Anyone may revoke their own tokens, except with a read-only token."""
    if actor.scope is TokenScope.READ:
        raise Forbidden("this API token may only read; use a READ_WRITE token")


def authenticate_token(*, session: Session, secret: str) -> Actor:
    """The actor behind a bearer secret. Raises Unauthenticated with the reason."""
    # The token and its account in one statement: every request with a token pays it.
    found = session.execute(
        sa.select(ApiToken, Account)
        .outerjoin(Account, col(Account.id) == col(ApiToken.account_id))
        .where(col(ApiToken.secret_hash) == digest(secret.strip()))
    ).first()
    if found is None:
        raise Unauthenticated("the API token is not valid")
    token, account = found
    now = utcnow()
    if token.revoked_at is not None:
        raise Unauthenticated("the API token was revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthenticated("the API token has expired")
    actor = _token_owner(session, token, account)
    # Recorded at most once a minute, so that reads do not turn into a write each time.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        # In a writing transaction of its own: SQLite refuses at once, without waiting, to
        # turn this read into a write while another request is writing.
        session.commit()
        with session.begin():
            session.connection(execution_options=WRITE)
            session.execute(
                sa.update(ApiToken).where(col(ApiToken.id) == token.id).values(last_used_at=now)
            )
    return actor


def _token_owner(session: Session, token: ApiToken, account: Account | None) -> Actor:
    """The person, or the organisation's integration, a live token acts for."""
    if token.integration_id is not None:
        from inset.accounts.models import Integration
        from inset.integrations.service import integration_actor

        integration = session.get(Integration, token.integration_id)
        if integration is None or integration.archived_at is not None:
            raise Unauthenticated("the API token's integration is closed")
        return integration_actor(token, integration)
    if account is None or account.archived_at is not None:
        raise Unauthenticated("the API token's account is closed")
    return actor_for(account, token)


def account_actor(*, session: Session, account_id: int) -> Actor | None:
    account = session.get(Account, account_id)
    if account is None or account.archived_at is not None:
        return None
    return actor_for(account)


def find_account(*, session: Session, email: str) -> Account | None:
    return session.scalars(
        sa.select(Account).where(col(Account.email) == email.strip().lower())
    ).first()


def readable_accounts(*, actor: Actor, account_ids: list[int]) -> sa.Select[Account]:
    """Those of `account_ids` the actor may read, as `node` shows them.

    STAFF read every account; others the accounts of their own organisation and those a
    record they may read shows: the lead of a live project, who took a decision on one,
    who recorded its live evidence, and (for a LEAD) who made a change in their
    organisation's audit log. Anyone else's account does not exist for them, so that
    nobody can list people by trying ids.

    One statement however many ids. Each "shows" is a test from the account to the
    records naming it, by an index on the column that names it (migration 0008), so
    the cost follows the accounts asked, not the records the actor may read.
    """
    stmt = sa.select(Account).where(col(Account.id).in_(account_ids))
    if actor.is_staff:
        return stmt

    def shown_on(column: Any, model: Any, *conditions: Any) -> Any:
        found = sa.select(column).where(column == col(Account.id), *conditions)
        if model is not Project:
            found = found.join(Project, col(Project.id) == model.project_id)
        return found.where(live_project(actor)).exists()

    shown = [
        shown_on(col(Project.lead_account_id), Project),
        shown_on(col(GateDecision.decided_by_id), GateDecision),
        shown_on(col(Evidence.recorded_by_id), Evidence, col(Evidence.archived_at).is_(None)),
    ]
    if actor.organisation_id is not None:
        shown.append(col(Account.organisation_id) == actor.organisation_id)
    if audit.may_read_audit_log(actor):
        events = audit.readable_audit_events(actor).with_only_columns(col(AuditEvent.id))
        shown.append(events.where(col(AuditEvent.account_id) == col(Account.id)).exists())
    return stmt.where(sa.or_(*shown))
