"""Evidence of a page of projects loads in batches: the SQL count does not grow with the page."""

from __future__ import annotations

from typing import Any

from conftest import statement_counter
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.db import pk, transaction
from inset.evidence import service
from inset.evidence.models import EvidenceKind
from inset.projects.models import Project

THEORY = "Fewer children go missing when a trusted adult checks in within a day of return."

PAGE_OF_PROJECTS = """
query Page($first: Int!) {
  projects(first: $first) {
    nodes {
      evidenceLevel
      evidence(first: 2) { totalCount nodes { title recordedBy { name } } }
    }
  }
}
"""


def add_evidence(engine: Engine, actor: Actor, project: Project, title: str, level: int) -> None:
    with transaction(engine) as session:
        service.record_evidence(
            session=session,
            actor=actor,
            project_id=pk(project),
            kind=EvidenceKind.SURVEY,
            title=title,
            summary="Survey of young people after return.",
            level=level,
        )


async def test_a_page_of_projects_with_their_evidence_costs_the_same_statements_for_2_or_20(
    api: Any, world: Any, engine: Engine
) -> None:
    lead = world.lead()
    token = world.token(lead)

    def add_projects(n: int) -> None:
        for _ in range(n):
            project = world.project(lead, theory_of_change=THEORY)
            for level in (2, 3, 2):
                add_evidence(engine, lead, project, f"Level {level}", level)

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
    assert len(twenty["projects"]["nodes"]) == 20
    assert all(n["evidence"]["totalCount"] == 3 for n in twenty["projects"]["nodes"])
    assert all(len(n["evidence"]["nodes"]) == 2 for n in twenty["projects"]["nodes"])
    assert all(n["evidenceLevel"] == 3 for n in twenty["projects"]["nodes"])
    assert for_two == for_twenty
