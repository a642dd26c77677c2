"""Costs and benefits of a project, and the figures worked out from them (DESIGN.md section 3).

Money arrives as `Decimal` pounds and is stored as whole pence; shares (deadweight,
attribution) arrive as `Decimal` fractions and are stored as basis points. Both stay exact
integers in SQL, and `economics_for` turns them back into the Decimals `calc` works on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor
from inset.audit import service as audit
from inset.db import TEXT_LENGTH, utcnow
from inset.economics import calc
from inset.economics.models import Benefit, BenefitKind, Cost, CostCategory
from inset.errors import Invalid, NotFound, Required, api_name
from inset.projects.models import Project, Visibility
from inset.projects.service import get_project_for_write, touch
from inset.validation import in_range, no_personal_data, period, required_text, text

CURRENCY = "GBP"
MAX_AMOUNT = Decimal("10000000000")  # £10bn: far above any project, below any overflow
SOURCE_LENGTH = 500  # funding_source and beneficiary columns

R = TypeVar("R", Cost, Benefit)

_PENNY = Decimal("0.01")
_BASIS_POINT = Decimal("0.0001")

COST_FIELDS = [
    "category",
    "description",
    "amount_pence",
    "currency",
    "recurring",
    "period_start",
    "period_end",
    "stage",
    "funding_source",
    "confidence",
    "external_id",
]
BENEFIT_FIELDS = [
    "kind",
    "description",
    "amount_pence",
    "currency",
    "beneficiary",
    "period_start",
    "period_end",
    "deadweight_bp",
    "attribution_bp",
    "confidence",
    "stage",
    "external_id",
]
OWNER = "external_owner_id"


def _gbp(currency: str) -> None:
    # The path names the currency inside the MoneyInput, where the API takes it.
    if currency != CURRENCY:
        raise Invalid(
            f"Inset records money in GBP; {currency!r} is not accepted", ("amount", "currency")
        )


def _pence(amount: Decimal) -> int:
    """Whole pence of a positive amount of pounds.

    Trailing zeros are fine ("12.500" is 1250p); a fraction of a penny is refused, not
    rounded, because a silently changed figure is worse than a question.
    """
    field = ("amount", "amount")
    if not amount.is_finite():
        raise Invalid("amount must be a number of pounds, such as 12500.00", field)
    if amount <= 0:
        raise Invalid("amount must be more than zero", field)
    if amount >= MAX_AMOUNT:
        raise Invalid(f"amount must be below £{MAX_AMOUNT:,.2f}", field)
    if amount != amount.quantize(_PENNY):
        raise Invalid("amount must be in pounds and pence: at most 2 decimal places", field)
    return int(amount.quantize(_PENNY).scaleb(2))


def _basis_points(share: Decimal, field: str) -> int:
    """A share from 0 to 1 as basis points: 0.25 -> 2500."""
    if not share.is_finite() or not 0 <= share <= 1:
        raise Invalid(f"{api_name(field)} must be a share from 0 to 1, such as 0.25", (field,))
    if share != share.quantize(_BASIS_POINT):
        raise Invalid(
            f"{api_name(field)} has at most 4 decimal places (0.0001 is one basis point)", (field,)
        )
    return int(share.quantize(_BASIS_POINT).scaleb(4))


def clean_cost(
    project: Project,
    *,
    category: CostCategory,
    description: str,
    amount: Decimal,
    currency: str,
    recurring: bool,
    period_start: date | None,
    period_end: date | None,
    funding_source: str | None,
    confidence: int,
) -> dict[str, Any]:
    """A cost's columns as stored, after every check that recording and correcting share."""
    cleaned = required_text(description, "description", limit=TEXT_LENGTH)
    source = text(funding_source, "funding_source", limit=SOURCE_LENGTH, required=False)
    _gbp(currency)
    pence = _pence(amount)
    in_range(confidence, "confidence", 1, 6)
    period(period_start, period_end)
    no_personal_data(
        {"description": cleaned, "funding_source": source},
        public=project.visibility is Visibility.PUBLIC,
    )
    return {
        "category": category,
        "description": cleaned,
        "amount_pence": pence,
        "currency": CURRENCY,
        "recurring": recurring,
        "period_start": period_start,
        "period_end": period_end,
        "funding_source": source,
        "confidence": confidence,
    }


