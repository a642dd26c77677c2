"""Managing webhook endpoints through the API: who may, which URLs, the secret shown once."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World

from inset.ids import to_global_id
from inset.projects.models import Visibility

CREATE = """
mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url eventTypes enabled version }
    secret
    userErrors { field code message }
  }
}
"""
UPDATE = """
mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    endpoint { url enabled version } secret userErrors { field code message }
  }
}
"""
ROTATE = """
mutation ($input: RotateWebhookSecretInput!) {
  rotateWebhookSecret(input: $input) { endpoint { version } secret userErrors { code } }
}
"""
REDELIVER = """
mutation ($input: RedeliverWebhookEventInput!) {
  redeliverWebhookEvent(input: $input) { endpoint { id } userErrors { field code } }
}
"""
ARCHIVE = """
mutation ($input: ArchiveRecordInput!) { archiveRecord(input: $input) { userErrors { code } } }
"""
MINE = "{ viewer { organisation { webhookEndpoints { id url description } } } }"
PUBLIC_URL = "https://93.184.216.34/hooks/inset"  # a literal public address: no DNS needed


async def create(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    data = await api.data(CREATE, {"input": {"url": PUBLIC_URL, **fields}}, token=token)
    result: dict[str, Any] = data["createWebhookEndpoint"]
    return result


async def test_a_lead_creates_an_endpoint_and_sees_its_secret_once(api: Api, world: World) -> None:
    token = world.token(world.lead())

    made = await create(api, token, eventTypes=["project.stage_changed"], description="CRM")
    listed = await api.data(MINE, token=token)

    assert made["userErrors"] == []
    assert made["secret"].startswith("whsec_")
    assert made["endpoint"]["enabled"] is True
    assert made["endpoint"]["eventTypes"] == ["project.stage_changed"]
    (endpoint,) = listed["viewer"]["organisation"]["webhookEndpoints"]
    assert endpoint == {"id": made["endpoint"]["id"], "url": PUBLIC_URL, "description": "CRM"}
    assert "secret" not in str(listed)


async def test_a_member_may_not_create_or_see_endpoints(api: Api, world: World) -> None:
    org = world.org()
    lead_token, member_token = world.token(world.lead(org)), world.token(world.member(org))
    await create(api, lead_token)

    refused = await create(api, member_token)
    listed = await api.data(MINE, token=member_token)

    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    assert listed["viewer"]["organisation"]["webhookEndpoints"] == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.216.34/hook", "https"),
        ("https://10.1.2.3/hook", "not a public address"),
        ("https://192.168.0.10/hook", "not a public address"),
        ("https://169.254.169.254/latest/meta-data", "not a public address"),
        ("https://[fd00:ec2::254]/hook", "not a public address"),
        ("https://127.0.0.1/hook", "not a public address"),
        ("https://[::1]/hook", "not a public address"),
        ("https://user:pw@93.184.216.34/hook", "user name or password"),
        ("ftp://93.184.216.34/hook", "https"),
        ("https://no-such-host.invalid/hook", "does not resolve"),
    ],
)
async def test_a_url_that_is_not_public_https_is_refused(
    api: Api, world: World, url: str, why: str
) -> None:
    token = world.token(world.lead())

    refused = await create(api, token, url=url)
    listed = await api.data(MINE, token=token)

    assert refused["endpoint"] is None
    (error,) = refused["userErrors"]
    assert (error["field"], error["code"]) == (["input", "url"], "INVALID")
    assert why in error["message"]
    assert listed["viewer"]["organisation"]["webhookEndpoints"] == []


async def test_loopback_over_http_is_allowed_only_with_the_development_flag(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = world.token(world.lead())
    monkeypatch.setenv("INSET_WEBHOOK_ALLOW_LOOPBACK", "1")

    made = await create(api, token, url="http://127.0.0.1:9/hook")
    still_private = await create(api, token, url="http://10.1.2.3/hook")

    assert made["userErrors"] == []
    assert still_private["userErrors"][0]["code"] == "INVALID"


async def test_an_unknown_event_type_is_refused_by_name(api: Api, world: World) -> None:
    refused = await create(api, world.token(world.lead()), eventTypes=["project.moved"])

    assert refused["userErrors"][0]["field"] == ["input", "eventTypes"]
    assert "project.moved" in refused["userErrors"][0]["message"]


async def test_updates_need_the_current_version_and_rotation_shows_a_new_secret(
    api: Api, world: World
) -> None:
    token = world.token(world.lead())
    made = await create(api, token)
    endpoint_id = made["endpoint"]["id"]

    stale = await api.data(
        UPDATE,
        {"input": {"endpointId": endpoint_id, "expectedVersion": 9, "enabled": False}},
        token=token,
    )
    paused = await api.data(
        UPDATE,
        {"input": {"endpointId": endpoint_id, "expectedVersion": 1, "enabled": False}},
        token=token,
    )
    rotated = await api.data(ROTATE, {"input": {"endpointId": endpoint_id}}, token=token)

    assert stale["updateWebhookEndpoint"]["userErrors"][0]["code"] == "CONFLICT"
    assert paused["updateWebhookEndpoint"]["endpoint"] == {
        "url": PUBLIC_URL,
        "enabled": False,
        "version": 2,
    }
    assert paused["updateWebhookEndpoint"]["secret"] is None
    assert rotated["rotateWebhookSecret"]["secret"].startswith("whsec_")
    assert rotated["rotateWebhookSecret"]["secret"] != made["secret"]


async def test_another_organisation_cannot_touch_an_endpoint(api: Api, world: World) -> None:
    made = await create(api, world.token(world.lead()))
    stranger = world.token(world.lead())

    answer = await api.data(
        UPDATE,
        {"input": {"endpointId": made["endpoint"]["id"], "expectedVersion": 1, "enabled": False}},
        token=stranger,
    )
    node = await api.data(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": made["endpoint"]["id"]},
        token=stranger,
    )

    assert answer["updateWebhookEndpoint"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert node["node"] is None


async def test_archiving_an_endpoint_hides_it(api: Api, world: World) -> None:
    token = world.token(world.lead())
    made = await create(api, token)

    answer = await api.data(
        ARCHIVE,
        {"input": {"id": made["endpoint"]["id"], "reason": "Replaced by a new CRM"}},
        token=token,
    )
    listed = await api.data(MINE, token=token)

    assert answer["archiveRecord"]["userErrors"] == []
    assert listed["viewer"]["organisation"]["webhookEndpoints"] == []


async def test_an_event_the_organisation_may_not_read_cannot_be_redelivered(
    api: Api, world: World
) -> None:
    token = world.token(world.lead())
    made = await create(api, token)
    secret_project = world.project(world.lead(), visibility=Visibility.PRIVATE)
    from sqlmodel import Session, select

    from inset.events.models import Event

    with Session(world.engine) as session:
        event_id = session.exec(select(Event.id).where(Event.subject_id == secret_project.id)).one()

    answer = await api.data(
        REDELIVER,
        {
            "input": {
                "endpointId": made["endpoint"]["id"],
                "eventId": to_global_id("Event", event_id or 0),
            }
        },
        token=token,
    )

    assert answer["redeliverWebhookEvent"]["userErrors"] == [
        {"field": ["input", "eventId"], "code": "NOT_FOUND"}
    ]
