from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import UserError, shown
from inset.graphql.ids import decode_id
from inset.graphql.inputs import sent
from inset.graphql.transaction import run_mutation
from inset.outcomes import corrections, models, service
from inset.outcomes.types import (
    DefineOutcomeInput,
    Observation,
    ObserveOutcomeInput,
    OutcomePayload,
    UpdateObservationInput,
    UpdateOutcomeInput,
)


def _payload(result: models.Outcome | models.Observation | list[UserError]) -> OutcomePayload:
    errors: list[UserError] = []
    row: models.Outcome | models.Observation | None
    if isinstance(result, list):
        # With CONFLICT, the record as it is now.
        errors, row = result, shown(result, models.Observation)[0]
        row = row or shown(result, models.Outcome)[0]
        if row is None:
            return OutcomePayload(outcome_pk=None, user_errors=errors)
    else:
        row = result
    if isinstance(row, models.Observation):
        return OutcomePayload(
            outcome_pk=row.outcome_id,
            user_errors=errors,
            observation=Observation.from_model(row),
        )
    return OutcomePayload(outcome_pk=row.id, user_errors=errors)


@strawberry.type
class OutcomeMutation:
    @strawberry.mutation(
        description="A measure the project wants to move, with its baseline and target. "
        "Aggregate figures only. Idempotent with idempotencyKey. For LEADs of the project's "
        "lead or partner organisations, and STAFF. User errors: NOT_FOUND, FORBIDDEN, "
        "REQUIRED (baseline when baselineOn is given), TOO_LONG, INVALID (decimal places, "
        "size, dates, externalId, idempotencyKey), PERSONAL_DATA, DUPLICATE (externalId "
        "taken, with existingId; idempotencyKey used with other input)."
    )
    def define_outcome(self, info: Info, input: Input[DefineOutcomeInput]) -> OutcomePayload:
        def work(session: Session) -> models.Outcome:
            return service.define_outcome(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                name=input.name,
                unit=input.unit,
                higher_is_better=input.higher_is_better,
                baseline=input.baseline,
                baseline_on=input.baseline_on,
                target=input.target,
                external_id=input.external_id,
            )

        return _payload(
            run_mutation(info, work, name="defineOutcome", data=input, replay=models.Outcome)
        )

    @strawberry.mutation(
        description="Adds a dated reading to an outcome. Idempotent with idempotencyKey. "
        "User errors: NOT_FOUND, FORBIDDEN, TOO_LONG (note), INVALID (decimal places, size, "
        "observedOn, externalId, idempotencyKey), PERSONAL_DATA, DUPLICATE (externalId "
        "taken, with existingId; idempotencyKey used with other input)."
    )
    def observe_outcome(self, info: Info, input: Input[ObserveOutcomeInput]) -> OutcomePayload:
        def work(session: Session) -> models.Observation:
            return service.observe_outcome(
                session=session,
                actor=info.context.actor,
                outcome_id=decode_id(input.outcome_id, "Outcome", "outcome_id"),
                value=input.value,
                observed_on=input.observed_on,
                note=input.note,
                external_id=input.external_id,
            )

        return _payload(
            run_mutation(info, work, name="observeOutcome", data=input, replay=models.Observation)
        )

    @strawberry.mutation(
        description="Corrects an outcome. User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale "
        "expectedVersion), REQUIRED, TOO_LONG, INVALID, PERSONAL_DATA, DUPLICATE (externalId, "
        "with existingId)."
    )
    def update_outcome(self, info: Info, input: Input[UpdateOutcomeInput]) -> OutcomePayload:
        def work(session: Session) -> models.Outcome:
            return corrections.update_outcome(
                session=session,
                actor=info.context.actor,
                outcome_id=decode_id(input.id, "Outcome", "id"),
                expected_version=input.expected_version,
                changes=sent(input),
            )

        return _payload(run_mutation(info, work, name="updateOutcome"))

    @strawberry.mutation(
        description="Corrects a dated reading of an outcome. User errors: NOT_FOUND, "
        "FORBIDDEN, CONFLICT (stale expectedVersion), REQUIRED, TOO_LONG, INVALID, "
        "PERSONAL_DATA, DUPLICATE (externalId, with existingId)."
    )
    def update_observation(
        self, info: Info, input: Input[UpdateObservationInput]
    ) -> OutcomePayload:
        def work(session: Session) -> models.Observation:
            return corrections.update_observation(
                session=session,
                actor=info.context.actor,
                observation_id=decode_id(input.id, "Observation", "id"),
                expected_version=input.expected_version,
                changes=sent(input),
            )

        return _payload(run_mutation(info, work, name="updateObservation"))
