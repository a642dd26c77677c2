from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.access import ANONYMOUS
from inset.accounts import service
from inset.accounts.models import ApiToken, Role, TokenScope
from inset.db import transaction, utcnow
from inset.errors import Duplicate, Forbidden, Invalid, Unauthenticated


def test_a_token_is_stored_only_as_a_hash_and_its_secret_signs_in(world, session: Session):
    lead = world.lead()

    secret = world.token(lead, TokenScope.READ)

    stored = session.scalars(sa.select(ApiToken)).one()
    assert secret.startswith("inset_")
    assert secret not in stored.secret_hash
    actor = service.authenticate_token(session=session, secret=secret)
    assert actor.account_id == lead.account_id
    assert actor.scope is TokenScope.READ
    assert not actor.may_write


def test_an_unknown_revoked_or_expired_token_is_refused_with_its_reason(world, engine):
    lead = world.lead()
    revoked = world.token(lead)
    expired = world.token(lead)
    with transaction(engine) as session:
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.secret_hash == service.digest(revoked))
            .values(revoked_at=utcnow())
        )
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.secret_hash == service.digest(expired))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )

    with Session(engine) as session:
        for secret, reason in [
            ("inset_nope", "not valid"),
            (revoked, "revoked"),
            (expired, "expired"),
        ]:
            with pytest.raises(Unauthenticated, match=reason):
                service.authenticate_token(session=session, secret=secret)


def test_a_read_only_token_cannot_mint_a_writing_token(world, session: Session):
    lead = world.actor(world.account(world.org()), TokenScope.READ)

    with pytest.raises(Forbidden):
        service.create_api_token(
            session=session, actor=lead, name="escalate", scope=TokenScope.READ_WRITE
        )


def test_only_staff_create_accounts_and_emails_are_unique(world, session: Session):
    org = world.org()
    lead = world.lead(org)
    with pytest.raises(Forbidden):
        service.create_account(
            session=session,
            actor=lead,
            email="new@example.org",
            name="New",
            organisation_id=org.id,
            role=Role.LEAD,
        )
    world.account(org)  # person…@example.org
    taken = session.scalars(sa.select(service.Account.email)).first()
    with pytest.raises(Duplicate):
        service.create_account(
            session=session,
            actor=world.staff,
            email=taken.upper(),
            name="Again",
            organisation_id=org.id,
            role=Role.MEMBER,
        )


def test_a_bad_email_or_short_password_is_refused(world, session: Session):
    org = world.org()
    with pytest.raises(Invalid, match="email"):
        service.create_account(
            session=session,
            actor=world.staff,
            email="not-an-email",
            name="X",
            organisation_id=org.id,
            role=Role.MEMBER,
        )
    with pytest.raises(Invalid, match="12 characters"):
        service.create_account(
            session=session,
            actor=world.staff,
            email="x@example.org",
            name="X",
            organisation_id=org.id,
            role=Role.MEMBER,
            password="short",
        )


def test_a_password_verifies_only_for_its_own_account(world, session: Session):
    account = world.account(world.org(), password="correct horse battery")

    assert service.verify_password(
        session=session, email=account.email.upper(), password="correct horse battery"
    )
    assert service.verify_password(session=session, email=account.email, password="wrong") is None
    assert (
        service.verify_password(
            session=session, email="nobody@example.org", password="correct horse battery"
        )
        is None
    )


def test_anonymous_cannot_create_tokens(session: Session):
    with pytest.raises(Forbidden):
        service.create_api_token(session=session, actor=ANONYMOUS, name="t", scope=TokenScope.READ)
