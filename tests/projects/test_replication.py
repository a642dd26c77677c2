"""Replication: another organisation adopts a project, lineage both ways, portfolio figures
and the original's level-5 evidence, through the services and the API."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Api, World
from sqlmodel import Session

from inset.access import Actor
from inset.audit.models import AuditEvent
from inset.db import transaction
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates.models import GateDecisionKind
from inset.gates.service import decide_gate
from inset.ids import to_global_id
from inset.projects.models import Project, Stage, Visibility
from inset.projects.service import archive_project

PROBLEM = "Children who go missing from care are rarely asked why on their return."
THEORY = "A trusted adult who checks in within a day of return means fewer repeat episodes."

REPLICATE = """
mutation Replicate($input: ReplicateProjectInput!) {
  replicateProject(input: $input) {
    project {
      id title stage status visibility problem theoryOfChange
      leadOrganisation { name }
      replicatedFrom { id title lessons { totalCount nodes { title } } }
    }
    userErrors { field code message }
  }
}
"""

LINEAGE = """
query Lineage($id: ID!) {
  node(id: $id) { ... on Project { title replications { title leadOrganisation { name } } } }
}
"""

PORTFOLIO = """
query { portfolio {
  organisationsReached
  replications(first: 5) { project { title } replications organisations }
} }
"""


def gid(project: Project) -> str:
    return to_global_id("Project", project.id or 0)


def go_to(world: World, project: Project, stage: Stage) -> None:
    """Staff take the project through GO decisions (overridden) up to `stage`."""
    with transaction(world.engine) as session:
        row = session.get(Project, project.id)
        assert row is not None
        while row.stage is not stage:
            row, _ = decide_gate(
                session=session,
                actor=world.staff,
                project_id=row.id or 0,
                decision=GateDecisionKind.GO,
                rationale="Ready.",
                expected_version=row.version,
                override=True,
            )


def original_of(world: World, lead: Actor, visibility: Visibility = Visibility.PUBLIC) -> Project:
    return world.project(
        lead,
        title="Return home chats",
        problem=PROBLEM,
        theory_of_change=THEORY,
        visibility=visibility,
    )


def replicate(world: World, actor: Actor, original: Project, **values: Any) -> Project:
    from inset.projects.replication import replicate_project

    with transaction(world.engine) as session:
        return replicate_project(
            session=session, actor=actor, project_id=original.id or 0, **values
        )


def test_a_lead_of_another_organisation_replicates_a_project_at_idea_linked_to_it(
    world: World, session: Session
) -> None:
    original = original_of(world, world.lead())
    go_to(world, original, Stage.EVALUATION)
    other = world.lead()

    replica = replicate(world, other, original)

    assert replica.stage is Stage.IDEA
    assert replica.lead_organisation_id == other.organisation_id
    assert replica.replicated_from_id == original.id
    assert (replica.problem, replica.theory_of_change) == (PROBLEM, THEORY)
    assert replica.visibility is Visibility.PRIVATE
    assert replica.lead_account_id == other.account_id
    actions = session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity_id == replica.id)
    ).all()
    assert "project.replicate" in actions


def test_a_project_is_never_replicated_into_its_own_lead_organisation(world: World) -> None:
    from inset.errors import Invalid

    org = world.org()
    original = original_of(world, world.lead(org))
    with pytest.raises(Invalid, match="its own lead organisation"):
        replicate(world, world.lead(org), original)


def test_a_private_project_of_another_organisation_cannot_be_replicated(world: World) -> None:
    from inset.errors import NotFound

    original = original_of(world, world.lead(), Visibility.PRIVATE)
    with pytest.raises(NotFound):
        replicate(world, world.lead(), original)


def level_of(world: World, project: Project) -> int:
    with transaction(world.engine) as session:
        row = session.get(Project, project.id)
        assert row is not None
        return row.evidence_level


def test_a_replication_at_scale_elsewhere_makes_the_originals_level_five_claim_count(
    world: World,
) -> None:
    lead = world.lead()
    original = original_of(world, lead)
    with transaction(world.engine) as s:
        evidence.record_evidence(
            session=s,
            actor=lead,
            project_id=original.id or 0,
            kind=EvidenceKind.EVALUATION_REPORT,
            title="Run at scale by another council",
            summary="Another council runs the model across its whole service, with a manual.",
            level=5,
            independent=True,
        )
    assert level_of(world, original) == 1
    replica = replicate(world, world.lead(), original)
    go_to(world, replica, Stage.EVALUATION)
    assert level_of(world, original) == 1

    go_to(world, replica, Stage.SCALE)
    assert level_of(world, original) == 5

    with transaction(world.engine) as s:
        archive_project(session=s, actor=world.staff, project_id=replica.id or 0, reason="Merged.")
    assert level_of(world, original) == 1


async def test_replicate_project_through_the_api_shows_the_lineage_both_ways(
    world: World, api: Api
) -> None:
    original = original_of(world, world.lead())
    other = world.lead()
    token = world.token(other)

    body = await api.data(
        REPLICATE,
        {"input": {"projectId": gid(original), "idempotencyKey": "adopt-1", "title": "Chats here"}},
        token=token,
    )
    payload = body["replicateProject"]
    assert payload["userErrors"] == []
    replica = payload["project"]
    assert replica["title"] == "Chats here"
    assert (replica["stage"], replica["status"]) == ("IDEA", "ACTIVE")
    assert replica["replicatedFrom"]["title"] == "Return home chats"
    assert replica["theoryOfChange"] == THEORY

    again = await api.data(
        REPLICATE,
        {"input": {"projectId": gid(original), "idempotencyKey": "adopt-1", "title": "Chats here"}},
        token=token,
    )
    assert again["replicateProject"]["project"]["id"] == replica["id"]

    lineage = await api.data(LINEAGE, {"id": gid(original)}, token=token)
    assert [r["title"] for r in lineage["node"]["replications"]] == ["Chats here"]
    # the replica is PRIVATE: anonymous readers of the original do not see it
    anonymous = await api.data(LINEAGE, {"id": gid(original)})
    assert anonymous["node"]["replications"] == []


async def test_replicating_into_the_same_organisation_is_a_user_error_that_changes_nothing(
    world: World, api: Api, session: Session
) -> None:
    lead = world.lead()
    original = original_of(world, lead)
    body = await api.data(
        REPLICATE, {"input": {"projectId": gid(original)}}, token=world.token(lead)
    )
    errors = body["replicateProject"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "projectId"], "INVALID")]
    assert session.scalar(sa.select(sa.func.count()).select_from(Project)) == 1


async def test_the_portfolio_counts_replications_and_organisations_reached_as_each_reads_them(
    world: World, api: Api
) -> None:
    original = original_of(world, world.lead())
    second_org = world.org()
    first, second = world.lead(), world.lead(second_org)
    replicate(world, first, original, visibility=Visibility.PUBLIC)
    replicate(world, second, original)  # PRIVATE to its own organisation
    replicate(world, world.lead(second_org), original, title="Second go")

    anonymous = (await api.data(PORTFOLIO))["portfolio"]
    assert anonymous["organisationsReached"] == 1
    assert anonymous["replications"] == [
        {"project": {"title": "Return home chats"}, "replications": 1, "organisations": 1}
    ]
    member = (await api.data(PORTFOLIO, token=world.token(second)))["portfolio"]
    assert member["organisationsReached"] == 2
    assert member["replications"] == [
        {"project": {"title": "Return home chats"}, "replications": 3, "organisations": 2}
    ]
