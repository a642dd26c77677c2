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
    "rather than a person. Readable by STAFF and the organisation's own members, and "
    "named on the audit entries a reader may see; its tokens only by the organisation's "
    "LEADs and STAFF."
)
class Integration(Node):
    pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int]
    name: str = strawberry.field(
        description='What it is for, e.g. "Case system sync": 1..200 characters.'
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")

    @classmethod
    def from_model(cls, row: models.Integration) -> Integration:
        return cls(
            pk=pk(row),
            organisation_pk=row.organisation_id,
            name=row.name,
            created_at=row.created_at,
        )

    @strawberry.field(description="The organisation it belongs to and acts for.")
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


@strawberry.input(description="A new integration of an organisation.")
class CreateIntegrationInput:
    organisation_id: strawberry.ID = strawberry.field(
        description="Your organisation (STAFF: any organisation); NOT_FOUND when it does not "
        "exist, FORBIDDEN when it is not yours."
    )
    name: str = strawberry.field(
        description='What it is for, e.g. "Case system sync": trimmed, 1..200 characters '
        "(REQUIRED, TOO_LONG), checked for personal data (PERSONAL_DATA)."
    )


@strawberry.type(description="The result of createIntegration.")
class IntegrationPayload:
    integration: Integration | None = strawberry.field(
        description="The new integration; null when there are userErrors."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was created; empty on success."
    )


@strawberry.input(description="A new token for an integration.")
class CreateIntegrationTokenInput:
    integration_id: strawberry.ID = strawberry.field(
        description="The integration's global id; NOT_FOUND when it is unknown, archived "
        "or of another organisation (to all but STAFF)."
    )
    name: str = strawberry.field(
        description='What the token is for, e.g. "nightly job on server 2": trimmed, '
        "1..200 characters (REQUIRED, TOO_LONG)."
    )
    scope: TokenScope = strawberry.field(
        description="READ, or READ_WRITE to make changes (as a LEAD of the organisation)."
    )
    expires_in_days: int | None = strawberry.field(
        default=None,
        description="Days from now until it stops working, 1..3650 inclusive (else "
        "INVALID); null: never expires (revoke it when done).",
    )


@strawberry.type(description="The result of createIntegrationToken.")
class CreateIntegrationTokenPayload:
    token: ApiToken | None = strawberry.field(
        description="The new token (without its secret); null when there are userErrors."
    )
    secret: str | None = strawberry.field(
        description="Send as `Authorization: Bearer <secret>` (it starts `inset_`). Shown "
        "once, never again: only a hash is kept. Null when there are userErrors."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was created; empty on success."
    )
