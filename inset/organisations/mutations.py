from __future__ import annotations

import strawberry

from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.transaction import run_mutation
from inset.organisations import service
from inset.organisations.types import (
    CreateOrganisationInput,
    Organisation,
    OrganisationPayload,
)


@strawberry.type
class OrganisationMutation:
    @strawberry.mutation(
        description="Adds a member organisation. STAFF only. User errors: FORBIDDEN, "
        "REQUIRED, TOO_LONG, PERSONAL_DATA (its text is public), DUPLICATE (name taken)."
    )
    def create_organisation(
        self, info: Info, input: Input[CreateOrganisationInput]
    ) -> OrganisationPayload:
        result = run_mutation(
            info,
            lambda session: service.create_organisation(
                session=session,
                actor=info.context.actor,
                name=input.name,
                kind=input.kind,
                region=input.region,
            ),
            name="createOrganisation",
        )
        if isinstance(result, list):
            return OrganisationPayload(organisation=None, user_errors=result)
        return OrganisationPayload(organisation=Organisation.from_model(result), user_errors=[])
