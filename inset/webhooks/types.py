from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Connection, Node, connection
from inset.ids import to_global_id
from inset.pagination import PageRequest
from inset.webhooks import models
from inset.webhooks.loaders import attempt_count_by_endpoint, attempt_pages_by_endpoint

if TYPE_CHECKING:
    from inset.events.types import Event


@strawberry.type(description="One request sent to an endpoint (or refused before sending).")
class WebhookDelivery:
    event_pk: strawberry.Private[int]
    attempt: int = strawberry.field(description="1 for the first try of this event, then 2...")
    attempted_at: datetime
    succeeded: bool = strawberry.field(description="A 2xx answer within 10 seconds.")
    status_code: int | None = strawberry.field(description="Null when nothing answered.")
    duration_ms: int
    error: str | None
    next_attempt_at: datetime | None = strawberry.field(
        description="When it will be tried again; null after success or when given up."
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


@strawberry.type(description="Where an organisation receives its events, signed.")
class WebhookEndpoint(Node):
    pk: strawberry.Private[int]
    url: str
    event_types: list[str] = strawberry.field(description="Empty: every type.")
    description: str | None
    enabled: bool
    disabled_reason: str | None = strawberry.field(
        description="Why delivery stopped, e.g. after three days of failures."
    )
    disabled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

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

    @strawberry.field(description="Every attempt, newest first.")
    async def deliveries(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        request = PageRequest.from_args(first=first, after=after)
        page = await info.context.loaders.load(attempt_pages_by_endpoint, (self.pk, request))

        async def total() -> int:
            return await info.context.loaders.load(attempt_count_by_endpoint, self.pk)

        return connection(page, WebhookDelivery.from_model, total)


@strawberry.input
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description="https, on a public address.")
    event_types: list[str] | None = strawberry.field(default=None, description="None: all.")
    description: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class UpdateWebhookEndpointInput:
    endpoint_id: strawberry.ID
    expected_version: int
    url: str | None = strawberry.UNSET
    event_types: list[str] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true resumes a disabled endpoint."
    )


@strawberry.input
class RotateWebhookSecretInput:
    endpoint_id: strawberry.ID


@strawberry.input
class RedeliverWebhookEventInput:
    endpoint_id: strawberry.ID
    event_id: strawberry.ID


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_...`), in this answer only: store it now."
    )
    user_errors: list[UserError]
