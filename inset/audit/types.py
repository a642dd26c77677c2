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


@strawberry.type(description="One field of a change, with its value before and after.")
class AuditChange:
    field: str = strawberry.field(
        description='The changed field\'s name as stored, in snake_case (e.g. "theory_of_change", '
        '"version", "archived").'
    )
    before: str | None = strawberry.field(description="The old value as JSON; null when new.")
    after: str | None = strawberry.field(description="The new value as JSON.")


@strawberry.type(description="One change, as written when it happened. Never edited.")
class AuditEvent(Node):
    pk: strawberry.Private[int]
    account_pk: strawberry.Private[int | None]
    integration_pk: strawberry.Private[int | None]
    occurred_at: datetime = strawberry.field(description="When the change was made (UTC).")
    action: str = strawberry.field(description='What was done, e.g. "project.update".')
    entity_type: str = strawberry.field(
        description='The type name of the record changed, as in global ids (e.g. "Project", '
        '"Cost"); filter on it with AuditFilter.entityTypes.'
    )
    entity_id: strawberry.ID = strawberry.field(description="The global id of the record.")
    changes: list[AuditChange] = strawberry.field(
        description="Each field that changed; empty for an action with no field (a sign-in)."
    )
    via_api_token: bool = strawberry.field(description="Made with an API token, not the web.")
    request_id: str | None = strawberry.field(
        description="The id of the HTTP request that made it (the response carried it too); "
        "null for the command line and seeds."
    )

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
        from inset.integrations.loaders import integration_by_reference
        from inset.integrations.types import Integration

        if self.integration_pk is None:
            return None
        row = await info.context.loaders.load(integration_by_reference, self.integration_pk)
        return Integration.from_model(row) if row else None

    @strawberry.field(
        description="Who made the change; null for the system or an integration (see integration)."
    )
    async def account(self, info: Info) -> Account | None:
        if self.account_pk is None:
            return None
        row = await info.context.loaders.load(account_by_reference, self.account_pk)
        return Account.from_model(row) if row else None


@strawberry.input(
    description="Narrows auditLog: every condition given must hold; a list matches any of "
    "its values; null or left out means any."
)
class AuditFilter:
    entity_types: list[str] | None = strawberry.field(
        default=None, description='Type names, exactly as in entityType ("Project", "Lesson").'
    )
    actions: list[str] | None = strawberry.field(
        default=None, description='Actions, exactly as in action ("project.update").'
    )
    since: datetime | None = strawberry.field(
        default=None,
        description="Events at or after this instant (inclusive); needs a UTC offset.",
    )
    account_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Events made by this account (a global id); an id that is not an "
        "account's matches nothing.",
    )


@strawberry.type(
    description="One thing that happened to a project or a record under it, in words. "
    "Readable by whoever may read the project; the audit log itself (auditLog) stays for "
    "staff and leads."
)
class ActivityEntry:
    account_pk: strawberry.Private[int | None]
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
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
