from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import TEXT_LENGTH, UTCDateTime, enum_type, utcnow
from inset.projects.models import ProjectStatus, Stage


class GateDecisionKind(enum.StrEnum):
    GO = "GO"
    HOLD = "HOLD"
    RESUME = "RESUME"
    RECYCLE = "RECYCLE"
    STOP = "STOP"


class GateDecision(SQLModel, table=True):
    """One decision, kept for ever: the project's history is the list of these."""

    __tablename__ = "gate_decision"
    __table_args__ = (
        sa.Index("ix_gate_decision_project", "project_id", "decided_at", "id"),
        # whose account a reader may see as a decision's maker (inset.accounts.service)
        sa.Index("ix_gate_decision_decided_by", "decided_by_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    decision: GateDecisionKind = Field(sa_type=enum_type(GateDecisionKind))
    from_stage: Stage = Field(sa_type=enum_type(Stage))
    to_stage: Stage = Field(sa_type=enum_type(Stage))
    status_after: ProjectStatus = Field(sa_type=enum_type(ProjectStatus))
    rationale: str = Field(max_length=TEXT_LENGTH)
    override: bool = False
    # Codes of the mandatory criteria that were unmet when STAFF overrode the gate.
    unmet_criteria: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    revisit_on: date | None = None
    # The review panel of the gate as the decision found it (inset.reviews.service
    # .panel_snapshot): counts and each submitted review's recommendation; None without one.
    panel_snapshot: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    decided_by_id: int | None = Field(default=None, foreign_key="account.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
