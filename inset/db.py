"""Engine, sessions and the column types every domain shares.

SQLite is the embedded default and PostgreSQL the shared one; both run the same code
and the same Alembic migrations.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlmodel import Session

from inset import sqlite

NAME_LENGTH = 200
TEXT_LENGTH = 20_000
# A partner's own key for a record (`externalId`): their system's id, at most this long.
EXTERNAL_ID_LENGTH = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on both databases.

    SQLite has no time zones, so values are stored as naive UTC there and made aware
    again on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use inset.db.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactDecimal(sa.TypeDecorator[Decimal]):
    """A decimal that keeps every digit: NUMERIC on PostgreSQL, text on SQLite.

    SQLite would turn NUMERIC into a float; outcome figures must come back as typed.
    """

    impl = sa.Numeric(18, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(40))
        return dialect.type_descriptor(sa.Numeric(18, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


def enum_type(enum_class: type[enum.Enum]) -> sa.Enum:
    """Enums are stored as their names in a VARCHAR on both databases.

    No native PostgreSQL enum types: adding a value must stay a one-line migration.
    """
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=40,
        validate_strings=True,
    )


def normalise_url(url: str) -> str:
    """Plain `postgresql://` URLs use psycopg 3, the driver this project installs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


WRITE = {"inset_write": True}


def create_db_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "isolation_level": None},
            **sqlite.pool_options(url),
        )
        sqlite.configure(engine)
        return engine
    # JIT compilation pays off for long analytical queries; ours are short, and the
    # planner's estimates for the visibility rule made it compile (100 ms+) needlessly.
    return sa.create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        connect_args={"options": "-c jit=off"},
    )


def request_threads(engine: Engine) -> int | None:
    """How many requests a process serving from `engine` should run at once, each in a
    worker thread: as many as a SQLite file's pool keeps connections, so that none waits
    for one; None (anyio's default, 40) for PostgreSQL."""
    pool = engine.pool
    if engine.dialect.name == "sqlite" and isinstance(pool, sa.QueuePool):
        return pool.size()
    return None


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.connection(execution_options=WRITE)
        yield session


def pk(row: Any) -> int:
    """The primary key of a row that has been flushed."""
    value = row.id
    if not isinstance(value, int):
        raise RuntimeError(f"{type(row).__name__} has no id yet: flush the session first")
    return value
