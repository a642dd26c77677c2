from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH, TEXT_LENGTH, UTCDateTime, enum_type, utcnow
from inset.projects.models import Stage


class EvidenceKind(enum.StrEnum):
    DESCRIPTION = "DESCRIPTION"
    MONITORING_DATA = "MONITORING_DATA"
    SURVEY = "SURVEY"
    COMPARISON_STUDY = "COMPARISON_STUDY"
    RANDOMISED_TRIAL = "RANDOMISED_TRIAL"
    EVALUATION_REPORT = "EVALUATION_REPORT"
    CASE_STUDY = "CASE_STUDY"
    FEEDBACK = "FEEDBACK"


class Evidence(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_evidence_project", "project_id", "recorded_at", "id"),
        # whose account a reader may see as evidence's recorder (inset.accounts.service)
        sa.Index("ix_evidence_recorded_by", "recorded_by_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    kind: EvidenceKind = Field(sa_type=enum_type(EvidenceKind))
    title: str = Field(max_length=NAME_LENGTH)
    summary: str = Field(max_length=TEXT_LENGTH)
    level: int  # claimed level on the Nesta Standards of Evidence, 1..5
    independent: bool = False
    stage: Stage = Field(sa_type=enum_type(Stage))
    reference: str | None = Field(default=None, max_length=2000)
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
