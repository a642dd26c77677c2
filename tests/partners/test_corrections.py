"""Corrections through the API: partial input, expectedVersion, every rule of creation,
and the derived figures read back at once."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World

from inset.ids import to_global_id
from inset.projects.models import Project

PROJECT = """
query($id: ID!) { node(id: $id) { ... on Project { economics { totalCost { amount } } } } }
"""

RECORD_COST = """
mutation($input: RecordCostInput!) {
  recordCost(input: $input) {
    cost { id version externalId } userErrors { field code message existingId }
  }
}
"""

UPDATE_COST = """
mutation($input: UpdateCostInput!) {
  updateCost(input: $input) {
    cost { id version description amount { amount } fundingSource }
    project { economics { totalCost { amount } } }
    userErrors { field code message }
  }
}
"""

RECORD_EVIDENCE = """
mutation($input: RecordEvidenceInput!) {
  recordEvidence(input: $input) { evidence { id version } userErrors { code } }
}
"""

UPDATE_EVIDENCE = """
mutation($input: UpdateEvidenceInput!) {
  updateEvidence(input: $input) {
    evidence { version independent reference } project { evidenceLevel }
    userErrors { field code message }
  }
}
"""

DEFINE = """
mutation($input: DefineOutcomeInput!) { defineOutcome(input: $input) { outcome { id } } }
"""

OBSERVE = """
mutation($input: ObserveOutcomeInput!) {
  observeOutcome(input: $input) { observation { id version value } userErrors { code } }
}
"""

UPDATE_OBSERVATION = """
mutation($input: UpdateObservationInput!) {
  updateObservation(input: $input) {
    observation { version value note } outcome { latest } userErrors { field code message }
  }
}
"""

RECORD_LESSON = """
mutation($input: RecordLessonInput!) { recordLesson(input: $input) { lesson { id version } } }
"""

UPDATE_LESSON = """
mutation($input: UpdateLessonInput!) {
  updateLesson(input: $input) {
    lesson { version title barriers } userErrors { field code message }
  }
}
"""

ARCHIVE = """
mutation($input: ArchiveRecordInput!) {
  archiveRecord(input: $input) { archivedId userErrors { field code message } }
}
"""


def gid(project: Project) -> str:
    return to_global_id("Project", project.id or 0)


async def a_cost(api: Api, token: str, project: Project, **extra: Any) -> dict[str, Any]:
    made = await api.data(
        RECORD_COST,
        {
            "input": {
                "projectId": gid(project),
                "category": "STAFF",
                "description": "Two family support workers",
                "amount": {"amount": "40000.00"},
                "fundingSource": "Innovation fund",
                "confidence": 2,
                **extra,
            }
        },
        token=token,
    )
    cost: dict[str, Any] = made["recordCost"]["cost"]
    return cost


async def test_a_corrected_cost_changes_the_economics_at_once(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    cost = await a_cost(api, token, project)
    assert cost["version"] == 1

    corrected = await api.data(
        UPDATE_COST,
        {
            "input": {
                "id": cost["id"],
                "expectedVersion": 1,
                "amount": {"amount": "50000.00"},
                "fundingSource": None,
            }
        },
        token=token,
    )

    payload = corrected["updateCost"]
    assert payload["userErrors"] == []
    assert payload["cost"] == {
        "id": cost["id"],
        "version": 2,
        "description": "Two family support workers",
        "amount": {"amount": "50000.00"},
        "fundingSource": None,
    }
    # grade 2: 5% optimism bias
    assert payload["project"]["economics"]["totalCost"] == {"amount": "52500.00"}


async def test_a_stale_expected_version_is_a_conflict(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    cost = await a_cost(api, token, project)
    first = {"input": {"id": cost["id"], "expectedVersion": 1, "confidence": 3}}
    await api.data(UPDATE_COST, first, token=token)

    again = await api.data(UPDATE_COST, first, token=token)

    [error] = again["updateCost"]["userErrors"]
    assert error["code"] == "CONFLICT"
    assert error["field"] == ["input", "expectedVersion"]
    assert "version 2" in error["message"]


@pytest.mark.parametrize(
    ("sent", "code", "field"),
    [
        ({"description": None}, "REQUIRED", ["input", "description"]),
        ({"amount": None}, "REQUIRED", ["input", "amount"]),
        ({"confidence": 0}, "INVALID", ["input", "confidence"]),
        ({"description": "Call 0161 496 0000 about Jo, born 03/04/2015"}, "PERSONAL_DATA", None),
    ],
)
async def test_a_correction_that_breaks_a_rule_of_recording_changes_nothing(
    api: Api, world: World, sent: dict[str, Any], code: str, field: list[str] | None
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    cost = await a_cost(api, token, project)

    refused = await api.data(
        UPDATE_COST, {"input": {"id": cost["id"], "expectedVersion": 1, **sent}}, token=token
    )

    [error] = refused["updateCost"]["userErrors"]
    assert error["code"] == code
    if field is not None:
        assert error["field"] == field
    read = await api.data(PROJECT, {"id": gid(project)}, token=token)
    assert read["node"]["economics"]["totalCost"] == {"amount": "42000.00"}


async def test_a_member_cannot_correct_and_a_stranger_does_not_see_the_cost(
    api: Api, world: World
) -> None:
    org = world.org()
    lead = world.lead(org)
    project = world.project(lead)
    cost = await a_cost(api, world.token(lead), project)
    sent = {"input": {"id": cost["id"], "expectedVersion": 1, "confidence": 6}}

    member = await api.data(UPDATE_COST, sent, token=world.token(world.member(org)))
    stranger = await api.data(UPDATE_COST, sent, token=world.token(world.lead()))

    assert member["updateCost"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert stranger["updateCost"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_correcting_evidence_to_independent_raises_the_project_level(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    made = await api.data(
        RECORD_EVIDENCE,
        {
            "input": {
                "projectId": gid(project),
                "kind": "EVALUATION_REPORT",
                "title": "Evaluation",
                "summary": "Compared two cohorts.",
                "level": 4,
                "reference": "https://example.org/report",
            }
        },
        token=token,
    )
    item = made["recordEvidence"]["evidence"]

    corrected = await api.data(
        UPDATE_EVIDENCE,
        {"input": {"id": item["id"], "expectedVersion": 1, "independent": True, "reference": None}},
        token=token,
    )

    assert corrected["updateEvidence"] == {
        "evidence": {"version": 2, "independent": True, "reference": None},
        "project": {"evidenceLevel": 4},
        "userErrors": [],
    }


async def test_an_observation_has_an_id_and_can_be_corrected(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    outcome = await api.data(
        DEFINE,
        {
            "input": {
                "projectId": gid(project),
                "name": "Children missing",
                "unit": "children a month",
                "higherIsBetter": False,
                "baseline": "45",
            }
        },
        token=token,
    )
    outcome_id = outcome["defineOutcome"]["outcome"]["id"]
    observed = await api.data(
        OBSERVE,
        {"input": {"outcomeId": outcome_id, "value": "30", "observedOn": "2022-01-31"}},
        token=token,
    )
    observation = observed["observeOutcome"]["observation"]

    corrected = await api.data(
        UPDATE_OBSERVATION,
        {
            "input": {
                "id": observation["id"],
                "expectedVersion": 1,
                "value": "24",
                "note": "Recount",
            }
        },
        token=token,
    )

    assert corrected["updateObservation"] == {
        "observation": {"version": 2, "value": "24", "note": "Recount"},
        "outcome": {"latest": "24"},
        "userErrors": [],
    }
    node = await api.data(
        "query($id: ID!) { node(id: $id) { ... on Observation { value version } } }",
        {"id": observation["id"]},
        token=token,
    )
    assert node["node"] == {"value": "24", "version": 2}
    outsider = await api.data(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": observation["id"]},
        token=world.token(world.lead()),
    )
    assert outsider["node"] is None


async def test_a_lesson_correction_replaces_its_barriers(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    made = await api.data(
        RECORD_LESSON,
        {
            "input": {
                "projectId": gid(project),
                "kind": "BARRIER",
                "title": "Evening drop-ins",
                "body": "Few came after six.",
                "barriers": ["staff capacity"],
            }
        },
        token=token,
    )
    lesson = made["recordLesson"]["lesson"]

    corrected = await api.data(
        UPDATE_LESSON,
        {"input": {"id": lesson["id"], "expectedVersion": 1, "barriers": ["funding"]}},
        token=token,
    )

    assert corrected["updateLesson"]["lesson"]["version"] == 2
    assert corrected["updateLesson"]["lesson"]["title"] == "Evening drop-ins"


async def test_archiving_again_with_the_same_key_replays_the_first_answer(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    cost = await a_cost(api, token, project)
    sent = {"input": {"id": cost["id"], "reason": "Entered twice", "idempotencyKey": "arch-1"}}

    first = await api.data(ARCHIVE, sent, token=token)
    again = await api.data(ARCHIVE, sent, token=token)
    other = await api.data(
        ARCHIVE, {"input": {**sent["input"], "reason": "Another reason"}}, token=token
    )
    without_key = await api.data(
        ARCHIVE, {"input": {"id": cost["id"], "reason": "Entered twice"}}, token=token
    )

    assert first["archiveRecord"] == {"archivedId": cost["id"], "userErrors": []}
    assert again["archiveRecord"] == first["archiveRecord"]
    assert other["archiveRecord"]["userErrors"][0]["code"] == "DUPLICATE"
    assert without_key["archiveRecord"]["userErrors"][0]["code"] == "NOT_FOUND"
