"""A project's activity feed: its audit trail in words, for whoever may read the project."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from inset.accounts.models import Account, TokenScope
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import CostCategory
from inset.gates.models import GateDecisionKind
from inset.gates.service import decide_gate
from inset.ids import to_global_id
from inset.projects import service as projects
from inset.projects.models import Project, Visibility

ACTIVITY = """
query($id: ID!) { node(id: $id) { ... on Project {
  activity(first: 10) { totalCount nodes { summary by occurredAt } }
} } }
"""


def history(world: Any, visibility: Visibility) -> tuple[Any, Project]:
    """A project created, retitled, costed, moved on by staff over its criteria, a cost
    archived, and shared as `visibility`."""
    lead = world.lead()
    project = world.project(lead)
    with transaction(world.engine) as session:
        projects.update_project(
            session=session,
            actor=lead,
            project_id=project.id,
            expected_version=1,
            changes={"title": "Return home talks", "problem": "Children go missing again."},
        )
        cost = economics.record_cost(
            session=session,
            actor=lead,
            project_id=project.id,
            category=CostCategory.STAFF,
            description="Youth workers",
            amount=Decimal("1200.00"),
            confidence=2,
        )
    with transaction(world.engine) as session:
        decide_gate(
            session=session,
            actor=world.staff,
            project_id=project.id,
            decision=GateDecisionKind.GO,
            rationale="Agreed at the panel",
            expected_version=2,
            override=True,
        )
        economics.archive_cost(session=session, actor=lead, cost_id=cost.id, reason="Entered twice")
    with transaction(world.engine) as session:
        current = session.get(Project, project.id)
        assert current is not None
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id,
            visibility=visibility,
            expected_version=current.version,
        )
    return lead, project


async def test_the_feed_tells_what_happened_newest_first_and_who_did_it(api, world):
    lead, project = history(world, Visibility.MEMBERS)
    member = world.member()  # of another organisation: MEMBERS projects are theirs to read

    data = await api.data(
        ACTIVITY,
        {"id": to_global_id("Project", project.id)},
        token=world.token(member, TokenScope.READ),
    )

    feed = data["node"]["activity"]
    assert [n["summary"] for n in feed["nodes"]] == [
        "Shared the project with every member",
        "Archived a cost",
        "Moved the project on from idea to pilot, overriding the gate's criteria",
        "Recorded a cost",
        "Changed the project's title and problem",
        "Created the project",
    ]
    assert feed["totalCount"] == 6
    with Session(world.engine) as session:
        lead_name = session.get(Account, lead.account_id).name
    names = [n["by"] for n in feed["nodes"]]
    assert names == [lead_name, lead_name, "Sam Staff", lead_name, lead_name, lead_name]
    assert "@" not in str(feed)  # names, never emails


async def test_anonymous_readers_of_a_public_project_see_no_names(api, world):
    _, project = history(world, Visibility.PUBLIC)

    data = await api.data(ACTIVITY, {"id": to_global_id("Project", project.id)})

    feed = data["node"]["activity"]["nodes"]
    assert feed[0]["summary"] == "Shared the project with everyone"
    assert {n["by"] for n in feed} == {None}


async def test_a_private_projects_feed_is_not_there_for_outsiders(api, world):
    _, project = history(world, Visibility.PRIVATE)
    outsider = world.member()

    data = await api.data(
        ACTIVITY,
        {"id": to_global_id("Project", project.id)},
        token=world.token(outsider, TokenScope.READ),
    )

    assert data["node"] is None
