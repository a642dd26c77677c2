from __future__ import annotations

from decimal import Decimal

import strawberry
from sqlmodel import Session

from inset.economics import models, service
from inset.economics.types import (
    Benefit,
    BenefitPayload,
    Cost,
    CostPayload,
    MoneyInput,
    RecordBenefitInput,
    RecordCostInput,
)
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
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
        description="Records a cost line at the project's current stage. Idempotent with "
        "idempotencyKey."
    )
    def record_cost(self, info: Info, input: RecordCostInput) -> CostPayload:
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
            )

        result = run_mutation(info, work, name="recordCost", data=input, replay=models.Cost)
        if isinstance(result, list):
            return CostPayload(cost=None, user_errors=result, project_pk=None)
        return CostPayload(
            cost=Cost.from_model(result), user_errors=[], project_pk=result.project_id
        )

    @strawberry.mutation(
        description="Records a benefit line at the project's current stage. Idempotent with "
        "idempotencyKey."
    )
    def record_benefit(self, info: Info, input: RecordBenefitInput) -> BenefitPayload:
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
            )

        result = run_mutation(info, work, name="recordBenefit", data=input, replay=models.Benefit)
        if isinstance(result, list):
            return BenefitPayload(benefit=None, user_errors=result, project_pk=None)
        return BenefitPayload(
            benefit=Benefit.from_model(result), user_errors=[], project_pk=result.project_id
        )
