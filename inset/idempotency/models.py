from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first result of a creating mutation sent with an `idempotencyKey`.

    Keys belong to the credential that sent them (the account, or the integration for an
    integration's tokens), so two partners cannot collide. Kept for KEPT_FOR (24 hours),
    then purged by the next write that remembers a key.
    `input_hash` is the SHA-256 of the canonical JSON of the input without the key.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (
        sa.UniqueConstraint("account_id", "key", name="uq_idempotency_account_key"),
        sa.Index("uq_idempotency_integration_key", "integration_id", "key", unique=True),
        sa.Index("ix_idempotency_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    integration_id: int | None = Field(default=None, foreign_key="integration.id")
    key: str = Field(max_length=200)
    mutation: str = Field(max_length=80)
    input_hash: str = Field(max_length=64)
    result_type: str = Field(max_length=40)
    result_id: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
