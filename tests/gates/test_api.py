"""Gate decisions and readiness through the GraphQL API."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from conftest import statement_counter
from sqlmodel import Session

from inset.gates.models import GateDecision, GateDecisionKind
from inset.ids import to_global_id
from inset.projects.models import Project, Visibility
from tests.gates.gate_records import Records, current

DECIDE_GATE = """
mutation Decide($input: DecideGateInput!) {
  decideGate(input: $input) {
    project { id stage status version revisitOn }
    decision {
      id decision fromStage toStage statusAfter rationale override unmetCriteria revisitOn
      decidedBy { name } decidedAt
      lesson { title stage barriers }
    }
    userErrors { field code message }
  }
}
"""

READINESS = """
query Readiness($id: ID!, $toStage: Stage) {
  node(id: $id) {
    ... on Project {
      stage
      readiness(toStage: $toStage) {
        toStage ready criteria { code description met mandatory }
      }
    }
  }
}
"""

DECISIONS = """
query Decisions($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Project {
      decisions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id decision fromStage toStage }
      }
    }
  }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on GateDecision { decision rationale } } }
"""

PAGE_READINESS = """
query Page($first: Int!) {
  projects(first: $first) {
    nodes { readiness { ready criteria { code met } } decisions { totalCount } }
  }
}
"""


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


def gid(project: Project) -> str:
    return to_global_id("Project", project.id or 0)


def decide_input(project: Project, decision: str, **extra: Any) -> dict[str, Any]:
    return {
        "projectId": gid(project),
        "decision": decision,
        "rationale": "The board agreed.",
        "expectedVersion": project.version,
        **extra,
    }


async def decide(api, token: str, input: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(DECIDE_GATE, {"input": input}, token=token)
    payload: dict[str, Any] = data["decideGate"]
    return payload


async def test_a_go_with_unmet_criteria_is_a_user_error_naming_them(api, world, engine):
    lead = world.lead()
    project = world.project(lead)

    payload = await decide(api, world.token(lead), decide_input(project, "GO"))

    assert payload["project"] is None
    assert payload["decision"] is None
    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == ("GATE_NOT_MET", ["input", "decision"])
    assert "define at least one outcome with a baseline figure" in error["message"]
    assert current(engine, project).version == 1


UNMET = """
mutation Decide($input: DecideGateInput!) {
  decideGate(input: $input) {
    unmetCriteria { code description met mandatory }
    userErrors { code message }
  }
}
"""


async def test_gate_not_met_lists_the_unmet_criteria_as_data(api, world, records):
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    readiness = await api.data(READINESS, {"id": gid(project)}, token=token)
    missing = [
        c for c in readiness["node"]["readiness"]["criteria"] if c["mandatory"] and not c["met"]
    ]
    assert missing  # a new project at IDEA meets none of the gate's mandatory criteria

    data = await api.data(UNMET, {"input": decide_input(project, "GO")}, token=token)

    payload = data["decideGate"]
    assert [e["code"] for e in payload["userErrors"]] == ["GATE_NOT_MET"]
    assert payload["unmetCriteria"] == missing
    for criterion in missing:  # the message tells people the same, in words
        assert (
            criterion["description"].rstrip(".").lower()
            in payload["userErrors"][0]["message"].lower()
        )


async def test_unmet_criteria_are_null_without_gate_not_met(api, world, records):
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)

    held = await api.data(UNMET, {"input": decide_input(project, "HOLD")}, token=token)
    stale = await api.data(
        UNMET, {"input": {**decide_input(project, "GO"), "expectedVersion": 1}}, token=token
    )

    assert held["decideGate"] == {"unmetCriteria": None, "userErrors": []}
    assert [e["code"] for e in stale["decideGate"]["userErrors"]] == ["CONFLICT"]
    assert stale["decideGate"]["unmetCriteria"] is None


async def test_a_go_returns_the_moved_project_and_its_decision(api, world, engine, records):
    lead = world.lead()
    project = records.ready_for_pilot(world, lead)

    payload = await decide(api, world.token(lead), decide_input(project, "GO"))

    assert payload["userErrors"] == []
    assert payload["project"] == {
        "id": gid(project),
        "stage": "PILOT",
        "status": "ACTIVE",
        "version": 2,
        "revisitOn": None,
    }
    decision = payload["decision"]
    assert {k: decision[k] for k in ("decision", "fromStage", "toStage", "statusAfter")} == {
        "decision": "GO",
        "fromStage": "IDEA",
        "toStage": "PILOT",
        "statusAfter": "ACTIVE",
    }
    assert (decision["override"], decision["unmetCriteria"], decision["lesson"]) == (
        False,
        [],
        None,
    )
    assert decision["decidedBy"]["name"].startswith("Person")


async def test_a_staff_override_is_stored_and_a_leads_is_forbidden(api, world, engine):
    lead = world.lead()
    project = world.project(lead)

    forbidden = await decide(api, world.token(lead), decide_input(project, "GO", override=True))
    overridden = await decide(
        api, world.token(world.staff), decide_input(project, "GO", override=True)
    )

    assert [(e["code"], e["field"]) for e in forbidden["userErrors"]] == [
        ("FORBIDDEN", ["input", "override"])
    ]
    assert overridden["decision"]["override"] is True
    assert overridden["decision"]["unmetCriteria"] == [
        "problem_stated",
        "theory_of_change_stated",
        "outcome_with_baseline",
        "estimated_cost",
    ]


async def test_stop_with_an_inline_lesson_shows_the_lesson_on_the_decision(
    api, world, engine, records
):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    lesson = {
        "kind": "WHAT_DID_NOT_WORK",
        "title": "Families would not use the app",
        "body": "Families had no data allowance; start with a phone call next time.",
        "barriers": ["technology", "Staff_Capacity"],
    }

    payload = await decide(api, world.token(lead), decide_input(project, "STOP", lesson=lesson))

    assert payload["userErrors"] == []
    assert payload["project"]["status"] == "STOPPED"
    assert payload["decision"]["lesson"] == {
        "title": "Families would not use the app",
        "stage": "PILOT",
        "barriers": ["staff capacity", "technology"],
    }


async def test_an_inline_lesson_error_names_its_field_under_lesson(api, world, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    lesson = {"kind": "BARRIER", "title": "Money", "body": " ", "barriers": []}

    payload = await decide(api, world.token(lead), decide_input(project, "STOP", lesson=lesson))

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("REQUIRED", ["input", "lesson", "body"])
    ]


async def test_a_stale_expected_version_is_a_conflict_with_the_current_version(api, world, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    payload = await decide(
        api, world.token(lead), {**decide_input(project, "HOLD"), "expectedVersion": 1}
    )

    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == ("CONFLICT", ["input", "expectedVersion"])
    assert "version 2" in error["message"]


async def test_hold_stores_the_revisit_date_on_project_and_decision(api, world, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    payload = await decide(
        api, world.token(lead), decide_input(project, "HOLD", revisitOn="2099-01-31")
    )

    assert payload["project"]["status"] == "ON_HOLD"
    assert payload["project"]["revisitOn"] == payload["decision"]["revisitOn"] == "2099-01-31"


async def test_decide_gate_replays_with_the_same_idempotency_key(api, world, engine, records):
    lead = world.lead()
    token = world.token(lead)
    project = records.ready_for_pilot(world, lead)
    input = decide_input(project, "GO", idempotencyKey="go-pilot-1")

    first = await decide(api, token, input)
    again = await decide(api, token, input)
    other = await decide(api, token, {**input, "rationale": "Something else."})

    assert again["decision"] == first["decision"]
    assert (again["project"]["stage"], again["project"]["version"]) == ("PILOT", 2)
    assert [e["code"] for e in other["userErrors"]] == ["DUPLICATE"]
    with Session(engine) as session:
        stored = session.scalar(
            sa.select(sa.func.count())
            .select_from(GateDecision)
            .where(GateDecision.decision == GateDecisionKind.GO)
        )
    assert stored == 1


async def test_readiness_shows_what_the_next_gate_still_needs(api, world, engine, records):
    lead = world.lead()
    token = world.token(lead)
    project = world.project(lead, problem="Missing episodes go unexplained.")

    data = await api.data(READINESS, {"id": gid(project)}, token=token)

    readiness = data["node"]["readiness"]
    assert (readiness["toStage"], readiness["ready"]) == ("PILOT", False)
    met = {c["code"]: (c["met"], c["mandatory"]) for c in readiness["criteria"]}
    assert met == {
        "problem_stated": (True, True),
        "theory_of_change_stated": (False, True),
        "outcome_with_baseline": (False, True),
        "estimated_cost": (False, True),
        "theme_set": (False, False),
        "partner_named": (False, False),
    }
    assert all(c["description"] for c in readiness["criteria"])

    records.outcome(lead, project)
    data = await api.data(READINESS, {"id": gid(project)}, token=token)
    now_met = {c["code"]: c["met"] for c in data["node"]["readiness"]["criteria"]}
    assert now_met["outcome_with_baseline"] is True


async def test_readiness_for_a_later_gate_and_at_scale(api, world, records):
    lead = world.lead()
    token = world.token(lead)
    idea = world.project(lead)
    scaled = records.at_scale(world, lead)

    ahead = await api.data(READINESS, {"id": gid(idea), "toStage": "SCALE"}, token=token)
    last = await api.data(READINESS, {"id": gid(scaled)}, token=token)

    assert ahead["node"]["readiness"]["toStage"] == "SCALE"
    assert ahead["node"]["readiness"]["criteria"][0]["code"] == "evidence_level_3"
    assert last["node"]["readiness"] == {"toStage": "SCALE", "ready": False, "criteria": []}


async def test_decisions_are_the_projects_history_oldest_first(api, world, records):
    lead = world.lead()
    token = world.token(lead)
    project = records.at_evaluation(world, lead)

    first_page = await api.data(DECISIONS, {"id": gid(project), "first": 1}, token=token)
    decisions = first_page["node"]["decisions"]
    rest = await api.data(
        DECISIONS,
        {"id": gid(project), "first": 5, "after": decisions["pageInfo"]["endCursor"]},
        token=token,
    )

    assert decisions["totalCount"] == 2
    assert decisions["pageInfo"]["hasNextPage"] is True
    assert [(d["fromStage"], d["toStage"]) for d in decisions["nodes"]] == [("IDEA", "PILOT")]
    later = rest["node"]["decisions"]["nodes"]
    assert [(d["fromStage"], d["toStage"]) for d in later] == [("PILOT", "EVALUATION")]


async def test_a_decision_is_a_node_only_for_those_who_may_read_its_project(api, world, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    [decision] = (await api.data(DECISIONS, {"id": gid(project)}, token=world.token(lead)))["node"][
        "decisions"
    ]["nodes"]

    own = await api.data(NODE, {"id": decision["id"]}, token=world.token(lead))
    outsider = await api.data(NODE, {"id": decision["id"]}, token=world.token(world.lead()))
    anonymous = await api.data(NODE, {"id": decision["id"]})

    assert own["node"]["decision"] == "GO"
    assert outsider["node"] is None
    assert anonymous["node"] is None


async def test_a_public_projects_decisions_are_readable_by_anyone(api, world, records):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=Visibility.PUBLIC)

    data = await api.data(DECISIONS, {"id": gid(project)})

    assert data["node"]["decisions"]["totalCount"] == 1


async def test_readiness_of_a_page_of_projects_costs_the_same_statements_for_2_and_6(
    api, world, engine, records
):
    lead = world.lead()
    token = world.token(lead)
    for _ in range(6):
        records.ready_for_pilot(world, lead)

    async def statements(first: int) -> int:
        seen = statement_counter(engine)
        data = await api.data(PAGE_READINESS, {"first": first}, token=token)
        assert all(n["readiness"]["ready"] for n in data["projects"]["nodes"])
        assert len(data["projects"]["nodes"]) == first
        return len(seen)

    await statements(1)  # the token's first use is written down once; not counted
    two = await statements(2)
    six = await statements(6)

    assert two == six
