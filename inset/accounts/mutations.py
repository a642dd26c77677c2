from __future__ import annotations

import strawberry

from inset.accounts import service
from inset.accounts.types import (
    Account,
    AccountPayload,
    ApiToken,
    CreateAccountInput,
    CreateApiTokenInput,
    CreateApiTokenPayload,
    RevokeApiTokenInput,
    RevokeApiTokenPayload,
)
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Adds an account to an organisation. STAFF only.")
    def create_account(self, info: Info, input: CreateAccountInput) -> AccountPayload:
        result = run_mutation(
            info,
            lambda session: service.create_account(
                session=session,
                actor=info.context.actor,
                email=input.email,
                name=input.name,
                organisation_id=decode_id(input.organisation_id, "Organisation", "organisation_id"),
                role=input.role,
            ),
            name="createAccount",
        )
        if isinstance(result, list):
            return AccountPayload(account=None, user_errors=result)
        return AccountPayload(account=Account.from_model(result), user_errors=[])

    @strawberry.mutation(description="A bearer token for your own account; the secret is shown once.")
    def create_api_token(self, info: Info, input: CreateApiTokenInput) -> CreateApiTokenPayload:
        secrets: list[str] = []

        def work(session):  # type: ignore[no-untyped-def]
            token, secret = service.create_api_token(
                session=session,
                actor=info.context.actor,
                name=input.name,
                scope=input.scope,
                expires_in_days=input.expires_in_days,
            )
            secrets.append(secret)
            return token

        result = run_mutation(info, work, name="createApiToken")
        if isinstance(result, list):
            return CreateApiTokenPayload(token=None, secret=None, user_errors=result)
        return CreateApiTokenPayload(
            token=ApiToken.from_model(result), secret=secrets[0], user_errors=[]
        )

    @strawberry.mutation(description="Revokes one of your tokens (STAFF: anyone's).")
    def revoke_api_token(self, info: Info, input: RevokeApiTokenInput) -> RevokeApiTokenPayload:
        result = run_mutation(
            info,
            lambda session: service.revoke_api_token(
                session=session,
                actor=info.context.actor,
                token_id=decode_id(input.token_id, "ApiToken", "token_id"),
            ),
            name="revokeApiToken",
        )
        if isinstance(result, list):
            return RevokeApiTokenPayload(token=None, user_errors=result)
        return RevokeApiTokenPayload(token=ApiToken.from_model(result), user_errors=[])
