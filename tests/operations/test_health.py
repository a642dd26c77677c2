"""/healthz says the process answers; /readyz says whether its database can serve."""

from __future__ import annotations

import httpx

from inset.app import create_app
from inset.config import Settings
from inset.db import create_db_engine
from inset.migrate import head_revision, upgrade


async def _get(url: str, path: str) -> httpx.Response:
    engine = create_db_engine(url)
    app = create_app(Settings(database_url=url, secret_key="test-secret-key"), engine)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
            return await client.get(path)
    finally:
        engine.dispose()


async def test_healthz_answers_without_a_database(tmp_path):
    response = await _get(f"sqlite:///{tmp_path}/no/such/folder/inset.db", "/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_ready_on_a_database_at_the_migration_head(db_url):
    response = await _get(db_url, "/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "reachable",
        "migrations": f"at head {head_revision(db_url)}",
    }


async def test_readyz_is_503_when_the_database_cannot_be_reached(tmp_path):
    response = await _get(f"sqlite:///{tmp_path}/no/such/folder/inset.db", "/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "database": "unreachable (OperationalError)"}


async def test_readyz_is_503_and_says_so_when_migrations_are_behind(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0001")

    response = await _get(url, "/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "reachable"
    assert body["migrations"].startswith(f"at 0001, not at head {head_revision(url)}")
