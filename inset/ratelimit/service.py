"""A leaky bucket per credential, by the points each request's cost adds.

A request adds its cost to its credential's bucket, which leaks `refill` points a
second; it is paid for when the bucket, after leaking, has room for the whole cost, and
refused otherwise (the bucket keeps what it held). On PostgreSQL the bucket is a row and
one UPSERT leaks, checks and pays at once, so every server process shares it without a
race; on SQLite (one machine, usually one process) it lives in the process.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import Session

from inset.access import Actor


@dataclass(frozen=True)
class Charge:
    """What one request did to its bucket."""

    paid: bool
    cost: int  # what the request asked to pay
    limit: int  # the bucket's size
    refill: float  # points a second
    level: float  # points in the bucket after the request
    at: float  # when, in seconds since the epoch

    @property
    def used(self) -> int:
        return min(self.limit, math.ceil(self.level))

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def reset_at(self) -> datetime:
        """When the bucket will have leaked empty, with no more requests."""
        return datetime.fromtimestamp(math.ceil(self.at + self.level / self.refill), UTC)

    @property
    def retry_after(self) -> int:
        """Whole seconds until the bucket has room for this request's cost."""
        return max(1, math.ceil((self.level + self.cost - self.limit) / self.refill))


def credential_key(actor: Actor, address: str | None) -> str:
    """The bucket of a request: its API token's, its web session's account's, or (when
    anonymous) its client address's, as uvicorn gives it (which honours the forwarding
    headers of trusted proxies)."""
    if actor.token_id is not None:
        return f"token:{actor.token_id}"
    if actor.account_id is not None:
        return f"account:{actor.account_id}"
    return f"address:{address or 'unknown'}"[:200]


class RateLimiter:
    """Charges requests to buckets of `limit` points leaking `refill` points a second."""

    def __init__(self, engine: Engine, *, limit: int, refill: float) -> None:
        self.engine, self.limit, self.refill = engine, limit, refill
        self._shared = engine.dialect.name == "postgresql"
        self._lock = threading.Lock()
        self._local: dict[str, tuple[float, float]] = {}  # key: (level, updated_at)

    def charge(
        self,
        key: str,
        cost: int,
        *,
        session: Session | None = None,
        connection: Connection | None = None,
    ) -> Charge:
        """Charges `cost` to the bucket `key`. On PostgreSQL through `connection`, when it
        commits each statement (a compiled read's), or else through the request's
        `session`, whose transaction it commits (with whatever authentication wrote), so
        that the row is locked only for that moment and a request holds one connection."""
        if self._shared:
            params = self._parameters(key, cost)
            if connection is not None:
                level, charged, at = connection.execute(_UPSERT, params).one()
            elif session is not None:
                level, charged, at = session.execute(_UPSERT, params).one()
                session.commit()
            else:
                raise TypeError("a charge on PostgreSQL needs a session or a connection")
            return Charge(charged > 0 or cost == 0, cost, self.limit, self.refill, level, at)
        return self._charge_here(key, cost)

    def charge_then(
        self, key: str, cost: int, *, connection: Connection, sql: str, params: dict[str, Any]
    ) -> tuple[Charge, Any] | None:
        """On PostgreSQL, the charge and a read in ONE statement on a connection that commits
        each: `sql` (the driver's text of a one-value SELECT, with named parameters) is
        read only when the request is paid for, and its value returned with the charge.
        None where it does not apply (SQLite's buckets live in the process; a parameter
        of `sql` with one of the charge's names), to charge first and read after."""
        if not self._shared or not _CHARGE_PARAMETERS.isdisjoint(params):
            return None
        upsert = _driver_upsert(connection.dialect)
        combined = (
            f"WITH inset_charge AS ({upsert}) "  # noqa: S608 - our statements, values bound
            "SELECT level, charged, updated_at, "
            f"CASE WHEN charged > 0 OR %(cost)s = 0 THEN ({sql}) END FROM inset_charge"
        )
        values = {**params, **self._parameters(key, cost)}
        level, charged, at, value = connection.exec_driver_sql(combined, values).one()
        return Charge(charged > 0 or cost == 0, cost, self.limit, self.refill, level, at), value

    def _parameters(self, key: str, cost: int) -> dict[str, Any]:
        return {"key": key, "cost": float(cost), "limit": float(self.limit), "rate": self.refill}

    def _charge_here(self, key: str, cost: int) -> Charge:
        with self._lock:
            now = time.time()
            level, updated_at = self._local.get(key, (0.0, now))
            level = max(0.0, level - max(0.0, now - updated_at) * self.refill)
            paid = level + cost <= self.limit
            if paid:
                level += cost
            self._local[key] = (level, max(now, updated_at))
        return Charge(paid, cost, self.limit, self.refill, level, now)


# The level after leaking since the last request: `b` is the row as it was, EXCLUDED the
# row this request would insert, stamped with the database's clock.
_LEAKED = "GREATEST(0, b.level - GREATEST(0, EXCLUDED.updated_at - b.updated_at) * :rate)"
_FITS = f"{_LEAKED} + :cost <= :limit"
# A bucket's level is worth no disk flush: a crash loses at most the last moments of
# charges, and the commit returns in microseconds, not milliseconds. `set_config(...,
# true)` is SET LOCAL inside the statement, so that it holds for the statement's own
# transaction too (a connection that commits each statement). `WHERE true` tells the
# parser that ON CONFLICT is not a join's ON. Built from the constants above only; every
# value is a bound parameter.
_SQL = f"""
    INSERT INTO rate_limit_bucket AS b (key, level, updated_at, charged)
    SELECT
        :key,
        CASE WHEN :cost <= :limit THEN :cost ELSE 0 END,
        CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION),
        CASE WHEN :cost <= :limit THEN :cost ELSE 0 END
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quiet
    WHERE true
    ON CONFLICT (key) DO UPDATE SET
        level = {_LEAKED} + CASE WHEN {_FITS} THEN :cost ELSE 0 END,
        charged = CASE WHEN {_FITS} THEN :cost ELSE 0 END,
        updated_at = GREATEST(b.updated_at, EXCLUDED.updated_at)
    RETURNING level, charged, updated_at
    """  # noqa: S608
_CHARGE_PARAMETERS = frozenset({"key", "cost", "limit", "rate"})
_UPSERT = sa.text(_SQL).bindparams(
    sa.bindparam("cost", type_=sa.Float),
    sa.bindparam("limit", type_=sa.Float),
    sa.bindparam("rate", type_=sa.Float),
)


@functools.cache
def _driver_upsert(dialect: Dialect) -> str:
    """The charge's statement as the driver takes it (`%(name)s` on psycopg)."""
    return str(_UPSERT.compile(dialect=dialect))
