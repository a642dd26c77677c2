from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import EXTERNAL_ID_LENGTH, NAME_LENGTH, ExactDecimal, UTCDateTime, utcnow


class Outcome(SQLModel, table=True):
    """A measure the project wants to move. Aggregate figures only, never about a child."""

    __table_args__ = (
        sa.Index("uq_outcome_external_id", "external_owner_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    name: str = Field(max_length=NAME_LENGTH)
    unit: str = Field(max_length=100)
    higher_is_better: bool
    baseline: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    baseline_on: date | None = None
    target: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1  # raised by every correction; guards updates (expectedVersion)
    # The partner's own key: unique within the organisation that recorded it (external_owner_id)
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)
    external_owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Observation(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_observation_outcome", "outcome_id", "observed_on", "id"),
        sa.Index("uq_observation_external_id", "external_owner_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="outcome.id")
    value: Decimal = Field(sa_type=ExactDecimal)
    observed_on: date
    note: str | None = Field(default=None, max_length=2000)
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1  # raised by every correction; guards updates (expectedVersion)
    # The partner's own key: unique within the organisation that recorded it (external_owner_id)
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)
    external_owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
