"""Each request pays its estimated cost into its credential's bucket; one that does not
fit is refused with 429 and THROTTLED before anything of it runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from conftest import World, statement_counter
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inset.app import create_app
from inset.config import Settings
from inset.projects.models import Project

GRAPHQL_RESPONSE = "application/graphql-response+json"
RATE = "{ rateLimit { cost limit used remaining refillRate resetAt } }"
PAGE = "{ projects(first: 50) { nodes { lessons(first: 10) { nodes { id } } } } }"
CREATE = """mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } userErrors { code } } }"""
# Refills so slowly that no test can see it: what a test spends stays spent.
SLOW = 0.000_001

Client = Callable[..., Any]


@pytest.fixture
async def limited(engine: Engine, db_url: str) -> AsyncIterator[Client]:
    """A client of an app whose buckets hold `bucket` points (given per app)."""
    clients: list[httpx.AsyncClient] = []

    async def make(bucket: int, refill: float = SLOW) -> httpx.AsyncClient:
        settings = Settings(
            database_url=db_url,
            secret_key="k",
            rate_limit_bucket=bucket,
            rate_limit_refill=refill,
        )
        transport = httpx.ASGITransport(app=create_app(settings, engine), client=("10.0.0.7", 1))
        client = httpx.AsyncClient(transport=transport, base_url="http://inset.test")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    accept: str = GRAPHQL_RESPONSE,
) -> httpx.Response:
    headers = {"accept": accept}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


async def test_every_response_tells_the_limit_and_the_cost(limited: Client, world: World) -> None:
    client = await limited(1_000)
    token = world.token(world.lead())
    first = await post(client, PAGE, token=token)
    second = await post(client, RATE, token=token)

    assert first.headers["x-ratelimit-limit"] == "1000"
    assert first.headers["x-ratelimit-used"] == "550"  # 50 projects + 50 x 10 lessons
    assert first.headers["x-ratelimit-remaining"] == "450"
    assert int(first.headers["x-ratelimit-reset"]) > 0
    cost = first.json()["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 550
    assert cost["actualQueryCost"] == 1  # no project exists: an empty page
    assert cost["throttleStatus"] == {
        "maximumAvailable": 1000,
        "currentlyAvailable": 450,
        "restoreRate": SLOW,
    }
    rate = second.json()["data"]["rateLimit"]
    assert (rate["cost"], rate["limit"], rate["used"], rate["remaining"]) == (1, 1000, 551, 449)
    assert second.headers["x-ratelimit-remaining"] == "449"


async def test_the_actual_cost_counts_the_objects_returned(limited: Client, world: World) -> None:
    client = await limited(1_000)
    lead = world.lead()
    for _ in range(3):
        world.project(lead)
    body = (await post(client, PAGE, token=world.token(lead))).json()
    assert len(body["data"]["projects"]["nodes"]) == 3
    assert body["extensions"]["cost"] == {
        "requestedQueryCost": 550,
        "actualQueryCost": 3,
        "throttleStatus": {
            "maximumAvailable": 1000,
            "currentlyAvailable": 450,
            "restoreRate": SLOW,
        },
    }


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, "application/json"])
async def test_a_request_the_bucket_cannot_pay_is_429_and_runs_nothing(
    limited: Client, world: World, engine: Engine, accept: str
) -> None:
    client = await limited(560)
    lead = world.lead()
    token = world.token(lead)
    await post(client, PAGE, token=token)  # 550 of 560
    create = {
        "title": "Never made",
        "summary": "A project the bucket cannot pay for.",
        "innovationType": "PRACTICE",
        "leadOrganisationId": lead.organisation_id,
    }
    refused = await post(client, CREATE, {"input": create}, token=token, accept=accept)

    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith(accept)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-remaining"] == "10"
    body = refused.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert "costs 20 points" in body["errors"][0]["message"]
    # 10 for the mutation, 10 for the list of userErrors it may return.
    assert body["extensions"]["cost"]["requestedQueryCost"] == 20
    with Session(engine) as session:
        assert session.exec(select(Project)).all() == []
    # A cheaper request still fits: the refusal took nothing from the bucket.
    assert (await post(client, RATE, token=token)).json()["data"]["rateLimit"]["used"] == 551


async def test_each_token_and_each_anonymous_address_has_its_own_bucket(
    limited: Client, world: World
) -> None:
    client = await limited(600)
    one, two = world.token(world.lead()), world.token(world.lead())
    assert (await post(client, PAGE, token=one)).status_code == 200
    assert (await post(client, PAGE, token=one)).status_code == 429
    assert (await post(client, PAGE, token=two)).status_code == 200
    assert (await post(client, PAGE)).status_code == 200  # anonymous, from 10.0.0.7
    assert (await post(client, PAGE)).status_code == 429


async def test_the_bucket_leaks_back_at_the_refill_rate(limited: Client, world: World) -> None:
    # A fast refill makes the leak visible without waiting: each request sees the bucket
    # nearly empty again.
    client = await limited(600, refill=1_000_000)
    token = world.token(world.lead())
    statuses = [(await post(client, PAGE, token=token)).status_code for _ in range(5)]
    assert statuses == [200] * 5


async def test_a_bucket_of_0_turns_the_limit_off(limited: Client, world: World) -> None:
    client = await limited(0)
    response = await post(client, RATE, token=world.token(world.lead()))
    assert "x-ratelimit-limit" not in response.headers
    assert response.json()["data"] == {"rateLimit": None}
    assert response.json()["extensions"]["cost"] == {"requestedQueryCost": 1, "actualQueryCost": 1}


async def test_a_read_answered_by_one_statement_is_charged_and_refused_the_same(
    limited: Client, world: World, engine: Engine
) -> None:
    """Reads the compiler answers pay on the connection of their statement: the same
    points, the same headers, and no read of its own for a request the bucket cannot pay
    (on PostgreSQL the charge and the read are one statement, whose read part runs only
    when paid: tests/ratelimit/test_charge_then.py)."""
    client = await limited(120)
    lead = world.lead()
    world.project(lead)
    token = world.token(lead)
    compiled = "{ projects(first: 50) { totalCount nodes { id title } } }"
    paid = await post(client, compiled, token=token)  # 50 of 120
    assert paid.status_code == 200
    assert paid.json()["data"]["projects"]["totalCount"] == 1
    assert paid.headers["x-ratelimit-remaining"] == "70"
    assert paid.json()["extensions"]["cost"]["actualQueryCost"] == 1
    await post(client, compiled, token=token)  # 100 of 120
    seen = statement_counter(engine)
    refused = await post(client, compiled, token=token)
    assert refused.status_code == 429
    assert "data" not in refused.json()
    assert refused.json()["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert refused.headers["x-ratelimit-remaining"] == "20"
    reads = [s for s in seen if s.startswith("SELECT") and "project" in s.lower()]
    assert not reads, reads