def clean_benefit(
    project: Project,
    *,
    kind: BenefitKind,
    description: str,
    amount: Decimal | None,
    currency: str,
    beneficiary: str | None,
    period_start: date | None,
    period_end: date | None,
    deadweight: Decimal,
    attribution: Decimal,
    confidence: int,
) -> dict[str, Any]:
    """A benefit's columns as stored, after every check that recording and correcting share."""
    cleaned = required_text(description, "description", limit=TEXT_LENGTH)
    body = text(beneficiary, "beneficiary", limit=SOURCE_LENGTH, required=False)
    if kind is BenefitKind.FISCAL and body is None:
        raise Required(
            ("beneficiary",), "a FISCAL benefit needs its beneficiary: the public body that gains"
        )
    _gbp(currency)
    pence = None if amount is None else _pence(amount)
    deadweight_bp = _basis_points(deadweight, "deadweight")
    attribution_bp = _basis_points(attribution, "attribution")
    in_range(confidence, "confidence", 1, 6)
    period(period_start, period_end)
    no_personal_data(
        {"description": cleaned, "beneficiary": body},
        public=project.visibility is Visibility.PUBLIC,
    )
    return {
        "kind": kind,
        "description": cleaned,
        "amount_pence": pence,
        "currency": CURRENCY,
        "beneficiary": body,
        "period_start": period_start,
        "period_end": period_end,
        "deadweight_bp": deadweight_bp,
        "attribution_bp": attribution_bp,
        "confidence": confidence,
    }


def record_cost(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    category: CostCategory,
    description: str,
    amount: Decimal,
    currency: str = CURRENCY,
    recurring: bool = False,
    period_start: date | None = None,
    period_end: date | None = None,
    funding_source: str | None = None,
    confidence: int,
    external_id: str | None = None,
) -> Cost:
    """A cost line at the project's current stage.

    `amount` is pounds over the whole period (not a rate), more than 0, to the penny.
    `confidence` is the grade 1 (audited, local data) .. 6 (expert guess) that sets the
    optimism bias. `recurring` is descriptive: the figures count `amount` once.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    values = clean_cost(
        project,
        category=category,
        description=description,
        amount=amount,
        currency=currency,
        recurring=recurring,
        period_start=period_start,
        period_end=period_end,
        funding_source=funding_source,
        confidence=confidence,
    )
    owner = records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(external_id)
    records.claim(session, Cost, owner_column=OWNER, owner_id=owner, key=key)
    cost = Cost(
        project_id=project_id,
        **values,
        stage=project.stage,
        recorded_by_id=actor.account_id,
        external_id=key,
        external_owner_id=owner,
    )
    session.add(cost)
    session.flush()
    touch(session=session, project=project)
    _refresh(session, project_id)
    audit.record(
        session=session,
        actor=actor,
        action="cost.record",
        entity=cost,
        organisation_id=project.lead_organisation_id,
        changes=audit.created(cost, COST_FIELDS),
    )
    return cost


def record_benefit(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    kind: BenefitKind,
    description: str,
    amount: Decimal | None,
    currency: str = CURRENCY,
    beneficiary: str | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    deadweight: Decimal = Decimal("0"),
    attribution: Decimal = Decimal("1"),
    confidence: int,
    external_id: str | None = None,
) -> Benefit:
    """A benefit line at the project's current stage.

    `amount` is pounds over the whole period, or None for a benefit described but not yet
    monetised (it counts as zero). `deadweight` is the share that would have happened
    anyway and `attribution` the share of the rest this project caused, each 0..1 to 4
    decimal places. A FISCAL benefit must name its `beneficiary`, the public body that
    gains the cashable saving.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    values = clean_benefit(
        project,
        kind=kind,
        description=description,
        amount=amount,
        currency=currency,
        beneficiary=beneficiary,
        period_start=period_start,
        period_end=period_end,
        deadweight=deadweight,
        attribution=attribution,
        confidence=confidence,
    )
    owner = records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(external_id)
    records.claim(session, Benefit, owner_column=OWNER, owner_id=owner, key=key)
    benefit = Benefit(
        project_id=project_id,
        **values,
        stage=project.stage,
        recorded_by_id=actor.account_id,
        external_id=key,
        external_owner_id=owner,
    )
    session.add(benefit)
    session.flush()
    touch(session=session, project=project)
    _refresh(session, project_id)
    audit.record(
        session=session,
        actor=actor,
        action="benefit.record",
        entity=benefit,
        organisation_id=project.lead_organisation_id,
        changes=audit.created(benefit, BENEFIT_FIELDS),
    )
    return benefit


def _refresh(session: Session, project_id: int) -> None:
    """The project's stored figures, rewritten in the change's transaction."""
    from inset.economics.stored import refresh_project_economics  # it builds on this module

    refresh_project_economics(session=session, project_id=project_id)


def _archive(*, session: Session, actor: Actor, row: R | None, what: str, reason: str) -> R:
    """Archives a live row of a project the actor may change; the reason goes to the audit."""
    if row is None or row.archived_at is not None:
        raise NotFound(what, ("id",))
    # NOT_FOUND for a row of a project the actor may not read, like the row itself.
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=row.project_id, field="id"
        )
    except NotFound:
        raise NotFound(what, ("id",)) from None
    cleaned = required_text(reason, "reason", limit=TEXT_LENGTH)
    no_personal_data({"reason": cleaned}, public=False)
    row.archived_at = utcnow()
    session.add(row)
    touch(session=session, project=project)
    _refresh(session, row.project_id)
    audit.record(
        session=session,
        actor=actor,
        action=f"{what}.archive",
        entity=row,
        organisation_id=project.lead_organisation_id,
        changes={"archived_at": (None, row.archived_at), "reason": (None, cleaned)},
    )
    return row


