from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry
from sqlmodel import Session

from inset.economics import corrections, models, service
from inset.economics.types import (
    Benefit,
    BenefitPayload,
    Cost,
    CostPayload,
    MoneyInput,
    RecordBenefitInput,
    RecordCostInput,
    UpdateBenefitInput,
    UpdateCostInput,
)
from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import UserError, shown
from inset.graphql.ids import decode_id
from inset.graphql.inputs import sent
from inset.graphql.transaction import run_mutation


def _share(value: float | None, default: str) -> Decimal:
    """An explicit null means the default, as leaving the field out does."""
    # Through str, so that 0.2 arrives as 0.2 and not as 0.2000000000000000111...
    return Decimal(default if value is None else str(value))


def _currency(money: MoneyInput | None) -> str:
    return (money.currency if money else None) or service.CURRENCY


@strawberry.type
class EconomicsMutation:
    @strawberry.mutation(
        description="Records a cost line at the project's current stage; the project's "
        "economics follow at once. Idempotent with idempotencyKey. For LEADs of the "
        "project's lead or partner organisations, and STAFF. "
        "User errors: NOT_FOUND, FORBIDDEN, REQUIRED, TOO_LONG, INVALID (amount: more than "
        "0, below £10bn, whole pence, GBP; confidence 1..6; dates; externalId; "
        "idempotencyKey), PERSONAL_DATA, DUPLICATE (externalId taken, with existingId; "
        "idempotencyKey used with other input)."
    )
    def record_cost(self, info: Info, input: Input[RecordCostInput]) -> CostPayload:
        def work(session: Session) -> models.Cost:
            return service.record_cost(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                category=input.category,
                description=input.description,
                amount=input.amount.amount,
                currency=_currency(input.amount),
                recurring=bool(input.recurring),
                period_start=input.period_start,
                period_end=input.period_end,
                funding_source=input.funding_source,
                confidence=input.confidence,
                external_id=input.external_id,
            )

        return _cost(run_mutation(info, work, name="recordCost", data=input, replay=models.Cost))

    @strawberry.mutation(
        description="Records a benefit line at the project's current stage; the project's "
        "economics follow at once. Idempotent with idempotencyKey. For LEADs of the "
        "project's lead or partner organisations, and STAFF. REQUIRED also for a FISCAL "
        "benefit without a beneficiary. "
        "User errors: NOT_FOUND, FORBIDDEN, REQUIRED, TOO_LONG, INVALID (amount: more than "
        "0, below £10bn, whole pence, GBP; deadweight and attribution 0..1 to 4 places; "
        "confidence 1..6; dates; externalId; "
        "idempotencyKey), PERSONAL_DATA, DUPLICATE (externalId taken, with existingId; "
        "idempotencyKey used with other input)."
    )
    def record_benefit(self, info: Info, input: Input[RecordBenefitInput]) -> BenefitPayload:
        def work(session: Session) -> models.Benefit:
            return service.record_benefit(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                kind=input.kind,
                description=input.description,
                amount=input.amount.amount if input.amount else None,
                currency=_currency(input.amount),
                beneficiary=input.beneficiary,
                period_start=input.period_start,
                period_end=input.period_end,
                deadweight=_share(input.deadweight, "0"),
                attribution=_share(input.attribution, "1"),
                confidence=input.confidence,
                external_id=input.external_id,
            )

        return _benefit(
            run_mutation(info, work, name="recordBenefit", data=input, replay=models.Benefit)
        )

    @strawberry.mutation(
        description="Corrects a cost line; the project's economics follow at once. User "
        "errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale expectedVersion), REQUIRED, TOO_LONG, "
        "INVALID, PERSONAL_DATA, DUPLICATE (externalId, with existingId)."
    )
    def update_cost(self, info: Info, input: Input[UpdateCostInput]) -> CostPayload:
        def work(session: Session) -> models.Cost:
            return corrections.update_cost(
                session=session,
                actor=info.context.actor,
                cost_id=decode_id(input.id, "Cost", "id"),
                expected_version=input.expected_version,
                changes=_money(sent(input)),
            )

        return _cost(run_mutation(info, work, name="updateCost"))

    @strawberry.mutation(
        description="Corrects a benefit line; the project's economics follow at once. User "
        "errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale expectedVersion), REQUIRED, TOO_LONG, "
        "INVALID, PERSONAL_DATA, DUPLICATE (externalId, with existingId)."
    )
    def update_benefit(self, info: Info, input: Input[UpdateBenefitInput]) -> BenefitPayload:
        def work(session: Session) -> models.Benefit:
            changes = _money(sent(input))
            for name, default in (("deadweight", "0"), ("attribution", "1")):
                if name in changes:
                    changes[name] = _share(changes[name], default)
            return corrections.update_benefit(
                session=session,
                actor=info.context.actor,
                benefit_id=decode_id(input.id, "Benefit", "id"),
                expected_version=input.expected_version,
                changes=changes,
            )

        return _benefit(run_mutation(info, work, name="updateBenefit"))


def _money(changes: dict[str, Any]) -> dict[str, Any]:
    """`amount` (a MoneyInput, or null) as the services take it: pounds and a currency."""
    if "amount" in changes:
        money = changes["amount"]
        changes["amount"] = money.amount if money else None
        if money:
            changes["currency"] = _currency(money)
    return changes


def _cost(result: models.Cost | list[UserError]) -> CostPayload:
    row, errors = shown(result, models.Cost)
    if row is None:
        return CostPayload(cost=None, user_errors=errors, project_pk=None)
    return CostPayload(cost=Cost.from_model(row), user_errors=errors, project_pk=row.project_id)


def _benefit(result: models.Benefit | list[UserError]) -> BenefitPayload:
    row, errors = shown(result, models.Benefit)
    if row is None:
        return BenefitPayload(benefit=None, user_errors=errors, project_pk=None)
    return BenefitPayload(
        benefit=Benefit.from_model(row), user_errors=errors, project_pk=row.project_id
    )
