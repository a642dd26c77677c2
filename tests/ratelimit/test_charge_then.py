"""On PostgreSQL a compiled read and its charge are one statement, whose read runs only
when the charge is paid: PostgreSQL's own account of the plan shows it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import is_postgres
from sqlalchemy.engine import Engine

from inset.ratelimit.service import RateLimiter

pytestmark = pytest.mark.skipif(
    not is_postgres(), reason="SQLite's buckets live in the process: there is no statement"
)

READ = "SELECT count(*) FROM project WHERE id > %(floor)s"


def _charge_then(engine: Engine, limiter: RateLimiter, cost: int) -> tuple[Any, str, Any]:
    """The charge and the read's value, with the statement and parameters it ran."""
    ran: list[tuple[str, Any]] = []
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        run = connection.exec_driver_sql

        def remember(sql: str, params: Any) -> Any:
            ran.append((sql, params))
            return run(sql, params)

        connection.exec_driver_sql = remember  # type: ignore[method-assign]
        done = limiter.charge_then(
            "address:10.0.0.9", cost, connection=connection, sql=READ, params={"floor": 0}
        )
    assert done is not None
    assert len(ran) == 1
    return done, *ran[0]


def _plan(engine: Engine, sql: str, params: Any) -> Any:
    """PostgreSQL's account of running the statement, rolled back."""
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        found = plan.scalar_one()
        connection.rollback()
    return found


def _read_loops(plan: Any) -> list[int]:
    """How often each subplan that counts projects ran."""
    found: list[int] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("Relation Name") == "project":
            found.append(node.get("Actual Loops", 0))
        for child in node.get("Plans", []):
            walk(child)

    walk((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
    return found


def test_the_read_runs_only_when_the_charge_is_paid(engine: Engine) -> None:
    limiter = RateLimiter(engine, limit=100, refill=0.000_001)
    (paid, value), sql, params = _charge_then(engine, limiter, 60)
    assert paid.paid
    assert value == 0
    assert _read_loops(_plan(engine, sql, {**params, "key": "address:10.0.0.10"})) == [1]
    # The bucket holds 60 of 100: the same request again cannot pay.
    assert _read_loops(_plan(engine, sql, params)) == [0], "read for a refused request"
    (refused, nothing), _, _ = _charge_then(engine, limiter, 60)
    assert not refused.paid
    assert nothing is None
