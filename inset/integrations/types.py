from __future__ import annotations

from datetime import datetime

import strawberry

from inset.accounts import models
from inset.accounts.models import TokenScope
from inset.accounts.types import ApiToken
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.integrations.loaders import tokens_by_integration
from inset.integrations.service import may_manage
from inset.organisations.loaders import referenced_organisation
from inset.organisations.types import Organisation


@strawberry.type(
    description="A service account of an organisation, for a sync job: its tokens act with "
    "LEAD rights on the organisation's projects (never STAFF), and the audit log names it "
    "rather than a person."
)
class Integration(Node):
    pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int]
    name: str
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Integration) -> Integration:
        return cls(
            pk=pk(row),
            organisation_pk=row.organisation_id,
            name=row.name,
            created_at=row.created_at,
        )

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation:
        row = await referenced_organisation(info.context, self.organisation_pk)
        return Organisation.from_model(row)

    @strawberry.field(
        description="Its tokens, revoked and expired ones included, oldest first, each with "
        "lastUsedAt (updated at most once a minute). Shown to the organisation's leads and "
        "incubator staff; null to everyone else."
    )
    async def tokens(self, info: Info) -> list[ApiToken] | None:
        if not may_manage(info.context.actor, self.organisation_pk):
            return None
        rows = await info.context.loaders.load(tokens_by_integration, self.pk)
        return [ApiToken.from_model(r) for r in rows]


@strawberry.input
class CreateIntegrationInput:
    organisation_id: strawberry.ID = strawberry.field(
        description="Your organisation (STAFF: any organisation)."
    )
    name: str = strawberry.field(description='What it is for, e.g. "Case system sync".')


@strawberry.type
class IntegrationPayload:
    integration: Integration | None
    user_errors: list[UserError]


@strawberry.input
class CreateIntegrationTokenInput:
    integration_id: strawberry.ID
    name: str
    scope: TokenScope = strawberry.field(description="READ, or READ_WRITE to make changes.")
    expires_in_days: int | None = strawberry.field(
        default=None, description="1..3650; null: never expires (revoke it when done)."
    )


@strawberry.type
class CreateIntegrationTokenPayload:
    token: ApiToken | None
    secret: str | None = strawberry.field(
        description="Send as `Authorization: Bearer <secret>`. Shown once, never again."
    )
    user_errors: list[UserError]
