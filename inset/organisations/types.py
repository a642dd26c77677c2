from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, After, First, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Connection, Node
from inset.organisations import models
from inset.organisations.models import OrganisationKind, Sector

if TYPE_CHECKING:
    from inset.integrations.types import Integration
    from inset.projects.types import Project
    from inset.webhooks.types import WebhookEndpoint

_KIND = models.OrganisationKind
described_enum(
    models.OrganisationKind,
    "What sort of body an organisation is; its Sector follows from it.",
    {
        _KIND.LOCAL_AUTHORITY: "A council with children's services (sector PUBLIC).",
        _KIND.REGIONAL_ADOPTION_AGENCY: "An adoption agency run by councils together "
        "(sector PUBLIC).",
        _KIND.VOLUNTARY_ADOPTION_AGENCY: "A voluntary-sector adoption agency (sector VOLUNTARY).",
        _KIND.INDEPENDENT_FOSTERING_AGENCY: "An independent fostering provider (sector "
        "PRIVATE; voluntary ones register as CHARITY).",
        _KIND.CHARITY: "A charity (sector VOLUNTARY).",
        _KIND.PRIVATE_PARTNER: "A company working with members (sector PRIVATE).",
        _KIND.HEALTH: "An NHS or other health body (sector PUBLIC).",
        _KIND.POLICE: "A police force (sector PUBLIC).",
        _KIND.EDUCATION: "A school, college or university (sector PUBLIC).",
        _KIND.OTHER: "None of the above (sector VOLUNTARY).",
    },
)
described_enum(
    models.Sector,
    "Public, voluntary or private: derived from the organisation's kind, never set.",
    {
        models.Sector.PUBLIC: "Local authorities, regional adoption agencies, health, "
        "police and education.",
        models.Sector.VOLUNTARY: "Voluntary adoption agencies, charities and OTHER.",
        models.Sector.PRIVATE: "Independent fostering agencies and private partners.",
    },
)


@strawberry.type(
    description="A member organisation (or a partner named on projects). Organisations, "
    "their names, kinds and regions are readable by anyone, signed in or not; what they "
    "lead is shown only as far as the reader may read it."
)
class Organisation(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(
        description="The organisation's name: unique (ignoring case), up to 200 characters."
    )
    kind: OrganisationKind = strawberry.field(description="What sort of body it is.")
    sector: Sector = strawberry.field(description="Follows from `kind` (see OrganisationKind).")
    region: str | None = strawberry.field(
        description='Where it works, as free text ("North West"); null when not given.'
    )

    @classmethod
    def from_model(cls, row: models.Organisation) -> Organisation:
        return cls(pk=pk(row), name=row.name, kind=row.kind, sector=row.sector, region=row.region)

    @strawberry.field(description="Projects this organisation leads, as far as you may read.")
    async def projects(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Project, strawberry.lazy("inset.projects.types")]]:
        from inset.projects.queries import projects_of_organisation

        return await projects_of_organisation(info, self.pk, first=first, after=after)

    @strawberry.field(
        description="The organisation's integrations (service accounts), oldest first. For "
        "its leads and incubator staff; null for everyone else."
    )
    async def integrations(
        self, info: Info
    ) -> list[Annotated[Integration, strawberry.lazy("inset.integrations.types")]] | None:
        from inset.integrations.loaders import integrations_by_organisation
        from inset.integrations.service import may_manage
        from inset.integrations.types import Integration

        if not may_manage(info.context.actor, self.pk):
            return None
        rows = await info.context.loaders.load(integrations_by_organisation, self.pk)
        return [Integration.from_model(r) for r in rows]

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


@strawberry.input(
    description="Narrows `organisations`: every condition given must hold; a list matches "
    "any of its values; null or left out means any."
)
class OrganisationFilter:
    kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Organisations of any of these kinds."
    )
    sectors: list[Sector] | None = strawberry.field(
        default=None,
        description="Organisations whose kind is in any of these sectors. With `kinds`, an "
        "organisation matching either is included.",
    )
    regions: list[str] | None = strawberry.field(
        default=None, description="Organisations whose region is exactly one of these."
    )
    search: str | None = strawberry.field(default=None, description="Part of the name.")


@strawberry.input(description="A new member organisation; its text is public.")
class CreateOrganisationInput:
    name: str = strawberry.field(
        description="1 to 200 characters after trimming; unique, ignoring case (DUPLICATE)."
    )
    kind: OrganisationKind = strawberry.field(description="What sort of body; sets its sector.")
    region: str | None = strawberry.field(
        default=None, description="Up to 200 characters; blank or null for none."
    )


@strawberry.type(description="The result of createOrganisation.")
class OrganisationPayload:
    organisation: Organisation | None = strawberry.field(
        description="The organisation created; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
