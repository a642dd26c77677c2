from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.accounts import models
from inset.accounts.models import Role, TokenScope
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, After, First, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Connection, Node
from inset.organisations.loaders import referenced_organisation
from inset.organisations.types import Organisation

if TYPE_CHECKING:
    from inset.notifications.models import DigestFrequency
    from inset.notifications.types import Follow, Notification
    from inset.reviews.types import GateReview

LazyFollow = Annotated["Follow", strawberry.lazy("inset.notifications.types")]
LazyNotification = Annotated["Notification", strawberry.lazy("inset.notifications.types")]
LazyDigestFrequency = Annotated["DigestFrequency", strawberry.lazy("inset.notifications.types")]

described_enum(
    models.Role,
    "What an account may do. Reading also depends on each project's Visibility.",
    {
        models.Role.STAFF: "Incubator staff: read everything, change everything, override "
        "gates, create organisations and accounts.",
        models.Role.LEAD: "A lead at a member organisation: reads as MEMBER, and changes "
        "projects its organisation leads or partners (everything but gate overrides).",
        models.Role.MEMBER: "Reads what is PUBLIC, every MEMBERS project, and PRIVATE ones "
        "of its own organisation or where it is a partner; changes no project or record "
        "(it may still mark lessons useful and manage its own tokens).",
    },
)
described_enum(
    models.TokenScope,
    "What an API token may do, within its account's role.",
    {
        models.TokenScope.READ: "Queries only: changes are FORBIDDEN (revoking a token "
        "included), and it may create only READ tokens.",
        models.TokenScope.READ_WRITE: "Everything the account's role allows.",
    },
)


@strawberry.type(
    description="A person who signs in. Names are shown to anyone who may read what the "
    "account leads or recorded; `email` and the fields about your own activity are for "
    "the account itself (and, for email, STAFF)."
)
class Account(Node):
    pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int]
    private_email: strawberry.Private[str]
    name: str = strawberry.field(description="The person's name, up to 200 characters.")
    role: Role = strawberry.field(description="What the account may do.")

    @classmethod
    def from_model(cls, row: models.Account) -> Account:
        return cls(
            pk=pk(row),
            organisation_pk=row.organisation_id,
            private_email=row.email,
            name=row.name,
            role=row.role,
        )

    @strawberry.field(description="Shown to the account itself and to staff; null to others.")
    def email(self, info: Info) -> str | None:
        actor = info.context.actor
        return self.private_email if actor.is_staff or actor.account_id == self.pk else None

    @strawberry.field(
        description="Your places on review panels that you may still submit or correct, "
        "oldest appointment first; empty on any account but your own."
    )
    def reviews_to_do(
        self, info: Info
    ) -> list[Annotated[GateReview, strawberry.lazy("inset.reviews.types")]]:
        from inset.reviews.resolvers import reviews_to_do_of

        return reviews_to_do_of(info, self.pk)

    @strawberry.field(description="The organisation the account belongs to.")
    async def organisation(self, info: Info) -> Organisation:
        row = await referenced_organisation(info.context, self.organisation_pk)
        return Organisation.from_model(row)

    def _own(self, info: Info) -> bool:
        return info.context.actor.account_id == self.pk

    @strawberry.field(description="What you follow; null on anyone else's account.")
    def follows(self, info: Info) -> list[LazyFollow] | None:
        from inset.notifications.resolvers import follows_of

        return follows_of(info) if self._own(info) else None

    @strawberry.field(
        description="What you are told, newest first; only about what you may read now. "
        "Null on anyone else's account."
    )
    def notifications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        unread_only: Annotated[
            bool,
            strawberry.argument(description="Only those not yet marked read; default false."),
        ] = False,
    ) -> Connection[LazyNotification] | None:
        from inset.notifications.resolvers import notifications_of

        if not self._own(info):
            return None
        return notifications_of(info, first=first, after=after, unread_only=unread_only)

    @strawberry.field(description="How many of your notifications are unread; null for others.")
    def unread_notification_count(self, info: Info) -> int | None:
        from inset.notifications.resolvers import unread_count

        return unread_count(info) if self._own(info) else None

    @strawberry.field(
        description="How often you are emailed a digest (WEEKLY unless you chose); null for others."
    )
    def email_digest(self, info: Info) -> LazyDigestFrequency | None:
        from inset.notifications.resolvers import email_digest

        return email_digest(info) if self._own(info) else None


@strawberry.type(
    description="A bearer token (`Authorization: Bearer inset_...`) for scripts and "
    "integrations. Only a hash of its secret is stored. Readable by the account it belongs "
    "to and by STAFF."
)
class ApiToken(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(
        description="What it is for, as its owner named it (up to 200 characters)."
    )
    scope: TokenScope = strawberry.field(description="Whether it may change data.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    expires_at: datetime | None = strawberry.field(
        description="From this instant (UTC) on it is refused (UNAUTHENTICATED); null: never."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When a request last came with it (UTC), updated at most once a minute; "
        "null if never used."
    )
    revoked: bool = strawberry.field(
        description="True once revoked: every request with it is refused (UNAUTHENTICATED)."
    )

    @classmethod
    def from_model(cls, row: models.ApiToken) -> ApiToken:
        return cls(
            pk=pk(row),
            name=row.name,
            scope=row.scope,
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked=row.revoked_at is not None,
        )


@strawberry.input(description="A new account, without a password (set one from the CLI).")
class CreateAccountInput:
    email: str = strawberry.field(
        description="A valid address, up to 320 characters; stored in lower case and unique "
        "(DUPLICATE). Shown only to the account itself and STAFF."
    )
    name: str = strawberry.field(
        description="1 to 200 characters; public wherever the account leads or records "
        "something, so checked for personal data as public text."
    )
    organisation_id: strawberry.ID = strawberry.field(
        description="The global id of the account's organisation."
    )
    role: Role = strawberry.field(description="What the account may do.")


@strawberry.type(description="The result of createAccount.")
class AccountPayload:
    account: Account | None = strawberry.field(
        description="The account created; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="A new token for your own account.")
class CreateApiTokenInput:
    name: str = strawberry.field(
        description="What it is for, 1 to 200 characters (seen by you, STAFF and the audit log)."
    )
    scope: TokenScope = strawberry.field(
        description="What it may do; a READ token can only create READ tokens."
    )
    expires_in_days: int | None = strawberry.field(
        default=None,
        description="Days from now until it expires, 1 to 3650 inclusive; null: never expires.",
    )


@strawberry.type(description="The result of createApiToken.")
class CreateApiTokenPayload:
    token: ApiToken | None = strawberry.field(
        description="The token created; null with userErrors."
    )
    secret: str | None = strawberry.field(
        description="The bearer secret (starts with inset_). Shown once, never again: only "
        "its hash is stored. Null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="Which token to revoke.")
class RevokeApiTokenInput:
    token_id: strawberry.ID = strawberry.field(description="The token's global id.")


@strawberry.type(description="The result of revokeApiToken.")
class RevokeApiTokenPayload:
    token: ApiToken | None = strawberry.field(
        description="The token, now revoked; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="The credentials of the web client's sign-in form.")
class SignInInput:
    email: str = strawberry.field(description="The account's email, in any case.")
    password: str = strawberry.field(description="The account's password.")


@strawberry.type(description="The result of signIn.")
class SignInPayload:
    account: Account | None = strawberry.field(
        description="The account now signed in; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of signOut.")
class SignOutPayload:
    signed_out: bool = strawberry.field(
        description="True when the session (if any) has ended; signing out twice is harmless."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
