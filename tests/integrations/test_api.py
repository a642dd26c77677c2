"""Integrations through the API: an organisation's service account, its tokens, and what
they may do. An integration acts as a LEAD of its organisation, never as STAFF."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from conftest import Api, World
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.accounts.models import ApiToken
from inset.audit.models import AuditEvent
from inset.ids import pk_of, to_global_id
from inset.organisations.models import Organisation
from inset.projects.models import Visibility

CREATE_INTEGRATION = """
mutation Create($input: CreateIntegrationInput!) {
  createIntegration(input: $input) {
    integration { id name organisation { name } }
    userErrors { field code message }
  }
}
"""

CREATE_TOKEN = """
mutation Token($input: CreateIntegrationTokenInput!) {
  createIntegrationToken(input: $input) {
    token { id name scope expiresAt lastUsedAt revoked }
    secret
    userErrors { field code message }
  }
}
"""

REVOKE = """
mutation Revoke($id: ID!) {
  revokeApiToken(input: {tokenId: $id}) { token { revoked } userErrors { code } }
}
"""

INTEGRATIONS = """
query Integrations($id: ID!) {
  node(id: $id) {
    ... on Organisation { integrations { name tokens { name scope lastUsedAt revoked } } }
  }
}
"""

RECORD_COST = """
mutation Cost($input: RecordCostInput!) {
  recordCost(input: $input) { cost { id } userErrors { field code message } }
}
"""

AUDIT = """
{ auditLog(filter: {actions: ["cost.record"]}) {
    nodes { action account { name } integration { name } viaApiToken } } }
