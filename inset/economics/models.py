from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import (
    EXTERNAL_ID_LENGTH,
    TEXT_LENGTH,
    ExactDecimal,
    UTCDateTime,
    enum_type,
    utcnow,
)
from inset.projects.models import Stage

BASIS_LENGTH = 100


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


class ProjectEconomics(SQLModel, table=True):
    """A project's figures as `economics_for` works them out, kept current on every write.

    One row a project, written in the same transaction as any change to what the figures
    read (the project's live lines and start date), so that a read can take them with a
    join instead of working them out (see inset.economics.stored). Money is pounds, exact;
    the ratios are the floats the API shows. `basis` names the optimism bias table and
    method version the row was worked out with (inset.economics.stored.basis_of).
    """

    __tablename__ = "project_economics"

    project_id: int = Field(foreign_key="project.id", primary_key=True)
    gross_cost: Decimal = Field(sa_type=ExactDecimal)
    total_cost: Decimal = Field(sa_type=ExactDecimal)
    gross_benefit: Decimal = Field(sa_type=ExactDecimal)
    adjusted_benefit: Decimal = Field(sa_type=ExactDecimal)
    net_benefit: Decimal = Field(sa_type=ExactDecimal)
    benefit_cost_ratio: float | None = Field(default=None, sa_type=sa.Float)
    fiscal_roi: float | None = Field(default=None, sa_type=sa.Float)
    payback_months: int | None = None
    present_value_benefit: Decimal = Field(sa_type=ExactDecimal)
    basis: str = Field(max_length=BASIS_LENGTH)


class EconomicsBasis(SQLModel, table=True):
    """The one row naming the basis every stored figure is worked out on.

    The optimism bias is a setting; the stored figures follow the setting of the last
    `inset serve` or `inset db upgrade`, which recompute every row when it changed.
    """

    __tablename__ = "economics_basis"

    id: int = Field(default=1, primary_key=True)
    basis: str = Field(max_length=BASIS_LENGTH)
