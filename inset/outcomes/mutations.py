from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.outcomes import models, service
from inset.outcomes.types import DefineOutcomeInput, ObserveOutcomeInput, OutcomePayload


def _payload(result: models.Outcome | models.Observation | list[UserError]) -> OutcomePayload:
    if isinstance(result, list):
        return OutcomePayload(outcome_pk=None, user_errors=result)
    outcome_pk = result.outcome_id if isinstance(result, models.Observation) else result.id
    return OutcomePayload(outcome_pk=outcome_pk, user_errors=[])


@strawberry.type
class OutcomeMutation:
    @strawberry.mutation(
        description="A measure the project wants to move, with its baseline and target. "
        "Aggregate figures only. Idempotent with idempotencyKey."
    )
    def define_outcome(self, info: Info, input: DefineOutcomeInput) -> OutcomePayload:
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
            )

        return _payload(
            run_mutation(info, work, name="defineOutcome", data=input, replay=models.Outcome)
        )

    @strawberry.mutation(
        description="Adds a dated reading to an outcome. Idempotent with idempotencyKey."
    )
    def observe_outcome(self, info: Info, input: ObserveOutcomeInput) -> OutcomePayload:
        def work(session: Session) -> models.Observation:
            return service.observe_outcome(
                session=session,
                actor=info.context.actor,
                outcome_id=decode_id(input.outcome_id, "Outcome", "outcome_id"),
                value=input.value,
                observed_on=input.observed_on,
                note=input.note,
            )

        return _payload(
            run_mutation(info, work, name="observeOutcome", data=input, replay=models.Observation)
        )
