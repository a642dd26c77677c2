"""Outcomes through the GraphQL API: aggregate figures, their trend, access and batching."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.accounts.models import TokenScope
from inset.audit.models import AuditEvent
from inset.db import pk, transaction, utcnow
from inset.ids import to_global_id
from inset.outcomes import service
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, Visibility

OUTCOME_FIELDS = """
  id name unit higherIsBetter baseline baselineOn target latest change improved
  observations { value observedOn note }
"""

DEFINE_OUTCOME = f"""
mutation Define($input: DefineOutcomeInput!) {{
  defineOutcome(input: $input) {{
    outcome {{ {OUTCOME_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""

OBSERVE_OUTCOME = f"""
mutation Observe($input: ObserveOutcomeInput!) {{
  observeOutcome(input: $input) {{
    outcome {{ {OUTCOME_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}
"""

PROJECT_OUTCOMES = """
query ProjectOutcomes($id: ID!) {
  node(id: $id) { ... on Project { outcomes { name latest } } }
}
"""

NODE_OUTCOME = """
query Node($id: ID!) { node(id: $id) { id ... on Outcome { name latest } } }
"""


def missing_children(project: Project, **values: Any) -> dict[str, Any]:
    return {
        "projectId": to_global_id("Project", project.id or 0),
        "name": "Children missing from care",
        "unit": "children a month",
        "higherIsBetter": False,
        "baseline": "45",
        "baselineOn": "2021-07-31",
        "target": "20",
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


async def define(api: Any, token: str, input: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(DEFINE_OUTCOME, {"input": input}, token=token)
    payload: dict[str, Any] = data["defineOutcome"]
    return payload


async def observe(
    api: Any, token: str, outcome_id: str, value: str, on: str, **extra: Any
) -> dict[str, Any]:
    input = {"outcomeId": outcome_id, "value": value, "observedOn": on, **extra}
    data = await api.data(OBSERVE_OUTCOME, {"input": input}, token=token)
    payload: dict[str, Any] = data["observeOutcome"]
    return payload


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


async def test_children_missing_45_in_july_2021_and_24_in_january_2022_is_an_improvement(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    defined = await define(api, token, missing_children(project))
    outcome_id = defined["outcome"]["id"]

    payload = await observe(
        api, token, outcome_id, "24", "2022-01-31", note="Six months after the chats began"
    )

    assert defined["userErrors"] == []
    assert defined["outcome"]["latest"] is None
    assert defined["outcome"]["change"] is None
    assert payload["userErrors"] == []
    assert payload["outcome"] == {
        "id": outcome_id,
        "name": "Children missing from care",
        "unit": "children a month",
        "higherIsBetter": False,
        "baseline": "45",
        "baselineOn": "2021-07-31",
        "target": "20",
        "latest": "24",
        "change": "-21",
        "improved": True,
        "observations": [
            {"value": "24", "observedOn": "2022-01-31", "note": "Six months after the chats began"}
        ],
    }


async def test_78_percent_engaging_keeps_its_decimals_and_reads_back_without_trailing_zeros(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    defined = await define(
        api,
        token,
        {
            "projectId": to_global_id("Project", project.id or 0),
            "name": "Young people engaging with the return-home chat tool",
            "unit": "%",
            "higherIsBetter": True,
            "baseline": "60.25",
            "target": "75.0",
        },
    )
    outcome_id = defined["outcome"]["id"]

    await observe(api, token, outcome_id, "70", "2021-10-01")
    payload = await observe(api, token, outcome_id, "78.50", "2022-01-01")

    outcome = payload["outcome"]
    assert (outcome["baseline"], outcome["target"], outcome["baselineOn"]) == (
        "60.25",
        "75",
        None,
    )
    assert [o["value"] for o in outcome["observations"]] == ["70", "78.5"]
    assert (outcome["latest"], outcome["change"], outcome["improved"]) == ("78.5", "18.25", True)


async def test_a_figure_with_more_than_4_decimal_places_is_invalid(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)

    payload = await define(api, token, missing_children(project, baseline="45.12345"))

    assert payload["outcome"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "baseline"], "INVALID")
    assert count(engine, Outcome) == 0


async def test_a_figure_that_is_not_a_number_is_a_graphql_error(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead)

    body = await api.gql(
        DEFINE_OUTCOME, {"input": missing_children(project, baseline="about 45")}, token=token
    )

    assert "data" not in body
    assert "not a decimal number" in body["errors"][0]["message"]


async def test_future_dates_and_readings_before_the_baseline_are_refused(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    tomorrow = (utcnow().date() + timedelta(days=1)).isoformat()
    future_baseline = await define(api, token, missing_children(project, baselineOn=tomorrow))
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]

    future = await observe(api, token, outcome_id, "30", tomorrow)
    early = await observe(api, token, outcome_id, "50", "2021-06-30")

    assert [(e["field"], e["code"]) for e in future_baseline["userErrors"]] == [
        (["input", "baselineOn"], "INVALID")
    ]
    assert [(e["field"], e["code"]) for e in future["userErrors"]] == [
        (["input", "observedOn"], "INVALID")
    ]
    assert [(e["field"], e["code"]) for e in early["userErrors"]] == [
        (["input", "observedOn"], "INVALID")
    ]
    assert "2021-07-31" in early["userErrors"][0]["message"]
    assert count(engine, Observation) == 0


async def test_defining_an_outcome_twice_with_one_key_replays_and_other_input_is_a_duplicate(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    first = await define(api, token, missing_children(project, idempotencyKey="outcome-1"))

    again = await define(api, token, missing_children(project, idempotencyKey="outcome-1"))
    other = await define(
        api, token, missing_children(project, target="10", idempotencyKey="outcome-1")
    )

    assert again["outcome"]["id"] == first["outcome"]["id"]
    assert again["userErrors"] == []
    assert [(e["field"], e["code"]) for e in other["userErrors"]] == [
        (["input", "idempotencyKey"], "DUPLICATE")
    ]
    assert count(engine, Outcome) == 1


async def test_an_observation_sent_twice_with_one_key_is_stored_once(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]

    await observe(api, token, outcome_id, "24", "2022-01-31", idempotencyKey="obs-1")
    replayed = await observe(api, token, outcome_id, "24", "2022-01-31", idempotencyKey="obs-1")

    assert replayed["outcome"]["id"] == outcome_id
    assert [o["value"] for o in replayed["outcome"]["observations"]] == ["24"]
    assert count(engine, Observation) == 1


async def test_outsiders_and_read_only_tokens_cannot_define_or_observe(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    private = world.project(lead, visibility=Visibility.PRIVATE)
    members = world.project(lead, visibility=Visibility.MEMBERS)
    hidden_id = (await define(api, token, missing_children(private)))["outcome"]["id"]
    outsider = world.token(world.lead())
    read_only = world.token(lead, TokenScope.READ)

    hidden = await define(api, outsider, missing_children(private))
    shown = await define(api, outsider, missing_children(members))
    unseen = await observe(api, outsider, hidden_id, "24", "2022-01-31")
    reading = await observe(api, read_only, hidden_id, "24", "2022-01-31")

    assert [e["code"] for e in hidden["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in shown["userErrors"]] == ["FORBIDDEN"]
    assert [(e["field"], e["code"]) for e in unseen["userErrors"]] == [
        (["input", "outcomeId"], "NOT_FOUND")
    ]
    assert [e["code"] for e in reading["userErrors"]] == ["FORBIDDEN"]
    assert count(engine, Outcome) == 1
    assert count(engine, Observation) == 0


async def test_personal_data_in_a_note_is_refused(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]

    payload = await observe(
        api, token, outcome_id, "24", "2022-01-31", note="Includes 943 476 5919"
    )

    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "note"], "PERSONAL_DATA")
    assert count(engine, Observation) == 0


async def test_outcomes_are_listed_in_the_order_defined_without_archived_ones(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    ids = [
        (await define(api, token, missing_children(project, name=name)))["outcome"]["id"]
        for name in ("Missing episodes", "Placement moves", "School days missed")
    ]
    with transaction(engine) as session:
        archived = session.scalars(sa.select(Outcome).where(col(Outcome.name) == "Placement moves"))
        service.archive_outcome(
            session=session, actor=lead, outcome_id=pk(archived.one()), reason="Not measured"
        )

    data = await api.data(
        PROJECT_OUTCOMES, {"id": to_global_id("Project", project.id or 0)}, token=token
    )

    assert len(ids) == 3
    assert [o["name"] for o in data["node"]["outcomes"]] == [
        "Missing episodes",
        "School days missed",
    ]


async def test_node_finds_an_outcome_only_for_readers_of_its_project(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead, visibility=Visibility.PRIVATE)
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]
    outsider = world.token(world.lead())

    mine = await api.data(NODE_OUTCOME, {"id": outcome_id}, token=token)
    theirs = await api.data(NODE_OUTCOME, {"id": outcome_id}, token=outsider)
    anonymous = await api.data(NODE_OUTCOME, {"id": outcome_id})

    assert mine["node"] == {"id": outcome_id, "name": "Children missing from care", "latest": None}
    assert theirs["node"] is None
    assert anonymous["node"] is None


async def test_defining_and_observing_through_the_api_are_audited(
    api: Any, world: Any, engine: Engine, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]

    await observe(api, token, outcome_id, "24", "2022-01-31")

    with Session(engine) as session:
        events = list(
            session.scalars(
                sa.select(AuditEvent)
                .where(col(AuditEvent.action).startswith("outcome."))
                .order_by(col(AuditEvent.id))
            )
        )
    assert [e.action for e in events] == ["outcome.define", "outcome.observe"]
    assert all(e.account_id == lead.account_id for e in events)
    assert all(e.token_id is not None for e in events)  # who, and through which token
    assert all(e.request_id for e in events)


async def test_dates_before_1990_are_refused_naming_the_field(
    api: Any, world: Any, lead: Actor, token: str
) -> None:
    project = world.project(lead)
    early_baseline = await define(api, token, missing_children(project, baselineOn="1989-12-31"))
    outcome_id = (await define(api, token, missing_children(project)))["outcome"]["id"]

    early_reading = await observe(api, token, outcome_id, "30", "0001-01-01")

    assert early_baseline["userErrors"] == [
        {
            "field": ["input", "baselineOn"],
            "code": "INVALID",
            "message": "baselineOn must be from 1 January 1990 to 31 December 2100, not 1989-12-31",
        }
    ]
    assert early_reading["userErrors"] == [
        {
            "field": ["input", "observedOn"],
            "code": "INVALID",
            "message": "observedOn must be from 1 January 1990 to 31 December 2100, not 0001-01-01",
        }
    ]
