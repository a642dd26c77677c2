"""CONFLICT answers with the record as it is now: every mutation that takes
expectedVersion returns the current object, with its version, beside the error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from conftest import Api, World

from inset.ids import to_global_id

PUBLIC_URL = "https://93.184.216.34/hooks/inset"


@dataclass(frozen=True)
class Kind:
    mutation: str  # the correcting mutation
    input_type: str
    payload_field: str  # where the payload shows the record
    id_key: str  # the input's key for the record's id
    shown: str  # a field of the record that the corrections change
    first: dict[str, Any]  # the correction that lands
    second: dict[str, Any]  # the one sent with the stale version


KINDS = {
    "project": Kind(
        "updateProject",
        "UpdateProjectInput",
        "project",
        "projectId",
        "title",
        {"title": "Family group conferencing, second try"},
        {"title": "A stale title"},
    ),
    "visibility": Kind(
        "setVisibility",
        "SetVisibilityInput",
        "project",
        "projectId",
        "visibility",
        {"visibility": "MEMBERS"},
        {"visibility": "PUBLIC"},
    ),
    "evidence": Kind(
        "updateEvidence",
        "UpdateEvidenceInput",
        "evidence",
        "id",
        "title",
        {"title": "Interim evaluation, corrected"},
        {"title": "A stale title"},
    ),
    "outcome": Kind(
        "updateOutcome",
        "UpdateOutcomeInput",
        "outcome",
        "id",
        "name",
        {"name": "Children kept safely at home"},
        {"name": "A stale name"},
    ),
    "observation": Kind(
        "updateObservation",
        "UpdateObservationInput",
        "observation",
        "id",
        "note",
        {"note": "Counted again from the case files"},
        {"note": "A stale note"},
    ),
    "cost": Kind(
        "updateCost",
        "UpdateCostInput",
        "cost",
        "id",
        "description",
        {"description": "Three family support workers"},
        {"description": "A stale description"},
    ),
    "benefit": Kind(
        "updateBenefit",
        "UpdateBenefitInput",
        "benefit",
        "id",
        "description",
        {"description": "Fewer nights in residential care"},
        {"description": "A stale description"},
    ),
    "lesson": Kind(
        "updateLesson",
        "UpdateLessonInput",
        "lesson",
        "id",
        "title",
        {"title": "Start with the social workers, corrected"},
        {"title": "A stale title"},
    ),
    "webhook endpoint": Kind(
        "updateWebhookEndpoint",
        "UpdateWebhookEndpointInput",
        "endpoint",
        "endpointId",
        "description",
        {"description": "CRM, corrected"},
        {"description": "A stale description"},
    ),
}


CREATE: dict[str, tuple[str, str, str]] = {
    # kind: (mutation, input type, payload field)
    "evidence": ("recordEvidence", "RecordEvidenceInput", "evidence"),
    "outcome": ("defineOutcome", "DefineOutcomeInput", "outcome"),
    "observation": ("observeOutcome", "ObserveOutcomeInput", "observation"),
    "cost": ("recordCost", "RecordCostInput", "cost"),
    "benefit": ("recordBenefit", "RecordBenefitInput", "benefit"),
    "lesson": ("recordLesson", "RecordLessonInput", "lesson"),
    "webhook endpoint": ("createWebhookEndpoint", "CreateWebhookEndpointInput", "endpoint"),
}


def _inputs(project_id: str, outcome_id: str | None) -> dict[str, dict[str, Any]]:
    return {
        "evidence": {
            "projectId": project_id,
            "kind": "MONITORING_DATA",
            "title": "Interim evaluation",
            "summary": "What the first families told us.",
            "level": 1,
        },
        "outcome": {
            "projectId": project_id,
            "name": "Children kept at home",
            "unit": "children",
            "higherIsBetter": True,
        },
        "observation": {"outcomeId": outcome_id, "value": "12", "observedOn": "2025-03-01"},
        "cost": {
            "projectId": project_id,
            "category": "STAFF",
            "description": "Two family support workers",
            "amount": {"amount": "40000.00"},
            "confidence": 2,
        },
        "benefit": {
            "projectId": project_id,
            "kind": "FISCAL",
            "description": "Fewer nights in care",
            "amount": {"amount": "90000.00"},
            "beneficiary": "The local authority",
            "confidence": 2,
        },
        "lesson": {
            "projectId": project_id,
            "kind": "WHAT_WORKED",
            "title": "Start with the social workers",
            "body": "They knew which families to ask first.",
        },
        "webhook endpoint": {"url": PUBLIC_URL, "description": "CRM"},
    }


async def _create(api: Api, token: str, kind: str, project_id: str) -> str:
    outcome_id = None
    if kind == "observation":
        outcome_id = await _create(api, token, "outcome", project_id)
    mutation, input_type, field = CREATE[kind]
    query = (
        f"mutation($input: {input_type}!) {{ {mutation}(input: $input) "
        f"{{ {field} {{ id }} userErrors {{ code message }} }} }}"
    )
    data = await api.data(query, {"input": _inputs(project_id, outcome_id)[kind]}, token=token)
    assert data[mutation]["userErrors"] == []
    made: str = data[mutation][field]["id"]
    return made


@pytest.mark.parametrize("name", list(KINDS))
async def test_a_stale_correction_returns_the_record_as_it_is_now(
    api: Api, world: World, name: str
) -> None:
    kind = KINDS[name]
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)
    record_id = project_id if kind.payload_field == "project" else None
    if record_id is None:
        record_id = await _create(api, token, name, project_id)
    query = (
        f"mutation($input: {kind.input_type}!) {{ {kind.mutation}(input: $input) {{ "
        f"{kind.payload_field} {{ id version {kind.shown} }} "
        "userErrors { field code message } } }"
    )

    async def correct(change: dict[str, Any], version: int) -> dict[str, Any]:
        input = {kind.id_key: record_id, "expectedVersion": version, **change}
        data = await api.data(query, {"input": input}, token=token)
        payload: dict[str, Any] = data[kind.mutation]
        return payload

    landed = await correct(kind.first, 1)
    assert landed["userErrors"] == []
    assert landed[kind.payload_field]["version"] == 2

    stale = await correct(kind.second, 1)

    [error] = stale["userErrors"]
    assert error["code"] == "CONFLICT"
    assert error["field"] == ["input", "expectedVersion"]
    # The record as the first correction left it, not as the stale one would have.
    assert stale[kind.payload_field] == {
        "id": record_id,
        "version": 2,
        kind.shown: next(iter(kind.first.values())),
    }
    # Redone against the version the conflict returned, the change lands.
    redone = await correct(kind.second, stale[kind.payload_field]["version"])
    assert redone["userErrors"] == []
    assert redone[kind.payload_field]["version"] == 3


async def test_a_stale_gate_decision_returns_the_project_as_it_is_now(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)
    update = """
    mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { code } } }
    """
    await api.data(
        update,
        {"input": {"projectId": project_id, "expectedVersion": 1, "title": "Renamed"}},
        token=token,
    )
    decide = """
    mutation($input: DecideGateInput!) {
      decideGate(input: $input) {
        decision { id } project { id version title stage } userErrors { field code }
      }
    }
    """
    data = await api.data(
        decide,
        {
            "input": {
                "projectId": project_id,
                "decision": "HOLD",
                "rationale": "Waiting for the new financial year's budget.",
                "expectedVersion": 1,
            }
        },
        token=token,
    )

    payload = data["decideGate"]
    assert payload["userErrors"] == [{"field": ["input", "expectedVersion"], "code": "CONFLICT"}]
    assert payload["decision"] is None
    assert payload["project"] == {
        "id": project_id,
        "version": 2,
        "title": "Renamed",
        "stage": "IDEA",
    }
