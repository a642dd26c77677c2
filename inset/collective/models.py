from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import TEXT_LENGTH, UTCDateTime, utcnow


class CaseStudy(SQLModel, table=True):
    """A project staff chose for a year's digest, at a position, with their summary.

    Unfeaturing archives the row; a project featured again gets a new one. Whether the
    case study is shown is decided when the digest is read: only while its project is
    PUBLIC and live, so a project that stops being public drops out by itself.
    """

    __tablename__ = "case_study"
    __table_args__ = (sa.Index("ix_case_study_year", "year", "archived_at", "position", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    year: int
    position: int
    summary: str = Field(max_length=TEXT_LENGTH)
    featured_by_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
