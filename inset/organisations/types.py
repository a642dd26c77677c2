from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Connection, Node
from inset.organisations import models
from inset.organisations.models import OrganisationKind, Sector

if TYPE_CHECKING:
    from inset.projects.types import Project
    from inset.webhooks.types import WebhookEndpoint

strawberry.enum(models.OrganisationKind)  # registered once, here; fields use the model enum
strawberry.enum(models.Sector)  # registered once, here; fields use the model enum


@strawberry.type
class Organisation(Node):
    pk: strawberry.Private[int]
    name: str
    kind: OrganisationKind
    sector: Sector
    region: str | None

    @classmethod
    def from_model(cls, row: models.Organisation) -> Organisation:
        return cls(pk=pk(row), name=row.name, kind=row.kind, sector=row.sector, region=row.region)

    @strawberry.field(description="Projects this organisation leads, as far as you may read.")
    async def projects(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Project, strawberry.lazy("inset.projects.types")]]:
        from inset.projects.queries import projects_of_organisation

        return await projects_of_organisation(info, self.pk, first=first, after=after)

    @strawberry.field(
        description="Where this organisation receives webhooks: for its LEADs and staff only."
    )
    async def webhook_endpoints(
        self, info: Info
    ) -> list[Annotated[WebhookEndpoint, strawberry.lazy("inset.webhooks.types")]]:
        from inset.webhooks.loaders import webhook_endpoints_by_organisation
        from inset.webhooks.types import WebhookEndpoint

        rows = await info.context.loaders.load(webhook_endpoints_by_organisation, self.pk)
        return [WebhookEndpoint.from_model(row) for row in rows]


@strawberry.input
class OrganisationFilter:
    kinds: list[OrganisationKind] | None = None
    sectors: list[Sector] | None = None
    regions: list[str] | None = None
    search: str | None = strawberry.field(default=None, description="Part of the name.")


@strawberry.input
class CreateOrganisationInput:
    name: str
    kind: OrganisationKind
    region: str | None = None


@strawberry.type
class OrganisationPayload:
    organisation: Organisation | None
    user_errors: list[UserError]
