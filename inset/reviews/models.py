from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import TEXT_LENGTH, UTCDateTime, enum_type, utcnow
from inset.projects.models import Stage


class Assessment(enum.StrEnum):
    MET = "MET"
    PARTLY_MET = "PARTLY_MET"
    NOT_MET = "NOT_MET"


class Recommendation(enum.StrEnum):
    GO = "GO"
    HOLD = "HOLD"
    RECYCLE = "RECYCLE"
    STOP = "STOP"


class GateReview(SQLModel, table=True):
    """One reviewer's place on the panel of a project's gate into `to_stage`, and, once
    submitted, their review.

    The panel of a gate is its open rows: not withdrawn and not closed by a decision.
    `assessments` holds one `{"criterion", "assessment", "comment"}` per criterion of the
    gate, in the gate's order. A decision that leaves the stage (GO, RECYCLE, STOP) closes
    the panel by setting `closed_by_decision_id`; HOLD and RESUME leave it open.
    """

    __tablename__ = "gate_review"
    __table_args__ = (
        sa.Index("ix_gate_review_project", "project_id", "to_stage", "id"),
        sa.Index("ix_gate_review_reviewer", "reviewer_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    to_stage: Stage = Field(sa_type=enum_type(Stage))
    reviewer_id: int = Field(foreign_key="account.id")
    appointed_by_id: int | None = Field(default=None, foreign_key="account.id")
    appointed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    assessments: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    recommendation: Recommendation | None = Field(default=None, sa_type=enum_type(Recommendation))
    rationale: str | None = Field(default=None, max_length=TEXT_LENGTH)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_decision_id: int | None = Field(default=None, foreign_key="gate_decision.id")
