from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.errors import UserError
from inset.graphql.relay import Connection, Node, connection
from inset.ids import to_global_id
from inset.pagination import PageRequest
from inset.webhooks import models
from inset.webhooks.loaders import attempt_count_by_endpoint, attempt_pages_by_endpoint

if TYPE_CHECKING:
    from inset.events.types import Event


@strawberry.type(
    description="One request sent to an endpoint (or refused before sending), kept for the "
    "endpoint's history. Seen by whoever may see the endpoint."
)
class WebhookDelivery:
    event_pk: strawberry.Private[int]
    attempt: int = strawberry.field(
        description="1 for the first try of this event at this endpoint, then 2...; a "
        "redelivery starts again at 1."
    )
    attempted_at: datetime = strawberry.field(description="When the request was made (UTC).")
    succeeded: bool = strawberry.field(
        description="A 2xx answer within the timeout (10 seconds unless the service is "
        "configured otherwise); redirects are not followed, so a 3xx is a failure."
    )
    status_code: int | None = strawberry.field(
        description="The HTTP status answered; null when nothing answered (refused before "
        "sending, connection failed, or timed out)."
    )
    duration_ms: int = strawberry.field(
        description="Milliseconds from the start of the attempt to the answer or the "
        "failure, rounded down."
    )
    error: str | None = strawberry.field(
        description="Why it failed, in words, at most 500 characters: e.g. `HTTP 503`, `no "
        "answer within 10 s`, `not sent: ...` when the URL no longer resolves to a public "
        "address. Null on success."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When it will be tried again (UTC, the schedule's wait +-20%); null "
        "after success, or when given up after the last retry (about three days of retries "
        "by default: 5 s, 30 s, 5 min, 30 min, 2 h, 5 h, then every 10 h seven times)."
    )

    @classmethod
    def from_model(cls, row: models.WebhookAttempt) -> WebhookDelivery:
        return cls(
            event_pk=row.event_id,
            attempt=row.attempt,
            attempted_at=row.attempted_at,
            succeeded=row.succeeded,
            status_code=row.status_code,
            duration_ms=row.duration_ms,
            error=row.error,
            next_attempt_at=row.next_attempt_at,
        )

    @strawberry.field(description="The event's global id: the `webhook-id` header sent.")
    def event_id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Event", self.event_pk))

    @strawberry.field(description="The event, when you may read it.")
    async def event(
        self, info: Info
    ) -> Annotated[Event, strawberry.lazy("inset.events.types")] | None:
        from inset.events.loaders import event_by_id
        from inset.events.types import Event

        row = await info.context.loaders.load(event_by_id, self.event_pk)
        return Event.from_model(row) if row is not None else None


@strawberry.type(
    description="Where an organisation receives its events as Standard Webhooks: POSTed "
    "JSON signed with the endpoint's secret (headers webhook-id, webhook-timestamp, "
    "webhook-signature), at least once, in order per project, only events the "
    "organisation may read when sending. Seen only by the organisation's LEADs and by "
    "STAFF; others get null from `node` and an empty Organisation.webhookEndpoints."
)
class WebhookEndpoint(Node):
    pk: strawberry.Private[int]
    url: str = strawberry.field(
        description="The https URL requests go to, at most 2,000 characters; every "
        "address it resolves to is public (checked on save and before each request)."
    )
    event_types: list[str] = strawberry.field(
        description="The event types it receives (as Query.events lists them), sorted; "
        "empty: every type."
    )
    description: str | None = strawberry.field(
        description="A note for people, at most 500 characters; null when none."
    )
    enabled: bool = strawberry.field(
        description="Whether events are being delivered. False after the retries for an "
        "event ran out (see disabledReason) or when turned off; events go on queueing "
        "while disabled and are sent, in order, once it is enabled again."
    )
    disabled_reason: str | None = strawberry.field(
        description="Why delivery stopped, e.g. after three days of failures; null when "
        "enabled or turned off by hand."
    )
    disabled_at: datetime | None = strawberry.field(
        description="When delivery was stopped after failures (UTC); null otherwise."
    )
    created_at: datetime = strawberry.field(
        description="When it was created (UTC); it receives the events committed after."
    )
    updated_at: datetime = strawberry.field(
        description="When it was last changed (UTC), by a person or by being disabled."
    )
    version: int = strawberry.field(
        description="Starts at 1 and goes up by one with each change (an update that "
        "changes something, a secret rotation, being disabled). Pass it as "
        "updateWebhookEndpoint's expectedVersion."
    )

    @classmethod
    def from_model(cls, row: models.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            pk=pk(row),
            url=row.url,
            event_types=list(row.event_types),
            description=row.description,
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
            disabled_at=row.disabled_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
        )

    @strawberry.field(description="Every attempt at this endpoint, newest first.")
    async def deliveries(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[WebhookDelivery]:
        request = PageRequest.from_args(first=first, after=after)
        page = await info.context.loaders.load(attempt_pages_by_endpoint, (self.pk, request))

        async def total() -> int:
            return await info.context.loaders.load(attempt_count_by_endpoint, self.pk)

        return connection(page, WebhookDelivery.from_model, total)


_URL = (
    "An https URL, at most 2,000 characters, without user name, password or #fragment, "
    "whose every address is public (no loopback, private, link-local or metadata "
    "address); otherwise INVALID."
)
_EVENT_TYPES = (
    "The event types to receive, as Query.events lists them; null or empty: every type. "
    "An unknown type is INVALID."
)
_DESCRIPTION = (
    "A note for people, at most 500 characters (TOO_LONG), checked for personal data "
    "(PERSONAL_DATA); blank or null: none."
)


@strawberry.input(description="A new webhook endpoint for your organisation.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description=_URL)
    event_types: list[str] | None = strawberry.field(default=None, description=_EVENT_TYPES)
    description: str | None = strawberry.field(default=None, description=_DESCRIPTION)
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Optional, 1..200 characters (else INVALID). Sent again by the same "
        "credential within 24 hours with the same input, it replays the first answer "
        "(the same endpoint, and its secret); with other input it is DUPLICATE.",
    )


@strawberry.input(
    description="Changes to an endpoint. A field left out is kept; given, it replaces the "
    "value (null clears description and means every type for eventTypes)."
)
class UpdateWebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(
        description="The endpoint's global id; NOT_FOUND when it is unknown, archived or "
        "not one you manage."
    )
    expected_version: int = strawberry.field(
        description="The endpoint's `version` as you last read it; if it has changed "
        "since, nothing is changed and the answer is CONFLICT."
    )
    url: str | None = strawberry.field(default=strawberry.UNSET, description=_URL)
    event_types: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description=_EVENT_TYPES
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description=_DESCRIPTION)
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true resumes a disabled endpoint (clearing disabledReason; queued "
        "events are sent in order); false stops delivery; null or left out: unchanged.",
    )


@strawberry.input(description="Which endpoint gets a new secret.")
class RotateWebhookSecretInput:
    endpoint_id: strawberry.ID = strawberry.field(
        description="The endpoint's global id; NOT_FOUND when it is unknown, archived or "
        "not one you manage."
    )


@strawberry.input(description="Which event to send again, to which endpoint.")
class RedeliverWebhookEventInput:
    endpoint_id: strawberry.ID = strawberry.field(
        description="The endpoint's global id; NOT_FOUND when it is unknown, archived or "
        "not one you manage."
    )
    event_id: strawberry.ID = strawberry.field(
        description="The event's global id (WebhookDelivery.eventId, the webhook-id "
        "header); NOT_FOUND when the endpoint's organisation may not read it now."
    )


@strawberry.type(description="The result of a webhook endpoint mutation.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(
        description="The endpoint as it is now; null when there are userErrors."
    )
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_` and 32 random bytes in base64), only in "
        "the answer of createWebhookEndpoint (and its replay) and rotateWebhookSecret: "
        "store it now, it is never shown again. Null otherwise."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was changed; empty on success."
    )
