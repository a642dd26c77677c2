"""The guard through the GraphQL API: both corpora, sent through a sample of the fields
that take free text, and the re-check when a project goes PUBLIC."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import cycle
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.access import Actor
from inset.audit.models import AuditEvent
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import CostCategory
from inset.gates.models import GateDecision
from inset.ids import to_global_id
from inset.outcomes import service as outcomes
from inset.projects.models import Project, Visibility
from tests.privacy.corpus_ordinary import ORDINARY_TEXT
from tests.privacy.corpus_personal import ALWAYS_REFUSED, PERSONAL_DATA

ERRORS = "userErrors { field code message }"
CREATE_PROJECT = f"""
mutation($input: CreateProjectInput!) {{
  createProject(input: $input) {{ project {{ id }} {ERRORS} }}
}}
"""
RECORD_EVIDENCE = f"""
mutation($input: RecordEvidenceInput!) {{ recordEvidence(input: $input) {{ {ERRORS} }} }}
"""
RECORD_LESSON = f"""
mutation($input: RecordLessonInput!) {{ recordLesson(input: $input) {{ {ERRORS} }} }}
"""
RECORD_COST = f"""
mutation($input: RecordCostInput!) {{ recordCost(input: $input) {{ {ERRORS} }} }}
"""
OBSERVE_OUTCOME = f"""
mutation($input: ObserveOutcomeInput!) {{ observeOutcome(input: $input) {{ {ERRORS} }} }}
"""
DECIDE_GATE = f"""
mutation($input: DecideGateInput!) {{ decideGate(input: $input) {{ {ERRORS} }} }}
"""
ARCHIVE_RECORD = f"""
mutation($input: ArchiveRecordInput!) {{ archiveRecord(input: $input) {{ {ERRORS} }} }}
"""
CREATE_ORGANISATION = f"""
mutation($input: CreateOrganisationInput!) {{ createOrganisation(input: $input) {{ {ERRORS} }} }}
"""
CREATE_ACCOUNT = f"""
mutation($input: CreateAccountInput!) {{ createAccount(input: $input) {{ {ERRORS} }} }}
"""
CREATE_TOKEN = f"""
mutation($input: CreateApiTokenInput!) {{ createApiToken(input: $input) {{ {ERRORS} }} }}
"""
SET_VISIBILITY = f"""
mutation($input: SetVisibilityInput!) {{
  setVisibility(input: $input) {{ project {{ visibility }} {ERRORS} }}
}}
"""
NODE_TEXT = """
query($id: ID!) {
  node(id: $id) {
    ... on GateDecision { rationale }
    ... on Evidence { summary }
    ... on Outcome { observations { note } }
  }
}
"""


@dataclass
class Scene:
    """A PUBLIC project with an outcome and a cost, and tokens for its lead and for staff."""

    api: Any
    engine: Engine
    project: Project
    lead_token: str
    staff_token: str
    outcome_id: str
    cost_id: str
    counter: cycle[int]

    @property
    def project_id(self) -> str:
        return to_global_id("Project", self.project.id or 0)

    def version(self) -> int:
        with Session(self.engine) as session:
            project = session.get(Project, self.project.id)
            assert project is not None
            return project.version

    async def send(self, query: str, input: dict[str, Any], token: str) -> list[dict[str, Any]]:
        data = await self.api.data(query, {"input": input}, token=token)
        [payload] = data.values()
        errors: list[dict[str, Any]] = payload["userErrors"]
        return errors


@pytest.fixture
def scene(api: Any, world: Any, engine: Engine) -> Scene:
    lead: Actor = world.lead()
    project = world.project(lead, visibility=Visibility.PUBLIC)
    with transaction(engine) as session:
        outcome = outcomes.define_outcome(
            session=session,
            actor=lead,
            project_id=project.id,
            name="Children missing from home",
            unit="children a month",
            higher_is_better=False,
        )
        cost = economics.record_cost(
            session=session,
            actor=lead,
            project_id=project.id or 0,
            category=CostCategory.STAFF,
            description="Staff time",
            amount=Decimal("100.00"),
            confidence=2,
        )
        outcome_id, cost_id = outcome.id or 0, cost.id or 0
    return Scene(
        api=api,
        engine=engine,
        project=project,
        lead_token=world.token(lead),
        staff_token=world.token(world.staff),
        outcome_id=to_global_id("Outcome", outcome_id),
        cost_id=to_global_id("Cost", cost_id),
        counter=cycle(range(1_000_000)),
    )


Send = Callable[[Scene, str], Awaitable[list[dict[str, Any]]]]


async def project_summary(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {
        "title": f"Project {next(s.counter)}",
        "summary": text,
        "innovationType": "PRACTICE",
        "leadOrganisationId": to_global_id("Organisation", s.project.lead_organisation_id),
        "visibility": "PUBLIC",
    }
    return await s.send(CREATE_PROJECT, input, s.lead_token)


async def evidence_title(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {
        "projectId": s.project_id,
        "kind": "SURVEY",
        "title": text,
        "summary": "A survey of families.",
        "level": 2,
    }
    return await s.send(RECORD_EVIDENCE, input, s.lead_token)


async def lesson_body(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {"projectId": s.project_id, "kind": "BARRIER", "title": "Data", "body": text}
    return await s.send(RECORD_LESSON, input, s.lead_token)


async def cost_funding_source(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {
        "projectId": s.project_id,
        "category": "STAFF",
        "description": "Staff time",
        "amount": {"amount": "100.00"},
        "fundingSource": text,
        "confidence": 2,
    }
    return await s.send(RECORD_COST, input, s.lead_token)


async def observation_note(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {"outcomeId": s.outcome_id, "value": "24", "observedOn": "2024-01-31", "note": text}
    return await s.send(OBSERVE_OUTCOME, input, s.lead_token)


async def organisation_name(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {"name": f"{text} ({next(s.counter)})", "kind": "CHARITY"}
    return await s.send(CREATE_ORGANISATION, input, s.staff_token)


async def organisation_region(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {"name": f"Organisation {next(s.counter)}", "kind": "CHARITY", "region": text}
    return await s.send(CREATE_ORGANISATION, input, s.staff_token)


async def account_name(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {
        "email": f"someone{next(s.counter)}@example.org",
        "name": text,
        "organisationId": to_global_id("Organisation", s.project.lead_organisation_id),
        "role": "MEMBER",
    }
    return await s.send(CREATE_ACCOUNT, input, s.staff_token)


async def gate_rationale(s: Scene, text: str) -> list[dict[str, Any]]:
    input = {
        "projectId": s.project_id,
        "decision": "HOLD",
        "rationale": text,
        "expectedVersion": s.version(),
    }
    return await s.send(DECIDE_GATE, input, s.lead_token)


async def archive_reason(s: Scene, text: str) -> list[dict[str, Any]]:
    return await s.send(ARCHIVE_RECORD, {"id": s.cost_id, "reason": text}, s.lead_token)


async def token_name(s: Scene, text: str) -> list[dict[str, Any]]:
    return await s.send(CREATE_TOKEN, {"name": text, "scope": "READ"}, s.lead_token)


# Public text: every kind of personal data is refused there.
PUBLIC_FIELDS: list[tuple[Send, list[str]]] = [
    (project_summary, ["input", "summary"]),
    (evidence_title, ["input", "title"]),
    (lesson_body, ["input", "body"]),
    (cost_funding_source, ["input", "fundingSource"]),
    (observation_note, ["input", "note"]),
    (organisation_name, ["input", "name"]),
    (organisation_region, ["input", "region"]),
    (account_name, ["input", "name"]),
    (gate_rationale, ["input", "rationale"]),
]
# Text only its writers and staff read: identifiers are refused, contacts are not.
PRIVATE_FIELDS: list[tuple[Send, list[str]]] = [
    (archive_reason, ["input", "reason"]),
    (token_name, ["input", "name"]),
]


def audit_events(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


async def test_every_rendering_of_personal_data_is_refused_through_a_sample_of_fields(
    scene: Scene,
) -> None:
    before = audit_events(scene.engine)
    fields = cycle(PUBLIC_FIELDS)
    private = cycle(PRIVATE_FIELDS)
    wrong = []
    for kind, text in PERSONAL_DATA:
        send, path = next(fields)
        errors = await send(scene, text)
        got = [(e["field"], e["code"], kind in e["message"]) for e in errors]
        if got != [(path, "PERSONAL_DATA", True)]:
            wrong.append((send.__name__, text, errors))
        if kind in ALWAYS_REFUSED:
            send, path = next(private)
            errors = await send(scene, text)
            if [(e["field"], e["code"]) for e in errors] != [(path, "PERSONAL_DATA")]:
                wrong.append((send.__name__, text, errors))

    assert wrong == []
    assert audit_events(scene.engine) == before  # nothing was stored


async def test_ordinary_text_is_accepted_in_public_fields(scene: Scene) -> None:
    accepting = [f for f in PUBLIC_FIELDS if f[0] is not gate_rationale]
    fields = cycle(accepting)
    wrong = []
    for text in ORDINARY_TEXT:
        send, _ = next(fields)
        errors = await send(scene, text)
        if errors:
            wrong.append((send.__name__, text, errors))

    assert wrong == []


async def test_contact_details_are_accepted_where_only_writers_and_staff_read(
    scene: Scene,
) -> None:
    errors = await token_name(scene, "laptop, ask jo@example.org")

    assert errors == []


async def test_going_public_names_every_text_that_blocks_it_gate_rationales_included(
    api: Any, world: Any, engine: Engine
) -> None:
    lead: Actor = world.lead()
    project = world.project(lead, problem="Families wait too long.")
    token = world.token(lead)
    project_id = to_global_id("Project", project.id or 0)
    # Written while the project was PRIVATE, where contact details are allowed.
    with transaction(engine) as session:
        outcome = outcomes.define_outcome(
            session=session,
            actor=lead,
            project_id=project.id,
            name="Children missing",
            unit="children",
            higher_is_better=False,
        )
    outcome_id = to_global_id("Outcome", outcome.id or 0)
    for note in ("Fell after the new rota", "Ask Jo on 07700 900123"):
        assert await api.data(
            OBSERVE_OUTCOME,
            {
                "input": {
                    "outcomeId": outcome_id,
                    "value": "3",
                    "observedOn": "2024-01-31",
                    "note": note,
                }
            },
            token=token,
        )
    hold = await api.data(
        DECIDE_GATE,
        {
            "input": {
                "projectId": project_id,
                "decision": "HOLD",
                "rationale": "Paused: call 0113 496 0000 or write to jo@example.org",
                "expectedVersion": 1,
            }
        },
        token=token,
    )
    assert hold["decideGate"]["userErrors"] == []
    with Session(engine) as session:
        [decision] = session.scalars(sa.select(GateDecision.id)).all()
    decision_id = to_global_id("GateDecision", decision or 0)

    data = await api.data(
        SET_VISIBILITY,
        {"input": {"projectId": project_id, "visibility": "PUBLIC", "expectedVersion": 2}},
        token=token,
    )

    payload = data["setVisibility"]
    assert payload["project"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "visibility", decision_id, "rationale"], "PERSONAL_DATA"),
        (["input", "visibility", outcome_id, "observations", "1", "note"], "PERSONAL_DATA"),
    ]
    assert "a phone number" in payload["userErrors"][0]["message"]
    assert "a phone number" in payload["userErrors"][1]["message"]
    # The paths lead a client to the texts to change.
    rationale = await api.data(NODE_TEXT, {"id": decision_id}, token=token)
    observations = await api.data(NODE_TEXT, {"id": outcome_id}, token=token)
    assert "0113" in rationale["node"]["rationale"]
    assert "07700" in observations["node"]["observations"][1]["note"]
    with Session(engine) as session:
        stored = session.get(Project, project.id)
        assert stored is not None
        assert stored.visibility is Visibility.PRIVATE
