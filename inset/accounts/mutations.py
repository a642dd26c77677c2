from __future__ import annotations

import strawberry

from inset.accounts import service, sessions
from inset.accounts.types import (
    Account,
    AccountPayload,
    ApiToken,
    CreateAccountInput,
    CreateApiTokenInput,
    CreateApiTokenPayload,
    RevokeApiTokenInput,
    RevokeApiTokenPayload,
    SignInInput,
    SignInPayload,
    SignOutPayload,
)
from inset.errors import ErrorCode
from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import user_error
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.operations.metrics import sign_in_failed


@strawberry.type
class AccountMutation:
    @strawberry.mutation(
        description="Adds an account to an organisation. STAFF only. User errors: FORBIDDEN, "
        "INVALID (email), REQUIRED, TOO_LONG, PERSONAL_DATA, NOT_FOUND (organisationId), "
        "DUPLICATE (email taken)."
    )
    def create_account(self, info: Info, input: Input[CreateAccountInput]) -> AccountPayload:
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

    @strawberry.mutation(
        description="A bearer token for your own account; the secret is shown once. Any "
        "signed-in account may create one (an integration's tokens come from "
        "createIntegrationToken). User errors: FORBIDDEN (anonymous; a READ token asking for "
        "READ_WRITE), NOT_FOUND (no account behind the caller), REQUIRED, TOO_LONG, "
        "PERSONAL_DATA, INVALID (expiresInDays)."
    )
    def create_api_token(
        self, info: Info, input: Input[CreateApiTokenInput]
    ) -> CreateApiTokenPayload:
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

    @strawberry.mutation(
        description="Revokes a token at once: its next request is refused. Your own tokens; "
        "STAFF: anyone's; an integration's: its organisation's LEADs, STAFF, or the token "
        "itself. Revoking twice is harmless. User errors: NOT_FOUND (not a token you may "
        "see), FORBIDDEN (anonymous, or a READ token)."
    )
    def revoke_api_token(
        self, info: Info, input: Input[RevokeApiTokenInput]
    ) -> RevokeApiTokenPayload:
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

    @strawberry.mutation(
        description="Signs in to the web client: sets an HttpOnly session cookie. A wrong "
        "email or password gets the same error; from the 5th failure in 15 minutes an email "
        "waits before its next try, 1 second doubling each failure, up to 15 minutes. The "
        "session lasts 12 hours. User "
        "errors: INVALID (wrong email or password, or too many attempts: the wait in "
        "seconds is in the message)."
    )
    def sign_in(self, info: Info, input: Input[SignInInput]) -> SignInPayload:
        context = info.context
        signed = run_mutation(
            info,
            lambda session: sessions.sign_in(
                session=session,
                email=input.email,
                password=input.password,
                secret_key=context.settings.secret_key,
            ),
            name="signIn",
        )
        if isinstance(signed, list):
            sign_in_failed("refused")
            return SignInPayload(account=None, user_errors=signed)
        if signed is None:  # wrong email or password: the failure was kept, for throttling
            sign_in_failed("wrong")
            wrong = user_error(ErrorCode.INVALID, sessions.WRONG, None)
            return SignInPayload(account=None, user_errors=[wrong])
        context.response_cookies.append(
            {
                "key": sessions.COOKIE,
                "value": signed.cookie,
                "max_age": int(sessions.LIFETIME.total_seconds()),
                "httponly": True,
                "samesite": "lax",
                # Behind a TLS proxy the cookie must never travel over plain HTTP.
                "secure": context.settings.cookie_secure or context.https,
                "path": "/",
            }
        )
        return SignInPayload(account=Account.from_model(signed.account), user_errors=[])

    @strawberry.mutation(
        description="Ends this browser's session and clears its cookie; without a session, "
        "changes nothing. User errors: none."
    )
    def sign_out(self, info: Info) -> SignOutPayload:
        context = info.context
        result = run_mutation(
            info,
            lambda session: sessions.sign_out(
                session=session,
                cookie=context.session_cookie,
                secret_key=context.settings.secret_key,
            ),
            name="signOut",
        )
        context.response_cookies.append(
            {
                "key": sessions.COOKIE,
                "value": "",
                "max_age": 0,
                "httponly": True,
                "samesite": "lax",
                "secure": context.settings.cookie_secure or context.https,
                "path": "/",
            }
        )
        return SignOutPayload(signed_out=not isinstance(result, list), user_errors=result or [])
