"""Evidence through the GraphQL API: recording it, the derived level, lists, node and access."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.access import Actor
from inset.accounts.models import TokenScope
from inset.db import pk, transaction
from inset.evidence import service
from inset.evidence.models import Evidence, EvidenceKind
from inset.ids import pk_of, to_global_id
from inset.projects.models import Project, Visibility

THEORY = "Fewer children go missing when a trusted adult checks in within a day of return."

RECORD_EVIDENCE = """
mutation Record($input: RecordEvidenceInput!) {
  recordEvidence(input: $input) {
    evidence {
      id kind title summary level independent stage reference recordedAt
      recordedBy { name }
    }
    project { id evidenceLevel }
    userErrors { field code message }
  }
}
"""

PROJECT_EVIDENCE = """
query ProjectEvidence($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Project {
      evidenceLevel
      evidence(first: $first, after: $after) {
        totalCount
        nodes { title level }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""

NODE_EVIDENCE = """
query Node($id: ID!) { node(id: $id) { id ... on Evidence { title level } } }
"""


def evidence_input(project: Project, **values: Any) -> dict[str, Any]:
    return {
        "projectId": to_global_id("Project", project.id or 0),
        "kind": "MONITORING_DATA",
        "title": "Missing episodes before and after",
        "summary": "Monthly missing episodes fell after the return-home chats began.",
        "level": 2,
        **values,
    }


@pytest.fixture
def lead(world: Any) -> Actor:
    actor: Actor = world.lead()
    return actor


@pytest.fixture
def token(world: Any, lead: Actor) -> str:
    secret: str = world.token(lead)
    return secret


async def record(api: Any, token: str, input: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(RECORD_EVIDENCE, {"input": input}, token=token)
    payload: dict[str, Any] = data["recordEvidence"]
    return payload


def count_evidence(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Evidence)) or 0


def add_evidence(
    engine: Engine, actor: Actor, project: Project, title: str, level: int
) -> Evidence:
    with transaction(engine) as session:
        return service.record_evidence(
            session=session,
            actor=actor,
            project_id=pk(project),
            kind=EvidenceKind.SURVEY,
            title=title,
            summary="Survey of young people after return.",
            level=level,
        )


async def test_recording_evidence_returns_it_and_the_project_at_its_new_level(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead, theory_of_change=THEORY)

    payload = await record(
        api, token, evidence_input(project, reference="Monthly returns to the DfE, 2021-22")
    )

    assert payload["userErrors"] == []
    evidence = payload["evidence"]
    assert evidence["kind"] == "MONITORING_DATA"
    assert (evidence["level"], evidence["independent"], evidence["stage"]) == (2, False, "IDEA")
    assert evidence["reference"] == "Monthly returns to the DfE, 2021-22"
    assert evidence["recordedBy"]["name"].startswith("Person ")
    assert pk_of(evidence["id"], "Evidence") is not None
    assert payload["project"]["evidenceLevel"] == 2


async def test_an_independent_level_4_evaluation_lifts_the_level_and_a_claimed_one_does_not(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead, theory_of_change=THEORY)

    own = await record(api, token, evidence_input(project, level=4, title="Our own report"))
    independent = await record(
        api,
        token,
        evidence_input(
            project,
            level=4,
            independent=True,
            kind="EVALUATION_REPORT",
            title="University evaluation",
        ),
    )

    assert own["project"]["evidenceLevel"] == 1
    assert independent["project"]["evidenceLevel"] == 4


@pytest.mark.parametrize("level", [0, 6])
async def test_a_level_outside_1_to_5_is_an_invalid_user_error_and_stores_nothing(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str, level: int
) -> None:
    project = world.project(lead)

    payload = await record(api, token, evidence_input(project, level=level))

    assert payload["evidence"] is None
    assert payload["project"] is None
    [error] = payload["userErrors"]
    assert error["field"] == ["input", "level"]
    assert error["code"] == "INVALID"
    assert count_evidence(engine) == 0


async def test_an_nhs_number_in_a_summary_is_a_personal_data_error(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)

    payload = await record(
        api, token, evidence_input(project, summary="One child, 943 476 5919, went missing.")
    )

    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "summary"], "PERSONAL_DATA")
    assert "NHS number" in error["message"]
    assert count_evidence(engine) == 0


async def test_a_lead_of_another_organisation_cannot_record_evidence(
    api: Any, world: Any, engine: Engine, lead: Actor
) -> None:
    private = world.project(lead, visibility=Visibility.PRIVATE)
    members = world.project(lead, visibility=Visibility.MEMBERS)
    outsider = world.token(world.lead())

    hidden = await record(api, outsider, evidence_input(private))
    shown = await record(api, outsider, evidence_input(members))

    assert [(e["field"], e["code"]) for e in hidden["userErrors"]] == [
        (["input", "projectId"], "NOT_FOUND")
    ]
    assert [e["code"] for e in shown["userErrors"]] == ["FORBIDDEN"]
    assert count_evidence(engine) == 0


async def test_a_read_only_token_cannot_record_evidence(
    api: Any, world: Any, engine: Engine, lead: Actor
) -> None:
    project = world.project(lead)
    read_only = world.token(lead, TokenScope.READ)

    payload = await record(api, read_only, evidence_input(project))

    [error] = payload["userErrors"]
    assert error["code"] == "FORBIDDEN"
    assert "read" in error["message"]
    assert count_evidence(engine) == 0


async def test_the_same_idempotency_key_replays_and_other_input_is_a_duplicate(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    first = await record(api, token, evidence_input(project, idempotencyKey="ev-1"))

    again = await record(api, token, evidence_input(project, idempotencyKey="ev-1"))
    other = await record(api, token, evidence_input(project, level=3, idempotencyKey="ev-1"))

    assert again["evidence"]["id"] == first["evidence"]["id"]
    assert [e["code"] for e in other["userErrors"]] == ["DUPLICATE"]
    assert count_evidence(engine) == 1


async def test_a_project_lists_its_live_evidence_newest_first_in_pages(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead, theory_of_change=THEORY)
    add_evidence(engine, lead, project, "First survey", 2)
    study = add_evidence(engine, lead, project, "Comparison study", 3)
    add_evidence(engine, lead, project, "Second survey", 2)
    add_evidence(engine, lead, project, "Third survey", 2)
    with transaction(engine) as session:
        service.archive_evidence(
            session=session, actor=lead, evidence_id=pk(study), reason="Flawed comparison"
        )
    project_id = to_global_id("Project", project.id or 0)

    first = await api.data(PROJECT_EVIDENCE, {"id": project_id, "first": 2}, token=token)
    page = first["node"]["evidence"]
    rest = await api.data(
        PROJECT_EVIDENCE,
        {"id": project_id, "first": 2, "after": page["pageInfo"]["endCursor"]},
        token=token,
    )

    assert first["node"]["evidenceLevel"] == 2  # the archived study no longer counts
    assert page["totalCount"] == 3
    assert [n["title"] for n in page["nodes"]] == ["Third survey", "Second survey"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [n["title"] for n in rest["node"]["evidence"]["nodes"]] == ["First survey"]
    assert rest["node"]["evidence"]["pageInfo"]["hasNextPage"] is False


async def test_node_finds_evidence_only_for_readers_of_its_project_and_not_once_archived(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead, visibility=Visibility.PRIVATE)
    kept = add_evidence(engine, lead, project, "Kept", 2)
    archived = add_evidence(engine, lead, project, "Archived", 2)
    with transaction(engine) as session:
        service.archive_evidence(
            session=session, actor=lead, evidence_id=pk(archived), reason="Duplicate"
        )
    kept_id = to_global_id("Evidence", kept.id or 0)
    outsider = world.token(world.lead())

    mine = await api.data(NODE_EVIDENCE, {"id": kept_id}, token=token)
    theirs = await api.data(NODE_EVIDENCE, {"id": kept_id}, token=outsider)
    anonymous = await api.data(NODE_EVIDENCE, {"id": kept_id})
    gone = await api.data(
        NODE_EVIDENCE, {"id": to_global_id("Evidence", archived.id or 0)}, token=token
    )

    assert mine["node"] == {"id": kept_id, "title": "Kept", "level": 2}
    assert theirs["node"] is None
    assert anonymous["node"] is None
    assert gone["node"] is None
