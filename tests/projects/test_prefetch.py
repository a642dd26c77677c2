"""A page of projects loads its relations for the whole page (inset.projects.queries.prefetch).

These are the resolvers' statements: the app here answers every query through them, as
it does any query the compiler leaves to them (one statement for what it compiles is
tested in tests/graphql/compiled).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from conftest import Api, statement_counter
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.app import create_app
from inset.config import Settings
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory

RELATIONS = """
  id title
  leadOrganisation { id name kind region }
  partners { id name }
  themes { id name }
  economics { totalCost { amount } adjustedBenefit { amount } benefitCostRatio paybackMonths }
"""
PAGE = f"query Page($first: Int!) {{ projects(first: $first) {{ nodes {{ {RELATIONS} }} }} }}"
EDGES = (
    "query Page($first: Int!) { projects(first: $first) { edges { node { " + RELATIONS + " } } } }"
)
ONE = f"query One($id: ID!) {{ node(id: $id) {{ ... on Project {{ {RELATIONS} }} }} }}"

TITLES = "query Page($first: Int!) { projects(first: $first) { nodes { title } } }"


@pytest.fixture
async def api(engine: Engine, db_url: str) -> AsyncIterator[Api]:
    settings = Settings(database_url=db_url, secret_key="test-secret-key", fast_reads=False)
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield Api(client)


def portfolio(world: Any, engine: Engine, lead: Actor, projects: int) -> None:
    """Projects with themes, a partner, a cost and a benefit each (some without)."""
    themes = [world.theme().id, world.theme().id]
    partner = world.org(name="A Partner Trust").id
    for n in range(projects):
        project = world.project(
            lead,
            theme_ids=themes[: n % 3],
            partner_organisation_ids=[partner] if n % 2 else [],
        )
        if n % 4 == 3:
            continue
        with transaction(engine) as session:
            economics.record_cost(
                session=session,
                actor=lead,
                project_id=project.id or 0,
                category=CostCategory.STAFF,
                description="Staff time",
                amount=Decimal(1000 + n),
                confidence=1 + n % 6,
            )
            economics.record_benefit(
                session=session,
                actor=lead,
                project_id=project.id or 0,
                kind=BenefitKind.FISCAL,
                description="Fewer placements",
                amount=Decimal(3000 + 7 * n),
                beneficiary="The council",
                confidence=1,
            )


async def test_a_page_shows_the_same_relations_as_each_project_read_alone(
    api: Any, world: Any, engine: Engine
) -> None:
    # given projects with and without themes, partners, costs and benefits
    lead = world.lead()
    portfolio(world, engine, lead, 8)
    token = world.token(lead)

    # when the page loads them for all its projects at once
    page = (await api.data(PAGE, {"first": 8}, token=token))["projects"]["nodes"]
    edges = (await api.data(EDGES, {"first": 8}, token=token))["projects"]["edges"]

    # then each project shows what it shows when read alone, through its own loaders
    alone = [(await api.data(ONE, {"id": p["id"]}, token=token))["node"] for p in page]
    assert page == alone
    assert [e["node"] for e in edges] == alone
    assert {len(p["themes"]) for p in page} == {0, 1, 2}
    assert {len(p["partners"]) for p in page} == {0, 1}
    assert {p["economics"]["totalCost"]["amount"] for p in page} >= {"0.00"}


async def test_a_page_costs_the_same_statements_for_2_and_20_projects(
    api: Any, world: Any, engine: Engine
) -> None:
    lead = world.lead()
    portfolio(world, engine, lead, 20)
    token = world.token(lead)
    seen = statement_counter(engine)

    async def statements(query: str, first: int) -> list[str]:
        start = len(seen)
        assert (
            len((await api.data(query, {"first": first}, token=token))["projects"]["nodes"])
            == first
        )
        return seen[start:]

    await statements(PAGE, 1)  # a token's first use of the minute records it: not counted
    two, twenty = await statements(PAGE, 2), await statements(PAGE, 20)
    titles = await statements(TITLES, 20)

    # then the count follows the query's shape, not the page's size
    assert len(two) == len(twenty)
    # and a relation nobody asked for is not loaded
    assert len(titles) < len(twenty)
    assert not any(" FROM cost" in s.replace("\n", " ") for s in titles)
