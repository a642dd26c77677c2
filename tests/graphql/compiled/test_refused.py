"""A statement the database refuses for its shape is answered by the resolvers instead.

SQLite's parser stops at a fixed depth of nesting (some 100 levels of its grammar),
which an organisation's projects' lead organisation's projects reach; PostgreSQL runs
the same statement. Either way the reader gets the answer, never an error.
"""

from __future__ import annotations

from typing import Any

import httpx
from conftest import World, is_postgres, statement_counter
from sqlalchemy.engine import Engine

from inset.app import create_app
from inset.config import Settings
from inset.projects.models import Visibility

NESTED = """
{ organisations(first: 1) { nodes { id name
  projects(first: 1) { nodes { id title leadOrganisation { id name
    projects(first: 1) { nodes { id title leadOrganisation { id name } } } } } } } } }
"""


async def _ask(engine: Engine, db_url: str, *, fast: bool) -> tuple[Any, list[str]]:
    settings = Settings(
        database_url=db_url, secret_key="test-secret-key", fast_reads=fast, rate_limit_bucket=0
    )
    seen = statement_counter(engine)
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        response = await client.post("/graphql", json={"query": NESTED})
    assert response.status_code == 200
    return response.json(), [s for s in seen if "FROM" in s.upper()]


async def test_a_statement_too_deep_for_the_database_is_answered_by_the_resolvers(
    world: World, engine: Engine, db_url: str
) -> None:
    lead = world.lead()
    world.project(lead, visibility=Visibility.PUBLIC)
    fast, fast_reads = await _ask(engine, db_url, fast=True)
    reference, _ = await _ask(engine, db_url, fast=False)
    assert fast["data"] == reference["data"]
    assert "errors" not in fast
    nodes = fast["data"]["organisations"]["nodes"]
    assert nodes[0]["projects"]["nodes"][0]["leadOrganisation"]["projects"]["nodes"]
    if is_postgres():
        assert len(fast_reads) == 1, "PostgreSQL runs the compiled statement"
    else:
        # the refused statement, then the resolvers' several
        assert len(fast_reads) > 2, fast_reads
