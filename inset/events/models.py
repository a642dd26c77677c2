"""The event feed's table: one row per change, in the change's own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inset.db import UTCDateTime, enum_type, utcnow
from inset.projects.models import Visibility


class Event(SQLModel, table=True):
    """Append-only. `id` is the feed's order: ids become visible in commit order
    (see `inset.events.outbox`), so a reader resuming after id N never misses one below.

    Who may read an event follows its record: `project_id` (the project it belongs to,
    readable or not as the project is now), widened by `reach` (a lesson shared beyond
    its project) or narrowed by `restricted` (an anonymised lesson: its own organisations
    and staff only). An event without a project belongs to `organisation_id` alone.
    `data` is in the API's names with global ids, never columns or database ids.
    """

    __tablename__ = "event"
    __table_args__ = (sa.Index("ix_event_project", "project_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=60, index=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    subject_type: str = Field(max_length=40)
    subject_id: int
    project_id: int | None = Field(default=None, foreign_key="project.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    reach: Visibility | None = Field(default=None, sa_type=enum_type(Visibility))
    restricted: bool = False
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
