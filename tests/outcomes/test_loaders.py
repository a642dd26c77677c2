"""Outcomes of a page of projects load in batches: the SQL count does not grow with the page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conftest import statement_counter
from sqlalchemy.engine import Engine

from inset.db import pk, transaction
from inset.outcomes import service

PAGE_OF_PROJECTS = """
query Page($first: Int!) {
  projects(first: $first) {
    nodes {
      outcomes {
        name baseline latest change improved
        observations { value observedOn }
      }
    }
  }
}
"""


async def test_a_page_of_projects_with_outcomes_costs_the_same_statements_for_2_or_20(
    api: Any, world: Any, engine: Engine
) -> None:
    lead = world.lead()
    token = world.token(lead)

    def add_projects(n: int) -> None:
        for _ in range(n):
            project = world.project(lead)
            with transaction(engine) as session:
                for name in ("Missing episodes", "Engagement"):
                    outcome = service.define_outcome(
                        session=session,
                        actor=lead,
                        project_id=pk(project),
                        name=name,
                        unit="a month",
                        higher_is_better=False,
                        baseline=Decimal(45),
                        baseline_on=date(2021, 7, 31),
                        target=Decimal(20),
                    )
                    for value, on in (("30", date(2021, 10, 31)), ("24", date(2022, 1, 31))):
                        service.observe_outcome(
                            session=session,
                            actor=lead,
                            outcome_id=pk(outcome),
                            value=Decimal(value),
                            observed_on=on,
                        )

    seen = statement_counter(engine)
    add_projects(2)
    await api.data("{ __typename }", token=token)  # the token's first use is written down
    before = len(seen)
    two = await api.data(PAGE_OF_PROJECTS, {"first": 20}, token=token)
    for_two = len(seen) - before

    add_projects(18)
    before = len(seen)
    twenty = await api.data(PAGE_OF_PROJECTS, {"first": 20}, token=token)
    for_twenty = len(seen) - before

    assert len(two["projects"]["nodes"]) == 2
    nodes = twenty["projects"]["nodes"]
    assert len(nodes) == 20
    assert all(len(n["outcomes"]) == 2 for n in nodes)
    expected = {
        "name": "Missing episodes",
        "baseline": "45",
        "latest": "24",
        "change": "-21",
        "improved": True,
        "observations": [
            {"value": "30", "observedOn": "2021-10-31"},
            {"value": "24", "observedOn": "2022-01-31"},
        ],
    }
    assert all(n["outcomes"][0] == expected for n in nodes)
    assert for_two == for_twenty