def archive_cost(*, session: Session, actor: Actor, cost_id: int, reason: str) -> Cost:
    """Hides the cost from lists and figures; the row and its history are kept."""
    cost = session.get(Cost, cost_id)
    return _archive(session=session, actor=actor, row=cost, what="cost", reason=reason)


def archive_benefit(*, session: Session, actor: Actor, benefit_id: int, reason: str) -> Benefit:
    """Hides the benefit from lists and figures; the row and its history are kept."""
    benefit = session.get(Benefit, benefit_id)
    return _archive(session=session, actor=actor, row=benefit, what="benefit", reason=reason)


def live_costs() -> sa.Select[Cost]:
    """Costs not archived. Callers narrow it to projects the viewer may read."""
    return sa.select(Cost).where(col(Cost.archived_at).is_(None))


def live_benefits() -> sa.Select[Benefit]:
    """Benefits not archived. Callers narrow it to projects the viewer may read."""
    return sa.select(Benefit).where(col(Benefit.archived_at).is_(None))


def live_cost_lines() -> sa.Select[int, int, int]:
    """Live costs as plain rows of what the figures read (`CostFigures`) and their
    project: reading hundreds of lines for a page costs a fraction of ORM objects."""
    return sa.select(col(Cost.project_id), col(Cost.amount_pence), col(Cost.confidence)).where(
        col(Cost.archived_at).is_(None)
    )


def live_benefit_lines() -> sa.Select[
    int, int | None, BenefitKind, int, int, int, date | None, date | None
]:
    """Live benefits as plain rows of what the figures read (`BenefitFigures`)."""
    return sa.select(
        col(Benefit.project_id),
        col(Benefit.amount_pence),
        col(Benefit.kind),
        col(Benefit.deadweight_bp),
        col(Benefit.attribution_bp),
        col(Benefit.confidence),
        col(Benefit.period_start),
        col(Benefit.period_end),
    ).where(col(Benefit.archived_at).is_(None))


def pounds(pence: int) -> Decimal:
    """1250000 -> Decimal("12500.00"), exactly."""
    return Decimal(pence).scaleb(-2)


def share(basis_points: int) -> Decimal:
    """2500 -> Decimal("0.2500"), exactly."""
    return Decimal(basis_points).scaleb(-4)


class CostFigures(Protocol):
    """What the figures read of a cost: a `Cost`, or a row of just these columns."""

    @property
    def amount_pence(self) -> int: ...
    @property
    def confidence(self) -> int: ...


class BenefitFigures(Protocol):
    """What the figures read of a benefit: a `Benefit`, or a row of just these columns."""

    @property
    def amount_pence(self) -> int | None: ...
    @property
    def kind(self) -> BenefitKind: ...
    @property
    def deadweight_bp(self) -> int: ...
    @property
    def attribution_bp(self) -> int: ...
    @property
    def confidence(self) -> int: ...
    @property
    def period_start(self) -> date | None: ...
    @property
    def period_end(self) -> date | None: ...


def cost_line(cost: CostFigures) -> calc.CostLine:
    return calc.CostLine(amount=pounds(cost.amount_pence), confidence=cost.confidence)


def benefit_line(benefit: BenefitFigures) -> calc.BenefitLine:
    return calc.BenefitLine(
        amount=None if benefit.amount_pence is None else pounds(benefit.amount_pence),
        kind=benefit.kind.value,
        deadweight=share(benefit.deadweight_bp),
        attribution=share(benefit.attribution_bp),
        confidence=benefit.confidence,
        period_start=benefit.period_start,
        period_end=benefit.period_end,
    )


def adjusted_cost_of(cost: Cost, *, optimism_bias: Sequence[Decimal]) -> Decimal:
    """Pounds to the penny after optimism bias: what the line adds to the total cost."""
    return calc.adjusted_cost(cost_line(cost), optimism_bias)


def adjusted_benefit_of(benefit: Benefit, *, optimism_bias: Sequence[Decimal]) -> Decimal | None:
    """Pounds to the penny after deadweight, attribution and optimism bias; None unmonetised."""
    return calc.adjusted_benefit(benefit_line(benefit), optimism_bias)


def economics_for(
    *,
    costs: Sequence[CostFigures],
    benefits: Sequence[BenefitFigures],
    project_start: date,
    optimism_bias: Sequence[Decimal],
) -> calc.Economics:
    """The project's figures from its live lines (the caller leaves archived ones out)."""
    return calc.compute_economics(
        costs=[cost_line(c) for c in costs],
        benefits=[benefit_line(b) for b in benefits],
        project_start=project_start,
        optimism_bias=optimism_bias,
    )
