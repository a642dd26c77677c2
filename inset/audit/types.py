from __future__ import annotations

import json
from datetime import datetime

import strawberry

from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.audit import models
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.relay import Node
from inset.ids import to_global_id


@strawberry.type
class AuditChange:
    field: str
    before: str | None = strawberry.field(description="The old value as JSON; null when new.")
    after: str | None = strawberry.field(description="The new value as JSON.")


@strawberry.type(description="One change, as written when it happened. Never edited.")
class AuditEvent(Node):
    pk: strawberry.Private[int]
    account_pk: strawberry.Private[int | None]
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

    @strawberry.field(description="Who made the change; null for the system.")
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
