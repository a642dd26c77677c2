"""A reporting period, such as a financial year: whole days, both ends included.

Staff report on "1 April 2025 to 31 March 2026": a period is two dates, and each
runs from the start of its day (00:00 UTC) to the end of its day, so the period covers
`start` 00:00 up to, not including, the day after `end` 00:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from inset.errors import Invalid
from inset.projects.models import Project, ProjectStatus


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    @classmethod
    def of(cls, start: date | None, end: date | None, field: tuple[str, ...] = ()) -> Period | None:
        """The period, or None when neither end is given. Raises Invalid when `end` is
        before `start`."""
        if start is None and end is None:
            return None
        if start is not None and end is not None and end < start:
            raise Invalid(
                f"the period must end on or after it starts ({start.isoformat()})",
                (*field, "to"),
            )
        return cls(start, end)

    @property
    def begins_at(self) -> datetime | None:
        """The first instant in the period."""
        return None if self.start is None else datetime.combine(self.start, time(), UTC)

    @property
    def ends_before(self) -> datetime | None:
        """The first instant after the period: 00:00 UTC of the day after `end`."""
        if self.end is None:
            return None
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def contains(self, column: Any) -> ColumnElement[bool]:
        """A timestamp column falls in the period."""
        conditions: list[Any] = []
        if self.begins_at is not None:
            conditions.append(column >= self.begins_at)
        if self.ends_before is not None:
            conditions.append(column < self.ends_before)
        return sa.and_(sa.true(), *conditions)

    def contains_day(self, column: Any) -> ColumnElement[bool]:
        """A date column falls in the period."""
        conditions: list[Any] = []
        if self.start is not None:
            conditions.append(column >= self.start)
        if self.end is not None:
            conditions.append(column <= self.end)
        return sa.and_(sa.true(), *conditions)

    def condition(self) -> ColumnElement[bool]:
        """Projects under way at some time in the period: created before it ended, and
        not stopped before it began (a STOP is a project's last decision)."""
        conditions: list[Any] = []
        if self.ends_before is not None:
            conditions.append(col(Project.created_at) < self.ends_before)
        if self.begins_at is not None:
            conditions.append(
                sa.or_(
                    col(Project.status) != ProjectStatus.STOPPED,
                    col(Project.last_decision_at) >= self.begins_at,
                )
            )
        return sa.and_(sa.true(), *conditions)
