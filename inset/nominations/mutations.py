from __future__ import annotations

from typing import Any

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
        description="Nominates an innovation seen elsewhere; anyone signed in. Every text is "
        "checked for personal data as public text. Idempotent with idempotencyKey."
    )
    def nominate_innovation(self, info: Info, input: NominateInnovationInput) -> NominationPayload:
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

    @strawberry.mutation(description="Staff: records that the organisation was invited.")
    def invite_nomination(self, info: Info, input: InviteNominationInput) -> NominationPayload:
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
        description="Staff: the organisation joined; creates its project at IDEA (PRIVATE) "
        "from the nomination and tells the nominator."
    )
    def accept_nomination(
        self, info: Info, input: AcceptNominationInput
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

    @strawberry.mutation(description="Staff: declines with a reason the nominator is told.")
    def decline_nomination(self, info: Info, input: DeclineNominationInput) -> NominationPayload:
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
