"""Signing in to the web client: sessions in a signed cookie, kept in the database.

The cookie holds a random token signed with the service's secret key; the database keeps
only the token's SHA-256, with its expiry, so that signing out (or an expiry) ends the
session on every server process at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, col

from inset.access import Actor
from inset.accounts.models import Account, SignInAttempt, WebSession
from inset.accounts.service import actor_for, verify_password
from inset.audit import service as audit
from inset.db import utcnow
from inset.errors import DomainError, ErrorCode, Invalid

COOKIE = "inset_session"
LIFETIME = timedelta(hours=12)
FREE_ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_WAIT = timedelta(minutes=15)
WRONG = "The email or password is not right."
# The first key of PostgreSQL's two-key advisory locks taken here, so that they cannot
# meet another use of advisory locks: "SgnI" in ASCII.
SIGN_IN_LOCKS = 0x53676E49


class TooManyAttempts(DomainError):
    def __init__(self, seconds: int):
        super().__init__(
            ErrorCode.INVALID,
            f"Too many failed attempts for this email. Try again in {seconds} seconds.",
        )
        self.seconds = seconds


@dataclass(frozen=True)
class SignedIn:
    account: Account
    cookie: str  # the signed value to set
    expires_at: datetime


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="inset-web-session")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def wait_before_next_attempt(*, session: Session, email: str) -> timedelta:
    """Zero for the first few failures, then doubling from one second, up to 15 minutes.

    Counted per email in the database, so that every server process slows the same guesser.
    """
    since = utcnow() - ATTEMPT_WINDOW
    failures = session.execute(
        sa.select(sa.func.count(), sa.func.max(SignInAttempt.attempted_at)).where(
            col(SignInAttempt.email) == email, col(SignInAttempt.attempted_at) >= since
        )
    ).one()
    count, last = failures
    if count < FREE_ATTEMPTS or last is None:
        return timedelta(0)
    if last.tzinfo is None:  # SQLite hands aggregates back without the column type
        last = datetime.fromisoformat(str(last)).replace(tzinfo=utcnow().tzinfo)
    wait = min(timedelta(seconds=2 ** (count - FREE_ATTEMPTS)), MAX_WAIT)
    remaining: timedelta = last + wait - utcnow()
    return max(timedelta(0), remaining)


def _one_attempt_at_a_time(*, session: Session, email: str) -> None:
    """Makes the attempts for one email wait for each other until each has committed.

    Counting the recent failures and recording a new one must not interleave, or twenty
    guesses sent at once would all count four failures and all be checked. On SQLite the
    write transaction (BEGIN IMMEDIATE) already runs alone; on PostgreSQL a transaction
    advisory lock per email does it, released when the attempt's transaction ends.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(email.encode()).digest()[:4], "big", signed=True)
    session.execute(
        sa.text("SELECT pg_advisory_xact_lock(:space, :key)"),
        {"space": SIGN_IN_LOCKS, "key": key},
    )


def sign_in(*, session: Session, email: str, password: str, secret_key: str) -> SignedIn | None:
    """A new web session; None when the email or password is wrong (the failure is kept,
    so the caller must commit rather than roll back, and show `WRONG` whichever it was).

    Raises TooManyAttempts, without checking the password, while the email must wait.
    """
    email = email.strip().lower()
    if not email or not password:
        raise Invalid(WRONG)
    _one_attempt_at_a_time(session=session, email=email)
    wait = wait_before_next_attempt(session=session, email=email)
    if wait > timedelta(0):
        raise TooManyAttempts(int(wait.total_seconds()) + 1)
    account = verify_password(session=session, email=email, password=password)
    if account is None:
        session.add(SignInAttempt(email=email))
        return None
    session.execute(sa.delete(SignInAttempt).where(col(SignInAttempt.email) == email))
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + LIFETIME
    web = WebSession(account_id=account.id or 0, token_hash=_digest(token), expires_at=expires_at)
    session.add(web)
    session.flush()
    audit.record(
        session=session,
        actor=actor_for(account),
        action="account.sign_in",
        entity=account,
        organisation_id=account.organisation_id,
        changes={},
    )
    return SignedIn(account, _serializer(secret_key).dumps(token), expires_at)


def _token(cookie: str, secret_key: str) -> str | None:
    try:
        token = _serializer(secret_key).loads(cookie)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def authenticate_cookie(*, session: Session, cookie: str, secret_key: str) -> Actor | None:
    """The actor of a live session; None for a forged, expired or signed-out cookie."""
    token = _token(cookie, secret_key)
    if token is None:
        return None
    row = session.execute(
        sa.select(WebSession, Account)
        .join(Account, col(Account.id) == col(WebSession.account_id))
        .where(
            col(WebSession.token_hash) == _digest(token),
            col(WebSession.revoked_at).is_(None),
            col(WebSession.expires_at) > utcnow(),
            col(Account.archived_at).is_(None),
        )
    ).first()
    return actor_for(row[1]) if row else None


def sign_out(*, session: Session, cookie: str | None, secret_key: str) -> None:
    """Ends the session the cookie names, if any; signing out twice is harmless."""
    token = _token(cookie, secret_key) if cookie else None
    if token is None:
        return
    session.execute(
        sa.update(WebSession)
        .where(col(WebSession.token_hash) == _digest(token), col(WebSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
