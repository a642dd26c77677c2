from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Append-only: nothing in Inset updates or deletes a row of this table.

    `changes` maps each changed field to `[before, after]` (JSON values).
    `organisation_id` is the organisation whose record changed (a project's lead
    organisation), so that a LEAD can read their organisation's trail.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_organisation", "organisation_id", "id"),
        # one account's changes: `auditLog(filter: {accountId})`, and whose account a lead
        # may see in their organisation's log (inset.accounts.service)
        sa.Index("ix_audit_event_account", "account_id", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    token_id: int | None = Field(default=None, foreign_key="api_token.id")
    action: str = Field(max_length=80)
    entity_type: str = Field(max_length=40)
    entity_id: int
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    request_id: str | None = Field(default=None, max_length=64)
