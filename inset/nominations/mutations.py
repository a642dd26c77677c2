from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.nominations import models, service
from inset.nominations.types import (
    AcceptNominationInput,
    AcceptNominationPayload,
    DeclineNominationInput,
    InviteNominationInput,
    NominateInnovationInput,
    Nomination,
    NominationPayload,
)
from inset.projects.types import Project


def _payload(result: models.Nomination | list[Any]) -> NominationPayload:
    if isinstance(result, list):
        return NominationPayload(nomination=None, user_errors=result)
    return NominationPayload(nomination=Nomination.from_model(result), user_errors=[])


def _nomination_id(value: strawberry.ID) -> int:
    return decode_id(value, "Nomination", "nomination_id")


@strawberry.type
class NominationMutation:
    @strawberry.mutation(
        description="Nominates an innovation seen elsewhere, PENDING until STAFF act; any "
        "signed-in person (any role, read-only tokens included; not integrations). Every "
        "text is checked for personal data as public text. Idempotent with "
        "idempotencyKey. User errors: FORBIDDEN (not signed in as a person), REQUIRED "
        "(what, where), TOO_LONG (what, where, contact), PERSONAL_DATA (what, where, "
        "contact), INVALID (idempotencyKey), DUPLICATE (idempotencyKey used with other "
        "input)."
    )
    def nominate_innovation(
        self,
        info: Info,
        input: Annotated[
            NominateInnovationInput,
            strawberry.argument(description="The innovation and where you saw it."),
        ],
    ) -> NominationPayload:
        def work(session: Session) -> models.Nomination:
            return service.nominate(
                session=session,
                actor=info.context.actor,
                what=input.what,
                where=input.where,
                contact=input.contact,
            )

        return _payload(
            run_mutation(
                info, work, name="nominateInnovation", data=input, replay=models.Nomination
            )
        )

    @strawberry.mutation(
        description="STAFF: records that the nominated organisation was invited (INVITED); "
        "again on an INVITED one changes nothing. User errors: FORBIDDEN (not STAFF with a "
        "read_write credential), NOT_FOUND (nominationId), INVALID (already accepted or "
        "declined)."
    )
    def invite_nomination(
        self,
        info: Info,
        input: Annotated[InviteNominationInput, strawberry.argument(description="The nomination.")],
    ) -> NominationPayload:
        return _payload(
            run_mutation(
                info,
                lambda session: service.invite(
                    session=session,
                    actor=info.context.actor,
                    nomination_id=_nomination_id(input.nomination_id),
                ),
                name="inviteNomination",
            )
        )

    @strawberry.mutation(
        description="STAFF: the organisation joined; creates its project at IDEA (PRIVATE) "
        "from the nomination and tells the nominator (NOMINATION_ACCEPTED). User errors: "
        "FORBIDDEN (not STAFF with a read_write credential), NOT_FOUND (nominationId, "
        "organisationId), INVALID (already accepted or declined)."
    )
    def accept_nomination(
        self,
        info: Info,
        input: Annotated[
            AcceptNominationInput,
            strawberry.argument(description="The nomination and the organisation that joined."),
        ],
    ) -> AcceptNominationPayload:
        result = run_mutation(
            info,
            lambda session: service.accept(
                session=session,
                actor=info.context.actor,
                nomination_id=_nomination_id(input.nomination_id),
                organisation_id=decode_id(input.organisation_id, "Organisation", "organisation_id"),
            ),
            name="acceptNomination",
        )
        if isinstance(result, list):
            return AcceptNominationPayload(nomination=None, project=None, user_errors=result)
        nomination, project = result
        return AcceptNominationPayload(
            nomination=Nomination.from_model(nomination),
            project=Project.from_model(project),
            user_errors=[],
        )

    @strawberry.mutation(
        description="STAFF: declines with a reason the nominator is told "
        "(NOMINATION_DECLINED). User errors: FORBIDDEN (not STAFF with a read_write "
        "credential), NOT_FOUND (nominationId), INVALID (already accepted or declined), "
        "REQUIRED (reason), TOO_LONG (reason), PERSONAL_DATA (reason)."
    )
    def decline_nomination(
        self,
        info: Info,
        input: Annotated[
            DeclineNominationInput,
            strawberry.argument(description="The nomination and the reason."),
        ],
    ) -> NominationPayload:
        return _payload(
            run_mutation(
                info,
                lambda session: service.decline(
                    session=session,
                    actor=info.context.actor,
                    nomination_id=_nomination_id(input.nomination_id),
                    reason=input.reason,
                ),
                name="declineNomination",
            )
        )
