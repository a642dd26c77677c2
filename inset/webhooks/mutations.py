from __future__ import annotations

from typing import Any

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.errors import shown
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.webhooks import models, service
from inset.webhooks.types import (
    CreateWebhookEndpointInput,
    RedeliverWebhookEventInput,
    RotateWebhookSecretInput,
    UpdateWebhookEndpointInput,
    WebhookEndpoint,
    WebhookEndpointPayload,
)


def _payload(result: models.WebhookEndpoint | list[Any], *, secret: bool) -> WebhookEndpointPayload:
    row, errors = shown(result, models.WebhookEndpoint)
    if row is None:
        return WebhookEndpointPayload(endpoint=None, secret=None, user_errors=errors)
    return WebhookEndpointPayload(
        endpoint=WebhookEndpoint.from_model(row),
        secret=row.secret if secret and not errors else None,
        user_errors=errors,
    )


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(
        description="A webhook endpoint for your organisation; the answer carries its secret, "
        "once. Idempotent with idempotencyKey (a replay shows the secret again)."
    )
    def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        def work(session: Session) -> models.WebhookEndpoint:
            return service.create_endpoint(
                session=session,
                actor=info.context.actor,
                url=input.url,
                event_types=input.event_types,
                description=input.description,
            )

        result = run_mutation(
            info, work, name="createWebhookEndpoint", data=input, replay=models.WebhookEndpoint
        )
        return _payload(result, secret=True)

    @strawberry.mutation(description="Changes an endpoint; `enabled: true` resumes delivery.")
    def update_webhook_endpoint(
        self, info: Info, input: UpdateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        def work(session: Session) -> models.WebhookEndpoint:
            changes = {
                name: getattr(input, name)
                for name in ("url", "event_types", "description", "enabled")
                if getattr(input, name) is not strawberry.UNSET
            }
            return service.update_endpoint(
                session=session,
                actor=info.context.actor,
                endpoint_id=decode_id(input.endpoint_id, "WebhookEndpoint", "endpoint_id"),
                expected_version=input.expected_version,
                changes=changes,
            )

        return _payload(run_mutation(info, work, name="updateWebhookEndpoint"), secret=False)

    @strawberry.mutation(
        description="A new secret, shown in this answer only; the old one also signs for 24 "
        "hours, so the receiver can switch without missing a webhook."
    )
    def rotate_webhook_secret(
        self, info: Info, input: RotateWebhookSecretInput
    ) -> WebhookEndpointPayload:
        def work(session: Session) -> models.WebhookEndpoint:
            return service.rotate_secret(
                session=session,
                actor=info.context.actor,
                endpoint_id=decode_id(input.endpoint_id, "WebhookEndpoint", "endpoint_id"),
            )

        return _payload(run_mutation(info, work, name="rotateWebhookSecret"), secret=True)

    @strawberry.mutation(
        description="Sends an event to the endpoint again, now, with the same webhook-id."
    )
    def redeliver_webhook_event(
        self, info: Info, input: RedeliverWebhookEventInput
    ) -> WebhookEndpointPayload:
        def work(session: Session) -> models.WebhookEndpoint:
            endpoint_id = decode_id(input.endpoint_id, "WebhookEndpoint", "endpoint_id")
            service.redeliver(
                session=session,
                actor=info.context.actor,
                endpoint_id=endpoint_id,
                event_id=decode_id(input.event_id, "Event", "event_id"),
            )
            endpoint = session.get(models.WebhookEndpoint, endpoint_id)
            if endpoint is None:  # redeliver found it a moment ago, in this transaction
                raise RuntimeError("the endpoint vanished")
            return endpoint

        return _payload(run_mutation(info, work, name="redeliverWebhookEvent"), secret=False)
