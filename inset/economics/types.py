from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from inset import records
from inset.db import pk
from inset.economics import calc, models, service
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.graphql.scalars import CurrencyCode
from inset.projects.loaders import project_by_id
from inset.projects.models import Stage
from inset.projects.types import Project

# Registered in place, so fields can be annotated with the model enums themselves.
_CATEGORY = models.CostCategory
described_enum(
    models.CostCategory,
    "What a cost line pays for; descriptive only, figures treat every category alike.",
    {
        _CATEGORY.STAFF: "Salaries and staff time.",
        _CATEGORY.TECHNOLOGY: "Software, devices and hosting.",
        _CATEGORY.COMMISSIONING: "Services bought from providers.",
        _CATEGORY.TRAINING: "Training and development.",
        _CATEGORY.EVALUATION: "Evaluating the project.",
        _CATEGORY.PREMISES: "Buildings and rooms.",
        _CATEGORY.OTHER: "Anything else.",
    },
)
described_enum(
    models.BenefitKind,
    "Who gains from a benefit line (HM Treasury's categories).",
    {
        models.BenefitKind.FISCAL: "Cashable savings to a public body, which must be named "
        "as the beneficiary; the only kind counted by fiscalRoi and paybackMonths.",
        models.BenefitKind.ECONOMIC: "Gains to the wider economy, such as people in work.",
        models.BenefitKind.SOCIAL: "Gains in wellbeing, valued in money.",
    },
)

_PENNY = Decimal("0.01")


@strawberry.type(description="An amount of money. Inset records money in GBP.")
class Money:
    amount: Decimal = strawberry.field(
        description='Pounds, always with two decimal places: "12500.00", "-40.50".'
    )
    currency: CurrencyCode = strawberry.field(description='Always "GBP".')

    @classmethod
    def of(cls, pounds: Decimal, currency: str = service.CURRENCY) -> Money:
        return cls(amount=pounds.quantize(_PENNY), currency=CurrencyCode(currency))

    @classmethod
    def of_pence(cls, pence: int, currency: str = service.CURRENCY) -> Money:
        return cls.of(service.pounds(pence), currency)


