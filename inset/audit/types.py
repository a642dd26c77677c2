from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.audit import models
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.relay import Node
from inset.ids import to_global_id

if TYPE_CHECKING:
    from inset.integrations.types import Integration


@strawberry.type
class AuditChange:
    field: str
    before: str | None = strawberry.field(description="The old value as JSON; null when new.")
    after: str | None = strawberry.field(description="The new value as JSON.")


@strawberry.type(description="One change, as written when it happened. Never edited.")
class AuditEvent(Node):
    pk: strawberry.Private[int]
    account_pk: strawberry.Private[int | None]
    integration_pk: strawberry.Private[int | None]
    occurred_at: datetime
    action: str = strawberry.field(description='What was done, e.g. "project.update".')
    entity_type: str
    entity_id: strawberry.ID = strawberry.field(description="The global id of the record.")
    changes: list[AuditChange]
    via_api_token: bool = strawberry.field(description="Made with an API token, not the web.")
    request_id: str | None

    @classmethod
    def from_model(cls, row: models.AuditEvent) -> AuditEvent:
        return cls(
            pk=pk(row),
            account_pk=row.account_id,
            integration_pk=row.integration_id,
            occurred_at=row.occurred_at,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=strawberry.ID(to_global_id(row.entity_type, row.entity_id)),
            changes=[
                AuditChange(
                    field=name,
                    before=None if before is None else json.dumps(before),
                    after=None if after is None else json.dumps(after),
                )
                for name, (before, after) in row.changes.items()
            ],
            via_api_token=row.token_id is not None,
            request_id=row.request_id,
        )

    @strawberry.field(
        description="The integration (an organisation's service account) whose token made "
        "the change; null when a person or the system made it."
    )
    async def integration(
        self, info: Info
    ) -> Annotated[Integration, strawberry.lazy("inset.integrations.types")] | None:
        from inset.integrations.loaders import integration_by_id
        from inset.integrations.types import Integration

        if self.integration_pk is None:
            return None
        row = await info.context.loaders.load(integration_by_id, self.integration_pk)
        return Integration.from_model(row) if row else None

    @strawberry.field(
        description="Who made the change; null for the system or an integration (see integration)."
    )
    async def account(self, info: Info) -> Account | None:
        if self.account_pk is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.account_pk)
        return Account.from_model(row) if row else None


@strawberry.input
class AuditFilter:
    entity_types: list[str] | None = None
    actions: list[str] | None = None
    since: datetime | None = None
    account_id: strawberry.ID | None = None


@strawberry.type(
    description="One thing that happened to a project or a record under it, in words. "
    "Readable by whoever may read the project; the audit log itself (auditLog) stays for "
    "staff and leads."
)
class ActivityEntry:
    account_pk: strawberry.Private[int | None]
    occurred_at: datetime
    summary: str = strawberry.field(
        description='What happened, e.g. "Moved the project on from idea to pilot".'
    )

    @strawberry.field(
        description="The name of the person who did it; null for the system, and for "
        "readers who are not signed in."
    )
    async def by(self, info: Info) -> str | None:
        if self.account_pk is None or info.context.actor.is_anonymous:
            return None
        row = await info.context.loaders.load(account_by_reference, self.account_pk)
        return row.name if row else None
