"""Follows, notifications and each person's email digest setting."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import UTCDateTime, enum_type, utcnow
from inset.lessons.models import Barrier


class NotificationKind(enum.StrEnum):
    NEW_LESSON = "NEW_LESSON"  # a lesson on something followed
    NEW_PROJECT = "NEW_PROJECT"  # a project of a followed organisation or theme
    STAGE_CHANGED = "STAGE_CHANGED"  # a followed project passed a gate (GO or RECYCLE)
    STATUS_CHANGED = "STATUS_CHANGED"  # a followed project was put on hold, resumed or stopped
    REVISIT_DUE = "REVISIT_DUE"  # a lead's project on hold reached its revisit date
    NOMINATION_ACCEPTED = "NOMINATION_ACCEPTED"  # the nominator's innovation became a project
    NOMINATION_DECLINED = "NOMINATION_DECLINED"
    REVIEW_REQUESTED = "REVIEW_REQUESTED"  # a reviewer was asked to review a gate


class DigestFrequency(enum.StrEnum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    OFF = "OFF"


class Follow(SQLModel, table=True):
    """One account following one thing: exactly one of the four targets is set."""

    # NULLs are distinct in a unique index on both databases, so each index holds only
    # the follows of its own kind of target: one follow of a thing per account.
    __table_args__ = (
        sa.CheckConstraint(
            "CAST(theme_id IS NOT NULL AS INTEGER) + CAST(barrier IS NOT NULL AS INTEGER)"
            " + CAST(project_id IS NOT NULL AS INTEGER)"
            " + CAST(organisation_id IS NOT NULL AS INTEGER) = 1",
            name="ck_follow_one_target",
        ),
        sa.Index("ix_follow_theme", "theme_id", "account_id", unique=True),
        sa.Index("ix_follow_barrier", "barrier", "account_id", unique=True),
        sa.Index("ix_follow_project", "project_id", "account_id", unique=True),
        sa.Index("ix_follow_organisation", "organisation_id", "account_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    barrier: Barrier | None = Field(default=None, sa_type=enum_type(Barrier))
    project_id: int | None = Field(default=None, foreign_key="project.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """Something one account is told. It points at records, never copies their text, so
    what is shown (and emailed) is always read afresh under the reader's rights.

    `dedupe_key` keeps a notification from being made twice (a revisit date reached is
    told once per date).
    """

    __table_args__ = (
        sa.Index("ix_notification_account", "account_id", "created_at", "id"),
        sa.Index("ix_notification_unemailed", "emailed_at", "account_id"),
        sa.UniqueConstraint("account_id", "dedupe_key", name="uq_notification_dedupe"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind))
    project_id: int | None = Field(default=None, foreign_key="project.id")
    lesson_id: int | None = Field(default=None, foreign_key="lesson.id")
    nomination_id: int | None = Field(default=None, foreign_key="nomination.id")
    # The stage or status a STAGE_CHANGED or STATUS_CHANGED notification reports (an enum
    # value, never free text): the project may have moved on by the time it is read.
    detail: str | None = Field(default=None, max_length=40)
    dedupe_key: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    emailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EmailDigest(SQLModel, table=True):
    """An account's choice of email digest; no row means the default, WEEKLY."""

    __tablename__ = "email_digest"

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    frequency: DigestFrequency = Field(sa_type=enum_type(DigestFrequency))
    last_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
