from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import Session

from inset.accounts import models
from inset.accounts.types import ApiToken
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.integrations import service
from inset.integrations.types import (
    CreateIntegrationInput,
    CreateIntegrationTokenInput,
    CreateIntegrationTokenPayload,
    Integration,
    IntegrationPayload,
)


@strawberry.type
class IntegrationMutation:
    @strawberry.mutation(
        description="A service account of an organisation, for a sync job. By the "
        "organisation's LEADs or incubator STAFF, signed in as a person with a read_write "
        "credential (an integration's own token cannot create integrations). User errors: "
        "FORBIDDEN (anonymous, read-only token, MEMBER, an integration, or another "
        "organisation), NOT_FOUND (organisationId), REQUIRED (name), TOO_LONG (name), "
        "PERSONAL_DATA (name)."
    )
    def create_integration(
        self,
        info: Info,
        input: Annotated[
            CreateIntegrationInput,
            strawberry.argument(description="The organisation and the integration's name."),
        ],
    ) -> IntegrationPayload:
        def work(session: Session) -> models.Integration:
            return service.create_integration(
                session=session,
                actor=info.context.actor,
                organisation_id=decode_id(input.organisation_id, "Organisation", "organisation_id"),
                name=input.name,
            )

        result = run_mutation(info, work, name="createIntegration")
        if isinstance(result, list):
            return IntegrationPayload(integration=None, user_errors=result)
        return IntegrationPayload(integration=Integration.from_model(result), user_errors=[])

    @strawberry.mutation(
        description="A token for an integration; the secret is shown once. It acts as a "
        "LEAD of the integration's organisation, never STAFF. Revoke it with "
        "revokeApiToken. By the organisation's LEADs or STAFF, signed in as a person with "
        "a read_write credential. User errors: FORBIDDEN (anonymous, read-only token, "
        "MEMBER, an integration), NOT_FOUND (integrationId), REQUIRED (name), TOO_LONG (name), "
        "INVALID (expiresInDays)."
    )
    def create_integration_token(
        self,
        info: Info,
        input: Annotated[
            CreateIntegrationTokenInput,
            strawberry.argument(
                description="The integration, and the token's name, scope and lifetime."
            ),
        ],
    ) -> CreateIntegrationTokenPayload:
        secrets: list[str] = []

        def work(session: Session) -> models.ApiToken:
            token, secret = service.create_integration_token(
                session=session,
                actor=info.context.actor,
                integration_id=decode_id(input.integration_id, "Integration", "integration_id"),
                name=input.name,
                scope=input.scope,
                expires_in_days=input.expires_in_days,
            )
            secrets.append(secret)
            return token

        result = run_mutation(info, work, name="createIntegrationToken")
        if isinstance(result, list):
            return CreateIntegrationTokenPayload(token=None, secret=None, user_errors=result)
        return CreateIntegrationTokenPayload(
            token=ApiToken.from_model(result), secret=secrets[0], user_errors=[]
        )
