from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH, TEXT_LENGTH, UTCDateTime, enum_type, utcnow
from inset.projects.models import Stage, Visibility


class LessonKind(enum.StrEnum):
    WHAT_WORKED = "WHAT_WORKED"
    WHAT_DID_NOT_WORK = "WHAT_DID_NOT_WORK"
    BARRIER = "BARRIER"
    ENABLER = "ENABLER"
    RECOMMENDATION = "RECOMMENDATION"


class Barrier(enum.StrEnum):
    """The fixed list of barrier tags (DESIGN.md section 5)."""

    STAFF_CAPACITY = "staff capacity"
    CULTURE = "culture"
    FUNDING = "funding"
    TECHNOLOGY = "technology"
    INFORMATION_GOVERNANCE = "information governance"
    RISK_AVERSION = "risk aversion"
    SKILLS = "skills"
    PARTNERSHIP = "partnership"
    DEMAND = "demand"
    POLICY = "policy"


class Lesson(SQLModel, table=True):
    """What a project learned. May be shared more widely than its project.

    `shared_with` widens the lesson's reach beyond its project's (None: exactly as its
    project). Whoever may read the project may read its lessons.
    """

    __table_args__ = (
        sa.Index("ix_lesson_project", "project_id", "recorded_at", "id"),
        sa.Index("ix_lesson_shared_with", "shared_with", "recorded_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    kind: LessonKind = Field(sa_type=enum_type(LessonKind))
    title: str = Field(max_length=NAME_LENGTH)
    body: str = Field(max_length=TEXT_LENGTH)
    stage: Stage = Field(sa_type=enum_type(Stage))
    shared_with: Visibility | None = Field(default=None, sa_type=enum_type(Visibility))
    anonymised: bool = False
    decision_id: int | None = Field(default=None, foreign_key="gate_decision.id")
    recorded_by_id: int | None = Field(default=None, foreign_key="account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LessonBarrier(SQLModel, table=True):
    __tablename__ = "lesson_barrier"
    __table_args__ = (sa.Index("ix_lesson_barrier_barrier", "barrier", "lesson_id"),)

    lesson_id: int = Field(foreign_key="lesson.id", primary_key=True)
    barrier: Barrier = Field(sa_type=enum_type(Barrier), primary_key=True)


class LessonMark(SQLModel, table=True):
    """One account found a lesson useful: at most one mark per account and lesson.

    Only the count is shown to readers; who marked is kept for the marker alone (and the
    audit log of their own organisation).
    """

    __tablename__ = "lesson_mark"
    __table_args__ = (
        # Also serves the count per lesson: it leads with lesson_id.
        sa.UniqueConstraint("lesson_id", "account_id", name="uq_lesson_mark_lesson_account"),
        sa.Index("ix_lesson_mark_account", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lesson_id: int = Field(foreign_key="lesson.id")
    account_id: int = Field(foreign_key="account.id")
    marked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
