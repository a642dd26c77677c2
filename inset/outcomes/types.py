from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from inset import records
from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.outcomes import models, service
from inset.outcomes.loaders import observations_by_outcome, outcome_by_id

DECIMALS = (
    "Decimals read back as the number itself, without trailing zeros or an exponent: "
    '"78.50" reads "78.5", "100.0" reads "100".'
)


@strawberry.type(
    description="A dated reading of an outcome: an aggregate figure, never about a child."
)
class Observation(Node):
    pk: strawberry.Private[int]
    value: Decimal = strawberry.field(
        description="The reading in the outcome's unit; at most 4 decimal places, read back "
        'without trailing zeros ("78.5").'
    )
    observed_on: date = strawberry.field(
        description="The day it was measured: not in the future, nor before the outcome's "
        "baselineOn."
    )
    note: str | None = strawberry.field(
        description="How or where it was measured, up to 2,000 characters; null for none."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @classmethod
    def from_model(cls, row: models.Observation) -> Observation:
        return cls(
            pk=pk(row),
            value=service.plain(row.value),
            observed_on=row.observed_on,
            note=row.note,
            version=row.version,
            external_id=row.external_id,
        )


@strawberry.type(description="A measure the project wants to move. " + DECIMALS)
class Outcome(Node):
    row: strawberry.Private[models.Outcome]
    name: str = strawberry.field(
        description='What is measured, 1 to 200 characters ("children missing from care").'
    )
    unit: str = strawberry.field(
        description='What is counted, 1 to 100 characters ("children", "%").'
    )
    higher_is_better: bool = strawberry.field(
        description="Which way is improvement: true when a rise is good; see `improved`."
    )
    baseline: Decimal | None = strawberry.field(
        description="The value before the project, in `unit`; null when not measured."
    )
    baseline_on: date | None = strawberry.field(description="When the baseline was measured.")
    target: Decimal | None = strawberry.field(
        description="The value the project aims for, in `unit`; null when none is set."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @property
    def pk(self) -> int:
        return pk(self.row)

    @classmethod
    def from_model(cls, row: models.Outcome) -> Outcome:
        return cls(
            row=row,
            name=row.name,
            unit=row.unit,
            higher_is_better=row.higher_is_better,
            baseline=service.plain(row.baseline) if row.baseline is not None else None,
            baseline_on=row.baseline_on,
            target=service.plain(row.target) if row.target is not None else None,
            version=row.version,
            external_id=row.external_id,
        )

    async def _progress(self, info: Info) -> service.Progress:
        rows = await info.context.loaders.load(observations_by_outcome, self.pk)
        return service.progress(self.row, rows)

    @strawberry.field(description="Every observation, oldest first (by date, then as recorded).")
    async def observations(self, info: Info) -> list[Observation]:
        rows = await info.context.loaders.load(observations_by_outcome, self.pk)
        return [Observation.from_model(r) for r in rows]

    @strawberry.field(description="The most recent observation's value; null before the first.")
    async def latest(self, info: Info) -> Decimal | None:
        latest = (await self._progress(info)).latest
        return service.plain(latest) if latest is not None else None

    @strawberry.field(description="latest - baseline; null when either is missing.")
    async def change(self, info: Info) -> Decimal | None:
        change = (await self._progress(info)).change
        return service.plain(change) if change is not None else None

    @strawberry.field(
        description="Whether latest is better than baseline, in the direction higherIsBetter "
        "says; false when they are equal, null when either is missing."
    )
    async def improved(self, info: Info) -> bool | None:
        return (await self._progress(info)).improved


@strawberry.input(
    description="A new outcome measure. Aggregate figures only; its text is checked for "
    "personal data (as public text when the project is PUBLIC)."
)
class DefineOutcomeInput:
    project_id: strawberry.ID = strawberry.field(description="The project that wants to move it.")
    name: str = strawberry.field(description="1 to 200 characters after trimming.")
    unit: str = strawberry.field(
        description='What is counted, e.g. "children" or "%": 1 to 100 characters.'
    )
    higher_is_better: bool = strawberry.field(description="True when a rise is an improvement.")
    baseline: Decimal | None = strawberry.field(
        default=None,
        description="At most 4 decimal places, less than 10^14 in size; required when "
        "baselineOn is given.",
    )
    baseline_on: date | None = strawberry.field(
        default=None, description="When the baseline was measured; not in the future."
    )
    target: Decimal | None = strawberry.field(
        default=None, description="At most 4 decimal places, less than 10^14 in size."
    )
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(description="A dated reading of an outcome: an aggregate figure.")
class ObserveOutcomeInput:
    outcome_id: strawberry.ID = strawberry.field(description="The outcome measured.")
    value: Decimal = strawberry.field(
        description="At most 4 decimal places, less than 10^14 in size."
    )
    observed_on: date = strawberry.field(
        description="Not in the future, nor before the outcome's baselineOn."
    )
    note: str | None = strawberry.field(
        default=None, description="Up to 2,000 characters; blank or null for none."
    )
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change; null clears baseline, "
    "baselineOn, target or externalId. Every rule of defineOutcome applies to the result, "
    "and baselineOn may not move after the first observation."
)
class UpdateOutcomeInput:
    id: strawberry.ID = strawberry.field(description="The outcome to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 200 characters; cannot be null."
    )
    unit: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 100 characters; cannot be null."
    )
    higher_is_better: bool | None = strawberry.field(
        default=strawberry.UNSET, description="The new direction; cannot be null."
    )
    baseline: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most 4 decimal places."
    )
    baseline_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Not in the future; needs a baseline."
    )
    target: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most 4 decimal places."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change; null clears note or "
    "externalId. Every rule of observeOutcome applies to the result."
)
class UpdateObservationInput:
    id: strawberry.ID = strawberry.field(description="The observation to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    value: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At most 4 decimal places."
    )
    observed_on: date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Not in the future, nor before the outcome's baselineOn.",
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="Up to 2,000 characters; null clears it."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.type(
    description="The result of defineOutcome, observeOutcome, updateOutcome or updateObservation."
)
class OutcomePayload:
    outcome_pk: strawberry.Private[int | None]
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    observation: Observation | None = strawberry.field(
        default=None,
        description="The observation added or corrected, with its id; null for changes to "
        "the outcome itself.",
    )

    @strawberry.field(description="The outcome, with its observations after the change.")
    async def outcome(self, info: Info) -> Outcome | None:
        if self.outcome_pk is None:
            return None
        row = await info.context.loaders.load(outcome_by_id, self.outcome_pk)
        return Outcome.from_model(row) if row else None
