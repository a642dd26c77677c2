from __future__ import annotations

from typing import Annotated, Any

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
        description="A webhook endpoint for your organisation, enabled, receiving the events "
        "committed from now on; the answer carries its secret, once. For LEADs (of their "
        "own organisation) and STAFF (of theirs), with a read_write credential. Idempotent "
        "with idempotencyKey (a replay shows the secret again). User errors: FORBIDDEN "
        "(anonymous, read-only token, MEMBER, or no organisation), INVALID (url, eventTypes, "
        "idempotencyKey), TOO_LONG (description), PERSONAL_DATA (description), DUPLICATE "
        "(idempotencyKey used with other input)."
    )
    def create_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            CreateWebhookEndpointInput, strawberry.argument(description="The endpoint to create.")
        ],
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

    @strawberry.mutation(
        description="Changes an endpoint; `enabled: true` resumes delivery. For the LEADs "
        "of its organisation and STAFF, with a read_write credential. The version goes up "
        "only when something changed. User errors: FORBIDDEN (anonymous, read-only token, "
        "MEMBER), NOT_FOUND (endpointId), CONFLICT (expectedVersion), INVALID (url, "
        "eventTypes), TOO_LONG (description), PERSONAL_DATA (description)."
    )
    def update_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            UpdateWebhookEndpointInput,
            strawberry.argument(
                description="The endpoint, the version you read and what to change."
            ),
        ],
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
        "hours (each request carries both signatures, space separated), so the receiver "
        "can switch without missing a webhook. Raises the version. For the LEADs of its "
        "organisation and STAFF, with a read_write credential. User errors: FORBIDDEN "
        "(anonymous, read-only token, MEMBER), NOT_FOUND (endpointId)."
    )
    def rotate_webhook_secret(
        self,
        info: Info,
        input: Annotated[
            RotateWebhookSecretInput,
            strawberry.argument(description="The endpoint whose secret to replace."),
        ],
    ) -> WebhookEndpointPayload:
        def work(session: Session) -> models.WebhookEndpoint:
            return service.rotate_secret(
                session=session,
                actor=info.context.actor,
                endpoint_id=decode_id(input.endpoint_id, "WebhookEndpoint", "endpoint_id"),
            )

        return _payload(run_mutation(info, work, name="rotateWebhookSecret"), secret=True)

    @strawberry.mutation(
        description="Sends an event to the endpoint again, now, with the same webhook-id and "
        "a fresh retry schedule, whether or not the endpoint wants its type. For the LEADs "
        "of its organisation and STAFF, with a read_write credential. User errors: "
        "FORBIDDEN (anonymous, read-only token, MEMBER), NOT_FOUND (endpointId, or eventId "
        "when the organisation may not read the event)."
    )
    def redeliver_webhook_event(
        self,
        info: Info,
        input: Annotated[
            RedeliverWebhookEventInput,
            strawberry.argument(description="The endpoint and the event to send again."),
        ],
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
