from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.accounts import models
from inset.accounts.models import Role, TokenScope
from inset.db import pk
from inset.graphql.context import Info
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

strawberry.enum(models.Role)  # registered once, here; fields use the model enum
strawberry.enum(models.TokenScope)  # registered once, here; fields use the model enum


@strawberry.type
class Account(Node):
    pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int]
    private_email: strawberry.Private[str]
    name: str
    role: Role

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

    @strawberry.field
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
        first: int | None = None,
        after: str | None = None,
        unread_only: bool = False,
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


@strawberry.type
class ApiToken(Node):
    pk: strawberry.Private[int]
    name: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool

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


@strawberry.input
class CreateAccountInput:
    email: str
    name: str
    organisation_id: strawberry.ID
    role: Role


@strawberry.type
class AccountPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.input
class CreateApiTokenInput:
    name: str
    scope: TokenScope
    expires_in_days: int | None = None


@strawberry.type
class CreateApiTokenPayload:
    token: ApiToken | None
    secret: str | None = strawberry.field(description="Shown once, never again.")
    user_errors: list[UserError]


@strawberry.input
class RevokeApiTokenInput:
    token_id: strawberry.ID


@strawberry.type
class RevokeApiTokenPayload:
    token: ApiToken | None
    user_errors: list[UserError]


@strawberry.input
class SignInInput:
    email: str
    password: str


@strawberry.type
class SignInPayload:
    account: Account | None
    user_errors: list[UserError]


@strawberry.type
class SignOutPayload:
    signed_out: bool
    user_errors: list[UserError]
