"""Keyset pagination for Relay connections.

A cursor holds the sort values of its row (the row's id always last, so the order is
total). The next page starts strictly after those values, so a cursor stays valid,
and no row is skipped or repeated, while records are added anywhere in the list.
Offsets would shift under inserts; keysets do not.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from inset.errors import Invalid, api_name
from inset.text import is_storable_text

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_TEXT_VALUE = 1_000  # longer than any sorted text column (names are up to 200)
MAX_CURSOR_LENGTH = 2_000  # a few sort values, and a search's fingerprint, in base64


@dataclass(frozen=True)
class SortKey:
    column: Any  # a column expression
    descending: bool = False


@dataclass(frozen=True)
class PageRequest:
    size: int
    after: tuple[Any, ...] | None = None
    before: tuple[Any, ...] | None = None
    backwards: bool = False  # `last` was asked for: take the page from the end

    @classmethod
    def from_args(
        cls,
        *,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> PageRequest:
        if first is not None and last is not None:
            raise Invalid("give first or last, not both", ("first",))
        for name, value in (("first", first), ("last", last)):
            if value is not None and not 1 <= value <= MAX_PAGE_SIZE:
                raise Invalid(f"{api_name(name)} must be from 1 to {MAX_PAGE_SIZE}", (name,))
        return cls(
            size=first or last or DEFAULT_PAGE_SIZE,
            after=decode_cursor(after, "after") if after else None,
            before=decode_cursor(before, "before") if before else None,
            backwards=last is not None,
        )


@dataclass
class Page:
    rows: list[Any]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if hasattr(value, "value") and not isinstance(value, (int, str)):  # enums
        return value.value
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str):
        try:
            return datetime.fromisoformat(value["t"])
        except ValueError:
            return None  # not a time: the check against the sort keys refuses it
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, field: str) -> tuple[Any, ...]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise Invalid(f"{api_name(field)} is not a cursor from this list", (field,))
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeError, RecursionError):
        raise Invalid(f"{api_name(field)} is not a cursor from this list", (field,)) from None
    if not isinstance(values, list) or not values:
        raise Invalid(f"{api_name(field)} is not a cursor from this list", (field,))
    return tuple(_typed(v) for v in values)


def _fits(value: Any, column: Any) -> bool:
    """Whether a cursor value can be compared with `column` in SQL as it stands.

    A cursor comes back from the client, so it may have been cut, edited or taken from
    another list: its values must have the column's type and range before they are bound,
    or the database (not the client) would be blamed for the error.
    """
    sql_type = column.type
    if isinstance(sql_type, sa.types.TypeDecorator):
        sql_type = sql_type.impl_instance
    if isinstance(sql_type, sa.DateTime):
        return isinstance(value, datetime) and value.tzinfo is not None and _in_utc_range(value)
    if isinstance(value, bool):
        return False
    if isinstance(sql_type, sa.Integer):
        bits = 63 if isinstance(sql_type, sa.BigInteger) else 31
        return isinstance(value, int) and -(2**bits) <= value < 2**bits
    if isinstance(sql_type, sa.Float):
        return isinstance(value, int | float) and math.isfinite(value)
    if isinstance(sql_type, sa.String):
        return isinstance(value, str) and len(value) <= MAX_TEXT_VALUE and is_storable_text(value)
    return False


def _in_utc_range(value: datetime) -> bool:
    try:
        value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last representable day
        return False
    return True


def _beyond(keys: Sequence[SortKey], values: tuple[Any, ...], forward: bool) -> ColumnElement[bool]:
    """Rows strictly after (forward) or before the row whose sort values are `values`."""
    field = "after" if forward else "before"
    if len(values) != len(keys):
        raise Invalid(f"{api_name(field)} is not a cursor from this list", (field,))
    if not all(_fits(value, key.column) for key, value in zip(keys, values, strict=True)):
        raise Invalid(f"{api_name(field)} is not a cursor from this list", (field,))
    clauses = []
    for i, key in enumerate(keys):
        equal_so_far = [keys[j].column == values[j] for j in range(i)]
        greater = forward != key.descending
        step = key.column > values[i] if greater else key.column < values[i]
        clauses.append(sa.and_(*equal_so_far, step))
    return sa.or_(*clauses)


def _order(keys: Sequence[SortKey], reverse: bool) -> list[Any]:
    return [k.column.desc() if k.descending != reverse else k.column.asc() for k in keys]


def keyset(stmt: sa.Select[Any], keys: Sequence[SortKey], page: PageRequest) -> sa.Select[Any]:
    """`stmt` narrowed to the cursors, ordered for the page, with one row to spare."""
    if page.after is not None:
        stmt = stmt.where(_beyond(keys, page.after, forward=True))
    if page.before is not None:
        stmt = stmt.where(_beyond(keys, page.before, forward=False))
    return stmt.order_by(*_order(keys, reverse=page.backwards))


def make_page(rows: Sequence[Any], keys_of: Any, page: PageRequest) -> Page:
    """Turns up to `size + 1` fetched rows into a page; the spare row says more exist."""
    more = len(rows) > page.size
    rows = list(rows[: page.size])
    if page.backwards:
        rows.reverse()
    cursors = [encode_cursor(keys_of(row)) for row in rows]
    if page.backwards:
        return Page(rows, cursors, has_next_page=page.before is not None, has_previous_page=more)
    return Page(rows, cursors, has_next_page=more, has_previous_page=page.after is not None)


def fetch_page(
    session: Session, stmt: sa.Select[Any], keys: Sequence[SortKey], page: PageRequest, keys_of: Any
) -> Page:
    rows = session.scalars(keyset(stmt, keys, page).limit(page.size + 1)).all()
    return make_page(rows, keys_of, page)


def fetch_pages_by_parent(
    session: Session,
    stmt: sa.Select[Any],
    entity: Any,
    parent_column: Any,
    parent_ids: Sequence[int],
    keys: Sequence[SortKey],
    page: PageRequest,
    keys_of: Any,
) -> dict[int, Page]:
    """One page for each parent in one statement (a window over the parents' rows).

    Used by DataLoaders, so that a page of 100 projects each showing its first 10
    decisions costs one query, not 100.
    """
    narrowed = keyset(stmt.where(parent_column.in_(parent_ids)), keys, page).order_by(None)
    rank = sa.func.row_number().over(
        partition_by=parent_column, order_by=_order(keys, reverse=page.backwards)
    )
    inner = narrowed.add_columns(rank.label("rank_in_parent")).subquery()
    aliased = sa.orm.aliased(entity, inner)
    rows = session.execute(
        sa.select(aliased)
        .where(inner.c.rank_in_parent <= page.size + 1)
        .order_by(inner.c.rank_in_parent)
    ).scalars()
    grouped: dict[int, list[Any]] = {pid: [] for pid in parent_ids}
    parent_attr = parent_column.key
    for row in rows:
        grouped[getattr(row, parent_attr)].append(row)
    return {pid: make_page(grouped[pid], keys_of, page) for pid in parent_ids}


def count_by_parent(
    session: Session, stmt: sa.Select[Any], parent_column: Any, parent_ids: Sequence[int]
) -> dict[int, int]:
    counted = (
        stmt.where(parent_column.in_(parent_ids))
        .with_only_columns(parent_column, sa.func.count())
        .group_by(parent_column)
        .order_by(None)
    )
    found: dict[int, int] = dict(session.execute(counted).all())
    return {pid: found.get(pid, 0) for pid in parent_ids}


def count(session: Session, stmt: sa.Select[Any]) -> int:
    counted = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    return int(session.execute(counted).scalar_one())
