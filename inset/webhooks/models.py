"""Endpoints, one delivery per (endpoint, event), and every attempt made."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import UTCDateTime, enum_type, utcnow


class WebhookEndpoint(SQLModel, table=True):
    """An organisation's URL that receives events, signed with `secret` (`whsec_...`).

    `event_cursor` is the id of the last event considered for this endpoint: the
    dispatcher reads the feed after it (the feed's commit order means nothing is passed
    over) and queues a delivery for each event the endpoint wants and may read.
    After a rotation, `previous_secret` also signs until `previous_secret_expires_at`.
    """

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    event_types: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    secret: str = Field(max_length=100)
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    enabled: bool = True
    disabled_reason: str | None = Field(default=None, max_length=500)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    event_cursor: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 1


class DeliveryState(enum.StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"  # given up after the whole retry schedule
    SKIPPED = "SKIPPED"  # no longer readable by the endpoint's organisation when sending


class WebhookDelivery(SQLModel, table=True):
    """One event owed to one endpoint.

    `ordering_key` is the event's project (0 for none): a delivery is sent only when no
    earlier delivery with the same endpoint and key is still PENDING. `leased_until`
    marks a delivery a worker has taken; if that worker dies, the lease runs out and
    another takes it (at least once).
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_event"),
        sa.Index("ix_webhook_delivery_queue", "endpoint_id", "ordering_key", "state", "event_id"),
        sa.Index("ix_webhook_delivery_due", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    event_id: int = Field(foreign_key="event.id")
    ordering_key: int = 0
    state: DeliveryState = Field(default=DeliveryState.PENDING, sa_type=enum_type(DeliveryState))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One request sent (or refused before sending), as `WebhookEndpoint.deliveries`."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_endpoint", "endpoint_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id")
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    event_id: int = Field(foreign_key="event.id")
    attempt: int
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    succeeded: bool
    status_code: int | None = None
    duration_ms: int
    error: str | None = Field(default=None, max_length=500)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
