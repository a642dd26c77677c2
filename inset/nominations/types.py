from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.accounts.loaders import account_by_id
from inset.accounts.types import Account
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.nominations import models
from inset.nominations.models import NominationStatus
from inset.organisations.loaders import organisation_by_id
from inset.organisations.types import Organisation
from inset.projects.loaders import project_by_id

if TYPE_CHECKING:
    from inset.projects.types import Project

described_enum(
    NominationStatus,
    "Where a nomination stands. PENDING and INVITED are open; ACCEPTED and DECLINED are final.",
    {
        NominationStatus.PENDING: "Waiting for STAFF.",
        NominationStatus.INVITED: "STAFF invited the organisation to join.",
        NominationStatus.ACCEPTED: "The organisation joined: the nomination is now its "
        "project (Nomination.project).",
        NominationStatus.DECLINED: "STAFF declined it, with a reason (declineReason).",
    },
)


@strawberry.type(
    description="An innovation seen elsewhere, nominated for the incubator to invite. "
    "Read by staff and by whoever nominated it."
)
class Nomination(Node):
    pk: strawberry.Private[int]
    nominated_by_pk: strawberry.Private[int]
    organisation_pk: strawberry.Private[int | None]
    project_pk: strawberry.Private[int | None]
    what: str = strawberry.field(description="The innovation, in the nominator's words.")
    where: str = strawberry.field(description="The organisation where it was seen.")
    contact: str | None = strawberry.field(
        description="Who to ask there: a role and organisation, not a personal email or phone."
    )
    status: NominationStatus = strawberry.field(
        description="Where it stands: PENDING until STAFF act, then INVITED, ACCEPTED or DECLINED."
    )
    decline_reason: str | None = strawberry.field(
        description="Why STAFF declined it, as the nominator is told; null unless DECLINED."
    )
    created_at: datetime = strawberry.field(description="When it was nominated (UTC).")
    decided_at: datetime | None = strawberry.field(
        description="When STAFF last moved it on (invited, accepted or declined; UTC); null "
        "while PENDING."
    )

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

    @strawberry.field(description="Who nominated it; null if that account is no longer readable.")
    async def nominated_by(self, info: Info) -> Account | None:
        row = await info.context.loaders.load(account_by_id, self.nominated_by_pk)
        return Account.from_model(row) if row else None

    @strawberry.field(description="The organisation that joined, once ACCEPTED; null before.")
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


_NOMINATION_ID = (
    "The nomination's global id; NOT_FOUND when there is none. INVALID when it is already "
    "ACCEPTED or DECLINED."
)


@strawberry.input(
    description="An innovation you saw elsewhere. Every text is checked for personal data "
    "as public text (PERSONAL_DATA): no personal emails, phone numbers or postcodes."
)
class NominateInnovationInput:
    what: str = strawberry.field(
        description="The innovation, in a few sentences: trimmed, 1..2,000 characters "
        "(REQUIRED, TOO_LONG)."
    )
    where: str = strawberry.field(
        description="The organisation where you saw it: trimmed, 1..200 characters "
        "(REQUIRED, TOO_LONG)."
    )
    contact: str | None = strawberry.field(
        default=None,
        description="Who to ask there, as a role (e.g. 'Head of Fostering'), at most 200 "
        "characters (TOO_LONG); personal email addresses and phone numbers are refused. "
        "Blank or null: none.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Optional, 1..200 characters (else INVALID). Sent again by the same "
        "account within 24 hours with the same input, it replays the first answer "
        "without nominating twice; with other input it is DUPLICATE.",
    )


@strawberry.input(description="The nomination whose organisation STAFF invited.")
class InviteNominationInput:
    nomination_id: strawberry.ID = strawberry.field(description=_NOMINATION_ID)


@strawberry.input(description="The nomination whose organisation joined, and which it is.")
class AcceptNominationInput:
    nomination_id: strawberry.ID = strawberry.field(description=_NOMINATION_ID)
    organisation_id: strawberry.ID = strawberry.field(
        description="The member organisation that joined, which leads the new project; "
        "NOT_FOUND when there is none (create it first with createOrganisation)."
    )


@strawberry.input(description="The nomination to decline, and why.")
class DeclineNominationInput:
    nomination_id: strawberry.ID = strawberry.field(description=_NOMINATION_ID)
    reason: str = strawberry.field(
        description="Why, as the nominator reads it in the application and by email: "
        "trimmed, 1..2,000 characters (REQUIRED, TOO_LONG), checked for personal data as "
        "public text (PERSONAL_DATA)."
    )


@strawberry.type(description="The result of a nomination mutation.")
class NominationPayload:
    nomination: Nomination | None = strawberry.field(
        description="The nomination as it is now; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of acceptNomination.")
class AcceptNominationPayload:
    nomination: Nomination | None = strawberry.field(
        description="The nomination, now ACCEPTED; null with userErrors."
    )
    project: Annotated[Project, strawberry.lazy("inset.projects.types")] | None = strawberry.field(
        description="The new project: at IDEA, PRIVATE, led by the organisation, titled "
        "from the nomination; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
