"""Error messages name fields as the API does (camelCase), never by the service's own
(snake_case) names: checked over a corpus of bad inputs sent through the API, and over
every message template in the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Api, World

from inset.errors import Anonymity, PersonalData, Required, TooLong, api_name
from inset.ids import to_global_id

ROOT = Path(__file__).resolve().parents[2]
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
DOMAIN_ERRORS = {
    "DomainError",
    "Invalid",
    "Required",
    "TooLong",
    "NotFound",
    "Forbidden",
    "Conflict",
    "GateNotMet",
    "InvalidTransition",
    "PersonalData",
    "Anonymity",
    "Duplicate",
}


def test_the_api_name_of_a_service_field() -> None:
    assert api_name("observed_on") == "observedOn"
    assert api_name("lead_organisation_id") == "leadOrganisationId"
    assert api_name("title") == "title"
    assert api_name("UHJvamVjdDox") == "UHJvamVjdDox"  # a global id in a path is kept


def test_default_messages_name_the_field_by_its_api_name() -> None:
    assert Required(("observed_on",)).message == "observedOn is required"
    assert TooLong(("theory_of_change",), 10).message.startswith("theoryOfChange is longer")
    assert PersonalData(("funding_source",), "an NHS number").message.startswith(
        "fundingSource looks like"
    )
    assert Anonymity(("lesson", "body_text"), "the project").message.startswith("bodyText names")


def _templates() -> list[tuple[str, int, str]]:
    """Every literal part of the messages given to domain errors in the code."""
    found = []
    for path in sorted((ROOT / "inset").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in DOMAIN_ERRORS:
                continue
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(argument, ast.Tuple):
                    continue  # the field's path, in service names: the API converts it
                for part in ast.walk(argument):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        found.append((str(path.relative_to(ROOT)), node.lineno, part.value))
                    if isinstance(part, ast.FormattedValue):
                        shown = ast.unparse(part.value)
                        if re.fullmatch(r"(\w+_)?field(\[-1\])?", shown):
                            # a field's name put into the message must be converted
                            found.append((str(path.relative_to(ROOT)), node.lineno, shown))
    return found


def test_no_message_template_names_a_field_in_snake_case() -> None:
    bad = [
        (path, line, text)
        for path, line, text in _templates()
        if SNAKE_CASE.search(text) or re.fullmatch(r"(\w+_)?field(\[-1\])?", text)
    ]
    assert bad == []


CREATE_PROJECT = """
mutation($input: CreateProjectInput!) { createProject(input: $input) { userErrors { message } } }
"""
UPDATE_PROJECT = """
mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { message } } }
"""
RECORD_COST = """
mutation($input: RecordCostInput!) { recordCost(input: $input) { userErrors { message } } }
"""
RECORD_BENEFIT = """
mutation($input: RecordBenefitInput!) {
  recordBenefit(input: $input) { userErrors { message } }
}
"""
DEFINE = """
mutation($input: DefineOutcomeInput!) {
  defineOutcome(input: $input) { outcome { id } userErrors { message } }
}
"""
OBSERVE = """
mutation($input: ObserveOutcomeInput!) {
  observeOutcome(input: $input) { userErrors { message } }
}
"""
UPDATE_OUTCOME = """
mutation($input: UpdateOutcomeInput!) {
  updateOutcome(input: $input) { userErrors { message } }
}
"""
RECORD_LESSON = """
mutation($input: RecordLessonInput!) { recordLesson(input: $input) { userErrors { message } } }
"""
DECIDE = """
mutation($input: DecideGateInput!) { decideGate(input: $input) { userErrors { message } } }
"""


async def _messages(api: Api, token: str, query: str, input: dict[str, Any]) -> list[str]:
    body = await api.gql(query, {"input": input}, token=token)
    messages = [e["message"] for e in body.get("errors", [])]
    for payload in (body.get("data") or {}).values():
        messages += [e["message"] for e in payload["userErrors"]]
    return messages


@pytest.mark.usefixtures("engine")
async def test_user_errors_of_a_corpus_of_bad_inputs_use_the_api_names(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)
    cost = {
        "projectId": project_id,
        "category": "STAFF",
        "description": "Two family support workers",
        "amount": {"amount": "40000.00"},
        "confidence": 2,
    }
    benefit = {
        "projectId": project_id,
        "kind": "FISCAL",
        "description": "Fewer nights in care",
        "beneficiary": "The council",
        "confidence": 2,
    }
    defined = await api.data(
        DEFINE,
        {
            "input": {
                "projectId": project_id,
                "name": "Children kept at home",
                "unit": "children",
                "higherIsBetter": True,
                "baseline": "2",
                "baselineOn": "2024-01-31",
            }
        },
        token=token,
    )
    outcome_id = defined["defineOutcome"]["outcome"]["id"]
    await api.data(
        OBSERVE,
        {"input": {"outcomeId": outcome_id, "value": "3", "observedOn": "2024-06-30"}},
        token=token,
    )
    corpus: list[tuple[str, dict[str, Any]]] = [
        (
            CREATE_PROJECT,
            {
                "title": "",
                "summary": "s",
                "innovationType": "PRACTICE",
                "leadOrganisationId": "nope",
                "visibility": "PRIVATE",
            },
        ),
        (
            CREATE_PROJECT,
            {
                "title": "A title",
                "summary": "s",
                "innovationType": "PRACTICE",
                "leadOrganisationId": to_global_id("Organisation", lead.organisation_id or 0),
                "visibility": "PRIVATE",
                "startedOn": "1970-01-01",
            },
        ),
        (
            UPDATE_PROJECT,
            {"projectId": project_id, "expectedVersion": 1, "theoryOfChange": "x" * 20_001},
        ),
        (UPDATE_PROJECT, {"projectId": project_id, "expectedVersion": 1, "title": None}),
        (UPDATE_PROJECT, {"projectId": project_id, "expectedVersion": 1, "leadAccountId": "nope"}),
        (RECORD_COST, {**cost, "periodStart": "2025-04-01", "periodEnd": "2025-03-01"}),
        (RECORD_COST, {**cost, "periodStart": "2025-04-01", "periodEnd": "2060-04-01"}),
        (RECORD_COST, {**cost, "periodStart": "1980-04-01"}),
        (RECORD_COST, {**cost, "fundingSource": "f" * 5_000}),
        (RECORD_BENEFIT, {**benefit, "deadweight": 1.5}),
        (RECORD_BENEFIT, {**benefit, "attribution": 0.123456}),
        (OBSERVE, {"outcomeId": outcome_id, "value": "4", "observedOn": "2023-12-31"}),
        (OBSERVE, {"outcomeId": outcome_id, "value": "4", "observedOn": "2099-12-31"}),
        (UPDATE_OUTCOME, {"id": outcome_id, "expectedVersion": 1, "baselineOn": "2024-12-31"}),
        (UPDATE_OUTCOME, {"id": outcome_id, "expectedVersion": 1, "higherIsBetter": None}),
        (
            RECORD_LESSON,
            {
                "projectId": project_id,
                "kind": "BARRIER",
                "title": "t",
                "body": "",
                "barriers": ["no such tag"],
            },
        ),
        (
            DECIDE,
            {
                "projectId": project_id,
                "decision": "RECYCLE",
                "rationale": "Again.",
                "expectedVersion": 1,
            },
        ),
        (
            DECIDE,
            {"projectId": project_id, "decision": "GO", "rationale": "", "expectedVersion": 1},
        ),
    ]
    seen: list[str] = []
    for query, input in corpus:
        messages = await _messages(api, token, query, input)
        assert messages, input  # every input of the corpus is refused
        seen += messages
    paging = await api.gql('{ projects(after: "not a cursor") { totalCount } }', token=token)
    seen += [e["message"] for e in paging["errors"]]

    assert [m for m in seen if SNAKE_CASE.search(m)] == []
    # The corpus did reach messages that name fields of more than one word.
    named = " ".join(seen)
    for name in ("periodEnd", "periodStart", "observedOn", "baselineOn", "startedOn"):
        assert name in named, name
