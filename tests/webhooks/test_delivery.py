"""Delivery to a real receiver on 127.0.0.1 that verifies every signature."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World
from sqlmodel import Session, col, select

from inset.audit.models import AuditEvent
from inset.db import transaction
from inset.events.models import Event
from inset.ids import to_global_id
from inset.projects import service as projects
from inset.projects.models import Visibility
from inset.webhooks import queue
from inset.webhooks.models import WebhookEndpoint
from inset.webhooks.worker import Worker
from tests.webhooks.helpers import cost, drain, endpoint, event_ids, eventually, running
from tests.webhooks.receiver import in_feed_order, receiving

DELIVERIES = """
query ($id: ID!) {
  node(id: $id) {
    ... on WebhookEndpoint {
      enabled disabledReason
      deliveries(first: 10) {
        totalCount
        nodes { attempt eventId succeeded statusCode durationMs error nextAttemptAt }
      }
    }
  }
}
"""
REDELIVER = """
mutation ($input: RedeliverWebhookEventInput!) {
  redeliverWebhookEvent(input: $input) { userErrors { code } }
}
"""


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSET_WEBHOOK_ALLOW_LOOPBACK", "1")
    monkeypatch.setenv("INSET_WEBHOOK_RETRY_SCHEDULE", "0,0,0")


async def deliveries(api: Api, token: str, endpoint_id: int) -> dict[str, Any]:
    data = await api.data(
        DELIVERIES, {"id": to_global_id("WebhookEndpoint", endpoint_id)}, token=token
    )
    node: dict[str, Any] = data["node"]
    return node


def test_every_event_arrives_signed_and_in_order_per_project(world: World) -> None:
    lead = world.lead()
    with receiving() as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        made = [world.project(lead) for _ in range(3)]
        for n in range(30):
            cost(world, lead, made[n % 3].id or 0, n + 1)

        drain(Worker(world.engine))

        assert receiver.bad_signatures == []
        assert sorted(receiver.ids()) == sorted(event_ids(world.engine))
        for project in made:
            project_gid = to_global_id("Project", project.id or 0)
            assert receiver.by_project()[project_gid] == event_ids(world.engine, project.id)
            assert len(receiver.by_project()[project_gid]) == 11
        first = receiver.received[0]
        assert first.type == "project.created"
        assert first.data["leadOrganisation"] == to_global_id(
            "Organisation", lead.organisation_id or 0
        )


async def test_a_500_is_retried_until_the_receiver_takes_it(api: Api, world: World) -> None:
    lead = world.lead()
    with receiving(answer=lambda n: 500 if n <= 2 else 204) as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        world.project(lead)

        drain(Worker(world.engine))

        assert len(receiver.received) == 1
    shown = await deliveries(api, world.token(lead), hook.id or 0)
    attempts = shown["deliveries"]["nodes"]
    assert [(a["attempt"], a["statusCode"], a["succeeded"]) for a in attempts] == [
        (3, 204, True),
        (2, 500, False),
        (1, 500, False),
    ]
    assert attempts[2]["error"] == "HTTP 500"
    assert attempts[2]["nextAttemptAt"] is not None
    assert attempts[0]["nextAttemptAt"] is None
    assert {a["eventId"] for a in attempts} == set(event_ids(world.engine))


async def test_a_receiver_that_answers_too_late_is_tried_again(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSET_WEBHOOK_TIMEOUT_SECONDS", "0.5")
    lead = world.lead()
    with receiving(answer=lambda n: (204, 3.0) if n == 1 else 204) as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        world.project(lead)

        drain(Worker(world.engine))

    attempts = (await deliveries(api, world.token(lead), hook.id or 0))["deliveries"]["nodes"]
    assert [a["succeeded"] for a in attempts] == [True, False]
    assert attempts[1]["statusCode"] is None
    assert attempts[1]["error"] == "no answer within 0.5 s"


async def test_an_endpoint_is_disabled_with_its_reason_when_the_retries_run_out(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token = world.token(lead)
    with receiving(answer=lambda _n: 503) as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        project = world.project(lead)

        drain(Worker(world.engine))
        cost(world, lead, project.id or 0)
        drain(Worker(world.engine))

        assert receiver.requests == 4  # the first try and three retries; nothing after
    shown = await deliveries(api, token, hook.id or 0)
    assert shown["enabled"] is False
    assert "gave up on event" in shown["disabledReason"]
    assert "HTTP 503" in shown["disabledReason"]
    with Session(world.engine) as session:
        disabled = session.exec(
            select(Event).where(Event.type == "webhook_endpoint.disabled")
        ).one()
        audited = session.exec(
            select(AuditEvent).where(AuditEvent.action == "webhook_endpoint.disable")
        ).one()
    assert disabled.data["id"] == to_global_id("WebhookEndpoint", hook.id or 0)
    assert disabled.data["enabled"] is False
    assert audited.organisation_id == lead.organisation_id
    feed = await api.data(
        '{ events(types: ["webhook_endpoint.disabled"]) { nodes { data } } }', token=token
    )
    assert feed["events"]["nodes"][0]["data"]["disabledReason"] == shown["disabledReason"]


def test_a_receiver_down_for_a_while_gets_everything_in_order_once_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSET_WEBHOOK_RETRY_SCHEDULE", ",".join(["0.2"] * 50))
    lead = world.lead()
    with receiving() as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        receiver.stop()  # down: connections are refused
        made = [world.project(lead) for _ in range(2)]
        with running(Worker(world.engine)):
            for n in range(10):
                cost(world, lead, made[n % 2].id or 0, n + 1)
            eventually(lambda: _failed_attempts(world) >= 3)
            receiver.start()  # back, on the same port
            eventually(lambda: len(set(receiver.ids())) == len(event_ids(world.engine)))

        assert receiver.bad_signatures == []
        for project in made:
            arrived = receiver.by_project()[to_global_id("Project", project.id or 0)]
            assert arrived == event_ids(world.engine, project.id)


def _failed_attempts(world: World) -> int:
    from inset.webhooks.models import WebhookAttempt

    with Session(world.engine) as session:
        failed = select(WebhookAttempt).where(col(WebhookAttempt.succeeded).is_(False))
        return len(session.exec(failed).all())


def test_a_private_project_s_events_never_reach_another_organisation(world: World) -> None:
    owner, partner_lead = world.lead(), world.lead()
    with receiving() as receiver:
        hook = endpoint(world, partner_lead, receiver.url)
        receiver.secret = hook.secret
        private = world.project(owner, visibility=Visibility.PRIVATE)
        public = world.project(owner, visibility=Visibility.PUBLIC)
        cost(world, owner, private.id or 0)
        cost(world, owner, public.id or 0)

        drain(Worker(world.engine))

        assert set(receiver.by_project()) == {to_global_id("Project", public.id or 0)}
        assert receiver.ids() == event_ids(world.engine, public.id)


def test_no_event_is_sent_once_its_project_is_no_longer_readable(world: World) -> None:
    owner, outsider = world.lead(), world.lead()
    with receiving() as receiver:
        hook = endpoint(world, outsider, receiver.url)
        receiver.secret = hook.secret
        project = world.project(owner, visibility=Visibility.MEMBERS)
        cost(world, owner, project.id or 0)
        with transaction(world.engine) as session:
            assert queue.offer_events(session) == 2  # queued while the project was readable
        with transaction(world.engine) as session:
            projects.set_visibility(
                session=session,
                actor=owner,
                project_id=project.id or 0,
                visibility=Visibility.PRIVATE,
                expected_version=1,
            )
        cost(world, owner, project.id or 0, 2)

        drain(Worker(world.engine))

        assert receiver.requests == 0


async def test_a_redelivered_event_arrives_again_with_the_same_webhook_id(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token = world.token(lead)
    with receiving() as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        world.project(lead)
        drain(Worker(world.engine))
        (event_id,) = event_ids(world.engine)

        answer = await api.data(
            REDELIVER,
            {
                "input": {
                    "endpointId": to_global_id("WebhookEndpoint", hook.id or 0),
                    "eventId": event_id,
                }
            },
            token=token,
        )
        drain(Worker(world.engine))

        assert answer["redeliverWebhookEvent"]["userErrors"] == []
        assert receiver.ids() == [event_id, event_id]


def test_two_workers_deliver_every_event_once_in_order_per_project(world: World) -> None:
    lead = world.lead()
    with receiving() as receiver:
        hook = endpoint(world, lead, receiver.url)
        receiver.secret = hook.secret
        made = [world.project(lead) for _ in range(8)]
        for n in range(80):
            cost(world, lead, made[n % 8].id or 0, n + 1)

        with running(Worker(world.engine)), running(Worker(world.engine)):
            eventually(lambda: len(receiver.ids()) >= len(event_ids(world.engine)))

        ids = receiver.ids()
        assert len(ids) == len(set(ids)) == len(event_ids(world.engine))
        for project in made:
            arrived = receiver.by_project()[to_global_id("Project", project.id or 0)]
            assert arrived == event_ids(world.engine, project.id)
            assert in_feed_order(arrived)
    with Session(world.engine) as session:
        assert session.get(WebhookEndpoint, hook.id).enabled  # type: ignore[union-attr]
