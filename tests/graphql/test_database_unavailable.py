"""A database that cannot be reached answers 503 DATABASE_UNAVAILABLE with Retry-After,
and the service recovers by itself once the database is back: no restart, no mocks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from inset.app import create_app
from inset.config import Settings
from inset.db import create_db_engine, normalise_url
from inset.migrate import upgrade
from tests.conftest import TEST_DATABASE_URL, is_postgres

COUNT = "{ projects { totalCount } }"


async def ask(app: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        return await client.post("/graphql", json={"query": COUNT})


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert error["message"] == (
        "The database is not available just now. Try again in a few seconds."
    )
    assert "data" not in response.json()


@pytest.mark.skipif(is_postgres(), reason="the SQLite file case; PostgreSQL's is below")
async def test_a_sqlite_file_out_of_reach_is_503_until_it_is_back(
    db_url: str, tmp_path: Path
) -> None:
    # given a service whose database folder is not there (an unmounted volume, say)
    folder = tmp_path / "volume"
    folder.mkdir()
    shutil.copyfile(db_url.removeprefix("sqlite:///"), folder / "inset.db")
    away = tmp_path / "unmounted"
    folder.rename(away)
    url = f"sqlite:///{folder / 'inset.db'}"
    engine = create_db_engine(url)
    app = create_app(Settings(database_url=url, secret_key="test"), engine)
    try:
        # when a request arrives, then it is told to come back
        assert_unavailable(await ask(app))
        assert_unavailable(await ask(app))

        # when the folder is back, then the same service answers, by itself
        away.rename(folder)
        response = await ask(app)
        assert response.status_code == 200
        assert response.json()["data"] == {"projects": {"totalCount": 0}}
    finally:
        engine.dispose()


@pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL")
async def test_a_postgresql_database_lost_while_serving_is_503_until_it_is_back() -> None:
    # given a service running on a database of its own, that has answered
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_unavailable_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    engine = create_db_engine(url)
    app = create_app(Settings(database_url=url, secret_key="test"), engine)
    try:
        assert (await ask(app)).status_code == 200

        # when the database stops taking connections and drops those it had
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )

        # then each request is told to come back, without a stack trace or SQL
        assert_unavailable(await ask(app))
        assert_unavailable(await ask(app))

        # when it takes connections again, then the same service answers, by itself
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        response = await ask(app)
        assert response.status_code == 200
        assert response.json()["data"] == {"projects": {"totalCount": 0}}
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
