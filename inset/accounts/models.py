from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH, UTCDateTime, enum_type, utcnow


class Role(enum.StrEnum):
    STAFF = "STAFF"
    LEAD = "LEAD"
    MEMBER = "MEMBER"


class TokenScope(enum.StrEnum):
    READ = "READ"
    READ_WRITE = "READ_WRITE"


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)  # stored lower-cased
    name: str = Field(max_length=NAME_LENGTH)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: Role = Field(sa_type=enum_type(Role))
    password_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token. Only the SHA-256 of the secret is kept: the secret is shown once.

    It belongs to a person (`account_id`) or to an organisation's integration
    (`integration_id`), never both.
    """

    __tablename__ = "api_token"
    __table_args__ = (
        sa.CheckConstraint(
            "(account_id IS NULL) <> (integration_id IS NULL)", name="ck_api_token_owner"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    integration_id: int | None = Field(default=None, foreign_key="integration.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    scope: TokenScope = Field(sa_type=enum_type(TokenScope))
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInAttempt(SQLModel, table=True):
    """Failed sign-ins, kept in the database so every server process slows the same guesser."""

    __tablename__ = "sign_in_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class WebSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's token is kept."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Integration(SQLModel, table=True):
    """A service account of an organisation: its tokens act for the organisation, not a person.

    It acts with LEAD rights on its organisation's projects (never STAFF), so a partner's
    sync job keeps working when the person who set it up leaves.
    """

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    created_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
