"""The app as uvicorn starts it: its lifespan sets how many requests run at once."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from conftest import is_postgres
from sqlalchemy.engine import Engine

from inset import sqlite
from inset.app import create_app
from inset.config import Settings

QUERY = {"query": "{ projects(first: 5) { totalCount nodes { id } } }"}


@pytest.mark.skipif(is_postgres(), reason="on PostgreSQL anyio's default of 40 threads stays")
async def test_on_sqlite_four_requests_run_at_once_and_the_others_wait_their_turn(
    engine: Engine, db_url: str
) -> None:
    # Given a server on a SQLite file, whose connections are slow to hand out, so that
    # requests sent together overlap
    app = create_app(Settings(database_url=db_url, secret_key="test-secret-key"), engine)
    lock = threading.Lock()
    holding = most = 0

    def checkout(*_: Any) -> None:
        nonlocal holding, most
        with lock:
            holding += 1
            most = max(most, holding)
        time.sleep(0.05)

    def checkin(*_: Any) -> None:
        nonlocal holding
        with lock:
            holding -= 1

    sa.event.listen(engine.pool, "checkout", checkout)
    sa.event.listen(engine.pool, "checkin", checkin)

    # When twelve clients ask at once
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
            responses = await asyncio.gather(
                *(client.post("/graphql", json=QUERY) for _ in range(12))
            )

    # Then every one is answered, while no more than four held a connection at a time
    assert [r.status_code for r in responses] == [200] * 12
    assert all("errors" not in r.json() for r in responses)
    assert most == sqlite.CONNECTIONS == 4
