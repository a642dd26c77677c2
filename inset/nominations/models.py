"""Innovations members have seen elsewhere and nominate for the incubator to invite."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlmodel import Field, SQLModel

from inset.db import NAME_LENGTH, TEXT_LENGTH, UTCDateTime, enum_type, utcnow


class NominationStatus(enum.StrEnum):
    PENDING = "PENDING"  # waiting for staff
    INVITED = "INVITED"  # staff invited the organisation
    ACCEPTED = "ACCEPTED"  # the organisation joined: the nomination is now a project
    DECLINED = "DECLINED"


class Nomination(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nominated_by_id: int = Field(foreign_key="account.id", index=True)
    what: str = Field(max_length=2_000)
    where: str = Field(max_length=NAME_LENGTH)
    contact: str | None = Field(default=None, max_length=NAME_LENGTH)
    status: NominationStatus = Field(sa_type=enum_type(NominationStatus), index=True)
    decline_reason: str | None = Field(default=None, max_length=TEXT_LENGTH)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    decided_by_id: int | None = Field(default=None, foreign_key="account.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
