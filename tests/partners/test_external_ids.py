"""Partners' own keys: creating with a key already used is DUPLICATE naming the holder,
keys are found again by the organisation that owns them, and two concurrent creates with
one key end with one record and one DUPLICATE, never an internal error."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from conftest import Api, World, is_postgres
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset import records
from inset.app import create_app
from inset.config import Settings
from inset.economics.models import Cost
from inset.ids import to_global_id
from inset.projects.models import Project, Visibility

RECORD_COST = """
mutation($input: RecordCostInput!) {
  recordCost(input: $input) {
    cost { id externalId } userErrors { field code message existingId }
  }
}
"""

CREATE_PROJECT = """
mutation($input: CreateProjectInput!) {
  createProject(input: $input) {
    project { id externalId } userErrors { field code existingId }
  }
}
"""

BY_KEY = """
query($kind: RecordKind!, $key: String!) {
  recordByExternalId(kind: $kind, externalId: $key) {
    id ... on Cost { externalId description }
  }
}
"""

PROJECTS_BY_KEY = """
query($keys: [String!]) { projects(filter: {externalIds: $keys}) { nodes { title externalId } } }
"""


def cost_input(project: Project, key: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "projectId": to_global_id("Project", project.id or 0),
        "category": "STAFF",
        "description": "Support workers",
        "amount": {"amount": "100.00"},
        "confidence": 2,
        "externalId": key,
        **extra,
    }


async def test_a_key_used_again_is_duplicate_with_the_holders_id(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    first = await api.data(RECORD_COST, {"input": cost_input(project, "FIN-1")}, token=token)

    again = await api.data(
        RECORD_COST, {"input": cost_input(project, "FIN-1", description="Other")}, token=token
    )

    holder = first["recordCost"]["cost"]
    assert holder["externalId"] == "FIN-1"
    [error] = again["recordCost"]["userErrors"]
    assert error["code"] == "DUPLICATE"
    assert error["field"] == ["input", "externalId"]
    assert error["existingId"] == holder["id"]
    assert again["recordCost"]["cost"] is None


async def test_a_record_is_found_again_by_its_key_only_by_its_organisation(
    api: Api, world: World
) -> None:
    org = world.org()
    lead = world.lead(org)
    project = world.project(lead, visibility=Visibility.MEMBERS)
    made = await api.data(
        RECORD_COST, {"input": cost_input(project, "FIN-9")}, token=world.token(lead)
    )

    mine = await api.data(
        BY_KEY, {"kind": "COST", "key": "FIN-9"}, token=world.token(world.member(org))
    )
    other = await api.data(
        BY_KEY, {"kind": "COST", "key": "FIN-9"}, token=world.token(world.lead())
    )
    anonymous = await api.data(BY_KEY, {"kind": "COST", "key": "FIN-9"})
    wrong_kind = await api.data(
        BY_KEY, {"kind": "BENEFIT", "key": "FIN-9"}, token=world.token(lead)
    )

    assert mine["recordByExternalId"] == {
        "id": made["recordCost"]["cost"]["id"],
        "externalId": "FIN-9",
        "description": "Support workers",
    }
    assert other["recordByExternalId"] is None  # the key is not theirs
    assert anonymous["recordByExternalId"] is None
    assert wrong_kind["recordByExternalId"] is None


async def test_projects_are_filtered_by_the_viewers_organisations_keys(
    api: Api, world: World
) -> None:
    org = world.org()
    lead = world.lead(org)
    token = world.token(lead)
    for key, title in (("P-1", "Family time"), ("P-2", "Kinship care")):
        await api.data(
            CREATE_PROJECT,
            {
                "input": {
                    "title": title,
                    "summary": "A pilot.",
                    "innovationType": "PRACTICE",
                    "leadOrganisationId": to_global_id("Organisation", org.id or 0),
                    "visibility": "PUBLIC",
                    "externalId": key,
                }
            },
            token=token,
        )
    world.project(lead, title="No key")

    found = await api.data(PROJECTS_BY_KEY, {"keys": ["P-2", "P-404"]}, token=token)
    outsider = await api.data(PROJECTS_BY_KEY, {"keys": ["P-2"]}, token=world.token(world.lead()))

    assert found["projects"]["nodes"] == [{"title": "Kinship care", "externalId": "P-2"}]
    assert outsider["projects"]["nodes"] == []  # a public project, but not their key


async def test_a_project_key_used_again_by_its_lead_organisation_is_duplicate(
    api: Api, world: World
) -> None:
    org = world.org()
    token = world.token(world.lead(org))
    sent = {
        "input": {
            "title": "Family time",
            "summary": "A pilot.",
            "innovationType": "PRACTICE",
            "leadOrganisationId": to_global_id("Organisation", org.id or 0),
            "externalId": "P-1",
        }
    }
    first = await api.data(CREATE_PROJECT, sent, token=token)

    again = await api.data(CREATE_PROJECT, sent, token=token)

    [error] = again["createProject"]["userErrors"]
    assert (error["code"], error["existingId"]) == (
        "DUPLICATE",
        first["createProject"]["project"]["id"],
    )


async def test_two_concurrent_creates_with_one_key_make_one_record(
    engine: Engine, db_url: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two projects of one organisation: a change locks its project's row, so two creates
    # on one project queue anyway; on two projects only the key can collide.
    lead = world.lead()
    token, projects = world.token(lead), [world.project(lead), world.project(lead)]
    if is_postgres():
        # Hold both requests after their check for the key until both have checked, so
        # that both insert and the unique index must decide. (On SQLite a writing
        # transaction waits for the other to commit before it starts, so the second
        # request's check already sees the first's record.)
        both_checked = threading.Barrier(2)
        claim = records.claim
        waited: set[int] = set()

        def claim_then_wait(*args: Any, **kwargs: Any) -> None:
            claim(*args, **kwargs)
            if threading.get_ident() not in waited:
                waited.add(threading.get_ident())
                both_checked.wait()

        monkeypatch.setattr(records, "claim", claim_then_wait)

    def send(project: Project) -> dict[str, Any]:
        async def post() -> dict[str, Any]:
            app = create_app(Settings(database_url=db_url, secret_key="k"), engine)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                response = await client.post(
                    "/graphql",
                    json={"query": RECORD_COST, "variables": {"input": cost_input(project, "K")}},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.status_code == 200
                body: dict[str, Any] = response.json()
                return body

        return asyncio.run(post())

    answers: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=lambda p=p: answers.append(send(p)))  # type: ignore[misc]
        for p in projects
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all("errors" not in a for a in answers), answers
    payloads = sorted((a["data"]["recordCost"] for a in answers), key=lambda p: p["cost"] is None)
    created, refused = payloads
    assert created["userErrors"] == []
    assert refused["userErrors"][0]["code"] == "DUPLICATE"
    assert refused["userErrors"][0]["existingId"] == created["cost"]["id"]
    with Session(engine) as session:
        count = session.scalar(
            sa.select(sa.func.count()).select_from(Cost).where(col(Cost.external_id) == "K")
        )
    assert count == 1