"""


def org_id(org: Organisation) -> str:
    return to_global_id("Organisation", org.id or 0)


def cost_input(project_id: int, **overrides: Any) -> dict[str, Any]:
    return {
        "projectId": to_global_id("Project", project_id),
        "category": "TECHNOLOGY",
        "description": "Case system licence",
        "amount": {"amount": "1200.00"},
        "confidence": 2,
        **overrides,
    }


async def an_integration(
    api: Api, world: World, org: Organisation, scope: str = "READ_WRITE"
) -> tuple[str, str]:
    """A new integration of `org`, made by its lead: (integration id, token secret)."""
    lead_token = world.token(world.lead(org))
    made = await api.data(
        CREATE_INTEGRATION,
        {"input": {"organisationId": org_id(org), "name": "Case system sync"}},
        token=lead_token,
    )
    integration_id = made["createIntegration"]["integration"]["id"]
    token = await api.data(
        CREATE_TOKEN,
        {"input": {"integrationId": integration_id, "name": "nightly", "scope": scope}},
        token=lead_token,
    )
    return integration_id, token["createIntegrationToken"]["secret"]


async def test_a_lead_creates_an_integration_whose_token_writes_for_the_organisation(
    api: Api, world: World, engine: Engine
) -> None:
    org = world.org("Northmoor Borough Council")
    project = world.project(world.lead(org))
    _, secret = await an_integration(api, world, org)

    made = await api.data(RECORD_COST, {"input": cost_input(project.id or 0)}, token=secret)

    assert made["recordCost"]["userErrors"] == []
    log = await api.data(AUDIT, token=world.token(world.lead(org)))
    assert log["auditLog"]["nodes"] == [
        {
            "action": "cost.record",
            "account": None,
            "integration": {"name": "Case system sync"},
            "viaApiToken": True,
        }
    ]
    with Session(engine) as session:
        event = session.scalars(
            sa.select(AuditEvent).where(col(AuditEvent.action) == "cost.record")
        ).one()
        assert event.account_id is None
        assert event.integration_id is not None


async def test_an_integration_of_one_organisation_cannot_write_anothers_project(
    api: Api, world: World
) -> None:
    mine, theirs = world.org(), world.org()
    their_project = world.project(world.lead(theirs), visibility=Visibility.MEMBERS)
    _, secret = await an_integration(api, world, mine)

    refused = await api.data(
        RECORD_COST, {"input": cost_input(their_project.id or 0)}, token=secret
    )

    [error] = refused["recordCost"]["userErrors"]
    assert error["code"] == "FORBIDDEN"


async def test_a_revoked_integration_token_is_refused_at_once(api: Api, world: World) -> None:
    org = world.org()
    project = world.project(world.lead(org))
    _, secret = await an_integration(api, world, org)
    lead_token = world.token(world.lead(org))
    listed = await api.data(INTEGRATIONS, {"id": org_id(org)}, token=lead_token)
    assert listed["node"]["integrations"][0]["tokens"][0]["revoked"] is False
    token_id = await token_id_of(api, lead_token, org)

    revoked = await api.data(REVOKE, {"id": token_id}, token=lead_token)
    assert revoked["revokeApiToken"] == {"token": {"revoked": True}, "userErrors": []}

    response = await api.post(RECORD_COST, {"input": cost_input(project.id or 0)}, token=secret)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def token_id_of(api: Api, lead_token: str, org: Organisation) -> str:
    query = """
    query($id: ID!) { node(id: $id) { ... on Organisation {
      integrations { tokens { id } } } } }
    """
    data = await api.data(query, {"id": org_id(org)}, token=lead_token)
    return str(data["node"]["integrations"][0]["tokens"][0]["id"])


async def test_the_organisations_leads_see_each_token_with_when_it_was_last_used(
    api: Api, world: World
) -> None:
    org = world.org()
    _, secret = await an_integration(api, world, org, scope="READ")
    await api.data("{ projects { totalCount } }", token=secret)
    await api.data("{ projects { totalCount } }", token=secret)

    listed = await api.data(INTEGRATIONS, {"id": org_id(org)}, token=world.token(world.lead(org)))

    [integration] = listed["node"]["integrations"]
    [token] = integration["tokens"]
    assert (token["name"], token["scope"], token["revoked"]) == ("nightly", "READ", False)
    assert token["lastUsedAt"] is not None


@pytest.mark.parametrize("who", ["member", "other lead", "anonymous"])
async def test_only_the_organisations_leads_and_staff_list_its_integrations(
    api: Api, world: World, who: str
) -> None:
    org = world.org()
    await an_integration(api, world, org)
    token = {
        "member": lambda: world.token(world.member(org)),
        "other lead": lambda: world.token(world.lead()),
        "anonymous": lambda: None,
    }[who]()

    listed = await api.data(INTEGRATIONS, {"id": org_id(org)}, token=token)

    assert listed["node"]["integrations"] is None


@pytest.mark.parametrize("who", ["member", "other lead"])
async def test_only_the_organisations_leads_and_staff_create_its_integrations(
    api: Api, world: World, who: str, engine: Engine
) -> None:
    org = world.org()
    actor = world.member(org) if who == "member" else world.lead()

    made = await api.data(
        CREATE_INTEGRATION,
        {"input": {"organisationId": org_id(org), "name": "Sync"}},
        token=world.token(actor),
    )

    [error] = made["createIntegration"]["userErrors"]
    assert error["code"] == "FORBIDDEN"


async def test_an_integration_cannot_mint_tokens_or_integrations(api: Api, world: World) -> None:
    org = world.org()
    integration_id, secret = await an_integration(api, world, org)

    minted = await api.data(
        CREATE_TOKEN,
        {"input": {"integrationId": integration_id, "name": "more", "scope": "READ_WRITE"}},
        token=secret,
    )
    made = await api.data(
        CREATE_INTEGRATION,
        {"input": {"organisationId": org_id(org), "name": "Another"}},
        token=secret,
    )

    assert minted["createIntegrationToken"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert made["createIntegration"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_staff_create_an_integration_that_still_acts_only_as_a_lead(
    api: Api, world: World, engine: Engine
) -> None:
    org, other = world.org(), world.org()
    other_project = world.project(world.lead(other))
    staff_token = world.token(world.staff)
    made = await api.data(
        CREATE_INTEGRATION,
        {"input": {"organisationId": org_id(org), "name": "Set up by staff"}},
        token=staff_token,
    )
    integration_id = made["createIntegration"]["integration"]["id"]
    token = await api.data(
        CREATE_TOKEN,
        {"input": {"integrationId": integration_id, "name": "t", "scope": "READ_WRITE"}},
        token=staff_token,
    )
    secret = token["createIntegrationToken"]["secret"]

    refused = await api.data(
        RECORD_COST, {"input": cost_input(other_project.id or 0)}, token=secret
    )

    assert refused["recordCost"]["userErrors"][0]["code"] == "NOT_FOUND"  # PRIVATE, not theirs
    with Session(engine) as session:
        stored = session.scalars(
            sa.select(ApiToken).where(col(ApiToken.integration_id).is_not(None))
        ).one()
        assert stored.secret_hash != secret  # kept as a hash only
        assert len(stored.secret_hash) == 64
        assert stored.account_id is None
    assert pk_of(integration_id, "Integration") == stored.integration_id


NODE = "query($id: ID!) { node(id: $id) { ... on Integration { name organisation { name } } } }"


@pytest.mark.parametrize("who", ["anonymous", "other organisation's lead", "other member"])
async def test_an_integration_cannot_be_found_by_its_id_outside_its_organisation(
    api: Api, world: World, who: str
) -> None:
    org = world.org("Northmoor Borough Council")
    integration_id, _ = await an_integration(api, world, org)
    token = {
        "anonymous": lambda: None,
        "other organisation's lead": lambda: world.token(world.lead()),
        "other member": lambda: world.token(world.member()),
    }[who]()

    found = await api.data(NODE, {"id": integration_id}, token=token)
    listed = await api.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [integration_id]}, token=token
    )

    assert found == {"node": None}
    assert listed == {"nodes": [None]}


@pytest.mark.parametrize("who", ["member", "staff"])
async def test_an_integration_is_found_by_its_own_organisation_and_staff(
    api: Api, world: World, who: str
) -> None:
    org = world.org("Northmoor Borough Council")
    integration_id, _ = await an_integration(api, world, org)
    token = world.token(world.member(org) if who == "member" else world.staff)

    found = await api.data(NODE, {"id": integration_id}, token=token)

    assert found == {
        "node": {"name": "Case system sync", "organisation": {"name": "Northmoor Borough Council"}}
    }


async def test_a_token_name_holding_personal_data_is_refused(api: Api, world: World) -> None:
    org = world.org()
    lead_token = world.token(world.lead(org))
    made = await api.data(
        CREATE_INTEGRATION,
        {"input": {"organisationId": org_id(org), "name": "Case system sync"}},
        token=lead_token,
    )
    integration_id = made["createIntegration"]["integration"]["id"]

    refused = await api.data(
        CREATE_TOKEN,
        {"input": {"integrationId": integration_id, "name": "NHS 943 476 5919", "scope": "READ"}},
        token=lead_token,
    )

    result = refused["createIntegrationToken"]
    assert (result["token"], result["secret"]) == (None, None)
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        (["input", "name"], "PERSONAL_DATA")
    ]
