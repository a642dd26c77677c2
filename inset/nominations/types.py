from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.accounts.loaders import account_by_id
from inset.accounts.types import Account
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.nominations import models
from inset.nominations.models import NominationStatus
from inset.organisations.loaders import organisation_by_id
from inset.organisations.types import Organisation
from inset.projects.loaders import project_by_id

if TYPE_CHECKING:
    from inset.projects.types import Project

strawberry.enum(NominationStatus)


@strawberry.type(
    description="An innovation seen elsewhere, nominated for the incubator to invite. "
    "Read by staff and by whoever nominated it."
)
class Nomination(Node):
    pk: strawberry.Private[int]
    nominated_by_pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int | None]
    project_pk: strawberry.Private[int | None]
    what: str
    where: str
    contact: str | None = strawberry.field(
        description="Who to ask there: a role and organisation, not a personal email or phone."
    )
    status: NominationStatus
    decline_reason: str | None
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def from_model(cls, row: models.Nomination) -> Nomination:
        return cls(
            pk=pk(row),
            nominated_by_pk=row.nominated_by_id,
            organisation_pk=row.organisation_id,
            project_pk=row.project_id,
            what=row.what,
            where=row.where,
            contact=row.contact,
            status=row.status,
            decline_reason=row.decline_reason,
            created_at=row.created_at,
            decided_at=row.decided_at,
        )

    @strawberry.field
    async def nominated_by(self, info: Info) -> Account | None:
        row = await info.context.loaders.load(account_by_id, self.nominated_by_pk)
        return Account.from_model(row) if row else None

    @strawberry.field(description="The organisation that joined, once accepted.")
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_pk is None:
            return None
        row = await info.context.loaders.load(organisation_by_id, self.organisation_pk)
        return Organisation.from_model(row) if row else None

    @strawberry.field(
        description="The project it became; null until then or if you may not read it."
    )
    async def project(
        self, info: Info
    ) -> Annotated[Project, strawberry.lazy("inset.projects.types")] | None:
        from inset.projects.types import Project

        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None


@strawberry.input
class NominateInnovationInput:
    what: str = strawberry.field(description="The innovation, in a few sentences.")
    where: str = strawberry.field(description="The organisation where you saw it.")
    contact: str | None = strawberry.field(
        default=None,
        description="Who to ask there, as a role (e.g. 'Head of Fostering'); personal email "
        "addresses and phone numbers are refused.",
    )
    idempotency_key: str | None = None


@strawberry.input
class InviteNominationInput:
    nomination_id: strawberry.ID


@strawberry.input
class AcceptNominationInput:
    nomination_id: strawberry.ID
    organisation_id: strawberry.ID


@strawberry.input
class DeclineNominationInput:
    nomination_id: strawberry.ID
    reason: str


@strawberry.type
class NominationPayload:
    nomination: Nomination | None
    user_errors: list[UserError]


@strawberry.type
class AcceptNominationPayload:
    nomination: Nomination | None
    project: Annotated[Project, strawberry.lazy("inset.projects.types")] | None
    user_errors: list[UserError]