@strawberry.type(description="A cost line. `amount` is its total over its period, not a rate.")
class Cost(Node):
    row: strawberry.Private[models.Cost]
    category: models.CostCategory = strawberry.field(description="What it pays for.")
    description: str = strawberry.field(description="What it is, up to 20,000 characters.")
    amount: Money = strawberry.field(
        description="The total over its period as recorded, exact to the penny (stored as "
        "whole pence), before optimism bias."
    )
    recurring: bool = strawberry.field(description="Descriptive: figures count `amount` once.")
    period_start: date | None = strawberry.field(
        description="The first day the amount covers; null when not given."
    )
    period_end: date | None = strawberry.field(
        description="The last day the amount covers, included; null when not given."
    )
    stage: Stage = strawberry.field(description="The project's stage when it was recorded.")
    funding_source: str | None = strawberry.field(
        description="Who pays for it, up to 500 characters; null when not given."
    )
    confidence: int = strawberry.field(
        description="1 (audited, local data) .. 6 (expert guess); sets the optimism bias."
    )
    recorded_at: datetime = strawberry.field(
        description="When it was first recorded (UTC); corrections do not change it."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @property
    def pk(self) -> int:
        return pk(self.row)

    @classmethod
    def from_model(cls, row: models.Cost) -> Cost:
        return cls(
            row=row,
            category=row.category,
            description=row.description,
            amount=Money.of_pence(row.amount_pence, row.currency),
            recurring=row.recurring,
            period_start=row.period_start,
            period_end=row.period_end,
            stage=row.stage,
            funding_source=row.funding_source,
            confidence=row.confidence,
            recorded_at=row.recorded_at,
            version=row.version,
            external_id=row.external_id,
        )

    @strawberry.field(
        description="amount x (1 + optimism bias of its confidence grade), rounded half up "
        "to the penny: what this line adds to Economics.totalCost."
    )
    def adjusted_amount(self, info: Info) -> Money:
        bias = info.context.settings.optimism_bias
        return Money.of(service.adjusted_cost_of(self.row, optimism_bias=bias))


@strawberry.type(description="A benefit line. `amount` is its total over its period, not a rate.")
class Benefit(Node):
    row: strawberry.Private[models.Benefit]
    kind: models.BenefitKind = strawberry.field(description="Who gains.")
    description: str = strawberry.field(description="What it is, up to 20,000 characters.")
    amount: Money | None = strawberry.field(description="Null while described but not monetised.")
    beneficiary: str | None = strawberry.field(
        description="The public body that gains; every FISCAL benefit names one."
    )
    period_start: date | None = strawberry.field(
        description="The first day the amount covers; null when not given. paybackMonths "
        "and presentValueBenefit place the benefit by its period."
    )
    period_end: date | None = strawberry.field(
        description="The last day the amount covers, included; null when not given."
    )
    deadweight: float = strawberry.field(
        description="Share that would have happened anyway, 0..1 (4 decimal places)."
    )
    attribution: float = strawberry.field(
        description="Share of the rest that this project caused, 0..1 (4 decimal places)."
    )
    confidence: int = strawberry.field(
        description="1 (audited, local data) .. 6 (expert guess); sets the optimism bias."
    )
    stage: Stage = strawberry.field(description="The project's stage when it was recorded.")
    recorded_at: datetime = strawberry.field(
        description="When it was first recorded (UTC); corrections do not change it."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    external_id: str | None = strawberry.field(description=records.EXTERNAL_ID_HELP)

    @property
    def pk(self) -> int:
        return pk(self.row)

    @classmethod
    def from_model(cls, row: models.Benefit) -> Benefit:
        return cls(
            row=row,
            kind=row.kind,
            description=row.description,
            amount=None if row.amount_pence is None else Money.of_pence(row.amount_pence),
            beneficiary=row.beneficiary,
            period_start=row.period_start,
            period_end=row.period_end,
            deadweight=float(row.deadweight_bp) / 10_000,
            attribution=float(row.attribution_bp) / 10_000,
            confidence=row.confidence,
            stage=row.stage,
            recorded_at=row.recorded_at,
            version=row.version,
            external_id=row.external_id,
        )

    @strawberry.field(
        description="amount x (1 - deadweight) x attribution x (1 - optimism bias of its "
        "confidence grade), rounded half up to the penny: what this line adds to "
        "Economics.adjustedBenefit. Null when the benefit is not monetised."
    )
    def adjusted_amount(self, info: Info) -> Money | None:
        bias = info.context.settings.optimism_bias
        adjusted = service.adjusted_benefit_of(self.row, optimism_bias=bias)
        return None if adjusted is None else Money.of(adjusted)


@strawberry.type(
    description="A project's cost-benefit figures from its live (not archived) lines, by "
    "HM Treasury's 2014 supplementary guidance (DESIGN.md section 3). Money is GBP to the "
    "penny; each line is rounded half up to the penny before lines are added, so the lines' "
    "adjustedAmount figures add up to these totals. Optimism bias by confidence grade is the "
    "service's setting (default 0%, 5%, 10%, 15%, 25%, 40% for grades 1..6)."
)
class Economics:
    gross_cost: Money = strawberry.field(
        description="Sum of the cost lines' amounts as recorded, before optimism bias."
    )
    total_cost: Money = strawberry.field(
        description="Sum of the cost lines' adjustedAmount: each amount x (1 + optimism bias "
        "of its grade), rounded to the penny. Every cost counts at the project's start."
    )
    gross_benefit: Money = strawberry.field(
        description="Sum of the monetised benefit lines' amounts as recorded; benefits "
        "without an amount count as zero."
    )
    adjusted_benefit: Money = strawberry.field(
        description="Sum of the benefit lines' adjustedAmount: each amount x (1 - deadweight) "
        "x attribution x (1 - optimism bias of its grade), rounded to the penny."
    )
    net_benefit: Money = strawberry.field(
        description="adjustedBenefit - totalCost; negative when the costs are larger."
    )
    benefit_cost_ratio: float | None = strawberry.field(
        description="adjustedBenefit / totalCost, rounded half up to 2 decimal places "
        "(1.57 = £1.57 of benefit for each £1 of cost). Null when there are no costs."
    )
    fiscal_roi: float | None = strawberry.field(
        description="(adjusted FISCAL benefit - totalCost) / totalCost, rounded half up to 2 "
        "decimal places: the cashable return on each £1 beyond the £1 itself (0.45 = 45p; "
        "negative when fiscal savings do not cover the cost). Null when there are no costs."
    )
    payback_months: int | None = strawberry.field(
        description="The first month (month 1 = the project's start month) by whose end "
        "the running total of adjusted FISCAL benefit reaches totalCost. Each benefit is "
        "spread evenly over the calendar months its period touches; one without both dates "
        "falls wholly in the month of its periodStart, or else month 1. Null unless the "
        "adjusted fiscal benefits exceed totalCost."
    )
    present_value_benefit: Money = strawberry.field(
        description="adjustedBenefit discounted at the Green Book rate of 3.5% a year: each "
        "month's share of a line is divided by 1.035^t, t = whole years since the start "
        "month (months 1-12: t = 0, 13-24: t = 1, ...); each line rounded to the penny, "
        "then added."
    )

    @classmethod
    def from_figures(cls, figures: calc.Economics) -> Economics:
        return cls(
            gross_cost=Money.of(figures.gross_cost),
            total_cost=Money.of(figures.total_cost),
            gross_benefit=Money.of(figures.gross_benefit),
            adjusted_benefit=Money.of(figures.adjusted_benefit),
            net_benefit=Money.of(figures.net_benefit),
            benefit_cost_ratio=figures.benefit_cost_ratio,
            fiscal_roi=figures.fiscal_roi,
            payback_months=figures.payback_months,
            present_value_benefit=Money.of(figures.present_value_benefit),
        )


@strawberry.input(description="An amount of money. Inset records money in GBP.")
class MoneyInput:
    amount: Decimal = strawberry.field(
        description='Pounds, more than 0, at most 2 decimal places: "12500.00".'
    )
    currency: CurrencyCode | None = strawberry.field(
        default=CurrencyCode(service.CURRENCY),
        description='Only "GBP" (the default; null means GBP too); any other is INVALID.',
    )


@strawberry.input(
    description="A new cost line, at the project's current stage. Its text is checked for "
    "personal data (as public text when the project is PUBLIC)."
)
class RecordCostInput:
    project_id: strawberry.ID = strawberry.field(description="The project it is a cost of.")
    category: models.CostCategory = strawberry.field(description="What it pays for.")
    description: str = strawberry.field(description="1 to 20,000 characters after trimming.")
    amount: MoneyInput = strawberry.field(description="The total over the period, not a rate.")
    recurring: bool | None = strawberry.field(
        default=False,
        description="Descriptive only: the amount is still counted once. Default (and null) false.",
    )
    period_start: date | None = strawberry.field(
        default=None,
        description="The first day the amount covers, 1 January 1990 to 31 December 2100; "
        "null when not known.",
    )
    period_end: date | None = strawberry.field(
        default=None,
        description="On or after the start, and before the day 30 years after it; included.",
    )
    funding_source: str | None = strawberry.field(
        default=None, description="Who pays, up to 500 characters; blank or null for none."
    )
    confidence: int = strawberry.field(description="1 (audited, local data) .. 6 (expert guess).")
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(
    description="A new benefit line, at the project's current stage. Its text is checked "
    "for personal data (as public text when the project is PUBLIC)."
)
class RecordBenefitInput:
    project_id: strawberry.ID = strawberry.field(description="The project it is a benefit of.")
    kind: models.BenefitKind = strawberry.field(description="Who gains.")
    description: str = strawberry.field(description="1 to 20,000 characters after trimming.")
    amount: MoneyInput | None = strawberry.field(
        default=None, description="The total over the period; leave out until monetised."
    )
    beneficiary: str | None = strawberry.field(
        default=None,
        description="The public body that gains, up to 500 characters; required for FISCAL "
        "(REQUIRED).",
    )
    period_start: date | None = strawberry.field(
        default=None,
        description="The first day the amount covers, 1 January 1990 to 31 December 2100; "
        "null when not known.",
    )
    period_end: date | None = strawberry.field(
        default=None,
        description="On or after the start, and before the day 30 years after it; included.",
    )
    deadweight: float | None = strawberry.field(
        default=0, description="0..1, at most 4 decimal places: what would have happened anyway."
    )
    attribution: float | None = strawberry.field(
        default=1, description="0..1, at most 4 decimal places: the share this project caused."
    )
    confidence: int = strawberry.field(description="1 (audited, local data) .. 6 (expert guess).")
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change; null clears periodStart, "
    "periodEnd, fundingSource or externalId. Every rule of recordCost applies to the result."
)
class UpdateCostInput:
    id: strawberry.ID = strawberry.field(description="The cost line to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    category: models.CostCategory | None = strawberry.field(
        default=strawberry.UNSET, description="The new category; cannot be null."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 20,000 characters; cannot be null."
    )
    amount: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="The total over the period, not a rate."
    )
    recurring: bool | None = strawberry.field(
        default=strawberry.UNSET, description="The new flag (descriptive only)."
    )
    period_start: date | None = strawberry.field(
        default=strawberry.UNSET, description="1 January 1990 to 31 December 2100; null clears it."
    )
    period_end: date | None = strawberry.field(
        default=strawberry.UNSET, description="On or after the start."
    )
    funding_source: str | None = strawberry.field(
        default=strawberry.UNSET, description="Up to 500 characters; null clears it."
    )
    confidence: int | None = strawberry.field(
        default=strawberry.UNSET, description="1 (audited, local data) .. 6 (expert guess)."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change; null clears amount (not yet "
    "monetised), beneficiary (not for FISCAL), the period or externalId, and sets "
    "deadweight to 0 or attribution to 1. Every rule of recordBenefit applies to the result."
)
class UpdateBenefitInput:
    id: strawberry.ID = strawberry.field(description="The benefit line to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    kind: models.BenefitKind | None = strawberry.field(
        default=strawberry.UNSET, description="The new kind; FISCAL needs a beneficiary."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 20,000 characters; cannot be null."
    )
    amount: MoneyInput | None = strawberry.field(
        default=strawberry.UNSET, description="The total over the period; null: not monetised."
    )
    beneficiary: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Up to 500 characters; null clears it (REQUIRED for a FISCAL benefit).",
    )
    period_start: date | None = strawberry.field(
        default=strawberry.UNSET, description="1 January 1990 to 31 December 2100; null clears it."
    )
    period_end: date | None = strawberry.field(
        default=strawberry.UNSET, description="On or after the start."
    )
    deadweight: float | None = strawberry.field(
        default=strawberry.UNSET, description="0..1, at most 4 decimal places."
    )
    attribution: float | None = strawberry.field(
        default=strawberry.UNSET, description="0..1, at most 4 decimal places."
    )
    confidence: int | None = strawberry.field(
        default=strawberry.UNSET, description="1 (audited, local data) .. 6 (expert guess)."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.type(description="The result of recordCost or updateCost.")
class CostPayload:
    cost: Cost | None = strawberry.field(
        description="The cost line as it now stands; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    project_pk: strawberry.Private[int | None]

    @strawberry.field(description="The project as it is after the change.")
    async def project(self, info: Info) -> Project | None:
        return await _project(info, self.project_pk)


@strawberry.type(description="The result of recordBenefit or updateBenefit.")
class BenefitPayload:
    benefit: Benefit | None = strawberry.field(
        description="The benefit line as it now stands; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    project_pk: strawberry.Private[int | None]

    @strawberry.field(description="The project as it is after the change.")
    async def project(self, info: Info) -> Project | None:
        return await _project(info, self.project_pk)


async def _project(info: Info, project_pk: int | None) -> Project | None:
    if project_pk is None:
        return None
    row = await info.context.loaders.load(project_by_id, project_pk)
    return None if row is None else Project.from_model(row)
