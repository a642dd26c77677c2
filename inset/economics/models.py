from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import EXTERNAL_ID_LENGTH, TEXT_LENGTH, UTCDateTime, enum_type, utcnow
from inset.projects.models import Stage


class CostCategory(enum.StrEnum):
    STAFF = "STAFF"
    TECHNOLOGY = "TECHNOLOGY"
    COMMISSIONING = "COMMISSIONING"
    TRAINING = "TRAINING"
    EVALUATION = "EVALUATION"
    PREMISES = "PREMISES"
    OTHER = "OTHER"


class BenefitKind(enum.StrEnum):
    FISCAL = "FISCAL"
    ECONOMIC = "ECONOMIC"
    SOCIAL = "SOCIAL"


# Money is kept as whole pence in a BIGINT: exact on both databases, and SQL sums of it
# stay exact too (SQLite would store a NUMERIC as a float).


class Cost(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_cost_project", "project_id", "recorded_at", "id"),
        sa.Index("uq_cost_external_id", "external_owner_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    category: CostCategory = Field(sa_type=enum_type(CostCategory))
    description: str = Field(max_length=TEXT_LENGTH)
    amount_pence: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="GBP", max_length=3)
    recurring: bool = False
    period_start: date | None = None
    period_end: date | None = None
    stage: Stage = Field(sa_type=enum_type(Stage))
    funding_source: str | None = Field(default=None, max_length=500)
    confidence: int  # 1 (audited, local data) .. 6 (expert guess)
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1  # raised by every correction; guards updates (expectedVersion)
    # The partner's own key: unique within the organisation that recorded it (external_owner_id)
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)
    external_owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Benefit(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_benefit_project", "project_id", "recorded_at", "id"),
        sa.Index("uq_benefit_external_id", "external_owner_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    kind: BenefitKind = Field(sa_type=enum_type(BenefitKind))
    description: str = Field(max_length=TEXT_LENGTH)
    amount_pence: int | None = Field(default=None, sa_type=sa.BigInteger)
    currency: str = Field(default="GBP", max_length=3)
    beneficiary: str | None = Field(default=None, max_length=500)
    period_start: date | None = None
    period_end: date | None = None
    # Shares in basis points (1/10,000) so that they stay exact integers in SQL.
    deadweight_bp: int = 0
    attribution_bp: int = 10_000
    confidence: int
    stage: Stage = Field(sa_type=enum_type(Stage))
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = 1  # raised by every correction; guards updates (expectedVersion)
    # The partner's own key: unique within the organisation that recorded it (external_owner_id)
    external_id: str | None = Field(default=None, max_length=EXTERNAL_ID_LENGTH)
    external_owner_id: int | None = Field(default=None, foreign_key="organisation.id")
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
