"""Cost-benefit arithmetic for one project: pure functions over plain lines.

The method is HM Treasury's 2014 supplementary guidance for local partnerships (the
Greater Manchester model); DESIGN.md section 3 states the rules. Here they are exactly:

- Money is `Decimal` pounds. A line's amount is its total over its period, not a rate.
- Optimism bias is indexed by confidence grade 1..6: it raises a cost and lowers a benefit.
  adjusted cost = amount x (1 + bias);
  adjusted benefit = amount x (1 - deadweight) x attribution x (1 - bias).
  A benefit without an amount is described but not monetised: it counts as zero.
- Each line is rounded to pence, half up, before anything is totalled, so the line figures
  a person sees add up to the totals they see.
- Ratios are floats rounded half up to 2 places, None when there are no costs.
  benefit-cost ratio = adjusted benefit / total cost;
  fiscal ROI = (adjusted fiscal benefit - total cost) / total cost.
- Month 1 is the project's start month. A benefit with both dates is spread evenly over
  every calendar month its period touches; one with fewer dates falls wholly in the month
  of its period_start, or else in month 1. Months before the start count as month 1.
- Payback: all costs fall at the start. It is the first month by which cumulative adjusted
  fiscal benefit reaches the total cost, and None unless fiscal benefits exceed that cost.
- Present value: each month's share of a benefit is multiplied by the discount factor of
  its year t, t being whole years since the start (months 1-12: t=0, 13-24: t=1): 1/1.035**t
  up to year 30, then the Green Book's lower rates for years further ahead (see
  `discount_factor`). Each line's present value is rounded to pence and the rounded lines
  are totalled.

Worked example, project starting 1 April 2025, default bias::

    cost 10,000.00, grade 2               10,000 x 1.05 = 10,500.00 total cost
    fiscal benefit 24,000.00, grade 3,
      deadweight 0.25, attribution 0.8,
      April 2025 to March 2027            24,000 x 0.75 x 0.8 x 0.90 = 12,960.00
    net benefit                           12,960 - 10,500 = 2,460.00
    benefit-cost ratio                    12,960 / 10,500 = 1.234... -> 1.23
    payback                               12,960 / 24 = 540.00 a month; 19 x 540 = 10,260
                                          falls short, 20 x 540 = 10,800 does not -> 20
    present value                         6,480.00 + 6,480.00 / 1.035 = 12,740.87
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from inset.config import DEFAULT_OPTIMISM_BIAS

FISCAL = "FISCAL"
DISCOUNT_RATE = Decimal("0.035")  # HM Treasury Green Book, years 0-30
# The Green Book's schedule (Table 8 of the 2022 edition): the rate for each year up to and
# including the first number; the last rate holds for every year after 300.
DISCOUNT_SCHEDULE = (
    (30, DISCOUNT_RATE),
    (75, Decimal("0.030")),
    (125, Decimal("0.025")),
    (200, Decimal("0.020")),
    (300, Decimal("0.015")),
)
LONG_TERM_DISCOUNT_RATE = Decimal("0.010")

_PENNY = Decimal("0.01")
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CostLine:
    """`amount`: pounds over the line's whole period. `confidence`: 1 (audited) .. 6 (guess)."""

    amount: Decimal
    confidence: int


@dataclass(frozen=True)
class BenefitLine:
    """`amount`: pounds over the whole period, None when not monetised.

    `deadweight` and `attribution` are shares from 0 to 1. `confidence` is 1 .. 6.
    """

    amount: Decimal | None
    kind: str  # "FISCAL" | "ECONOMIC" | "SOCIAL"
    deadweight: Decimal
    attribution: Decimal
    confidence: int
    period_start: date | None
    period_end: date | None


@dataclass(frozen=True)
class Economics:
    """Money in pounds to the penny; each total is the sum of its rounded lines."""

    gross_cost: Decimal
    total_cost: Decimal  # after optimism bias
    gross_benefit: Decimal
    adjusted_benefit: Decimal
    net_benefit: Decimal
    benefit_cost_ratio: float | None
    fiscal_roi: float | None
    payback_months: int | None
    present_value_benefit: Decimal


def round_pence(amount: Decimal) -> Decimal:
    """Half up, as a person rounding by hand would: 0.105 -> 0.11."""
    return amount.quantize(_PENNY, rounding=ROUND_HALF_UP)


def _bias(grade: int, bias: Sequence[Decimal]) -> Decimal:
    if not 1 <= grade <= 6:
        raise ValueError(f"confidence grade must be 1 to 6, not {grade}")
    return bias[grade - 1]


def adjusted_cost(line: CostLine, bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS) -> Decimal:
    """Pounds, to the penny: 1,000.00 at grade 2 (bias 5%) -> 1,050.00."""
    return round_pence(line.amount * (1 + _bias(line.confidence, bias)))


def adjusted_benefit(
    line: BenefitLine, bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS
) -> Decimal | None:
    """Pounds, to the penny; None when the line is not monetised.

    1,000.00 with deadweight 0.2, attribution 0.5, grade 3 (bias 10%):
    1,000 x 0.8 x 0.5 x 0.9 = 360.00.
    """
    # A bias of 100% or more (the guidance allows up to 200%) leaves nothing of a benefit.
    keep = max(1 - _bias(line.confidence, bias), _ZERO)
    if line.amount is None:
        return None
    return round_pence(line.amount * (1 - line.deadweight) * line.attribution * keep)


def months_in_period(start: date, end: date) -> int:
    """Calendar months touched, both ends included: 31 January to 1 February is 2."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _month_number(day: date, project_start: date) -> int:
    """1 for the project's start month, 13 for the same month a year on, 0 the month before."""
    return (day.year - project_start.year) * 12 + day.month - project_start.month + 1


def _months(line: BenefitLine, project_start: date) -> range:
    """Month numbers over which the line's amount is spread evenly."""
    if line.period_start is not None and line.period_end is not None:
        first = _month_number(line.period_start, project_start)
        return range(first, first + months_in_period(line.period_start, line.period_end))
    first = _month_number(line.period_start or project_start, project_start)
    return range(first, first + 1)


def _payback_months(fiscal: Sequence[tuple[Decimal, range]], total_cost: Decimal) -> int | None:
    """The first month by whose end the fiscal benefits, each spread evenly over its months,
    add up to `total_cost`; None unless their total exceeds it.

    Worked in exact fractions, segment by segment between the months where a line starts
    or ends, so the time taken grows with the number of lines, never with their length:
    a benefit that meets the cost to the penny must not miss its month by a rounding
    error in 1/7, nor a period of decades cost a loop over its months.
    """
    if not fiscal or sum((amount for amount, _ in fiscal), _ZERO) <= total_cost:
        return None
    target = Fraction(total_cost)
    # By the end of month 1: every month up to it, those before the start included.
    value = sum(
        (Fraction(amount) * min(max(2 - months.start, 0), len(months)) / len(months))
        for amount, months in fiscal
    )
    if value >= target:
        return 1
    # From month 2 on, each month adds the monthly share of the lines running in it.
    changes: dict[int, Fraction] = {}
    for amount, months in fiscal:
        share = Fraction(amount) / len(months)
        first, last = max(months.start, 2), months.stop - 1
        if first <= last:
            changes[first] = changes.get(first, Fraction(0)) + share
            changes[last + 1] = changes.get(last + 1, Fraction(0)) - share
    month, per_month = 1, Fraction(0)
    for change_at in sorted(changes):
        # Months month+1 .. change_at-1 each add `per_month`.
        if per_month > 0:
            needed = math.ceil((target - value) / per_month)
            if month + needed < change_at:
                return month + needed
            value += per_month * (change_at - 1 - month)
        month, per_month = change_at - 1, per_month + changes[change_at]
    return month  # not reached: by the last line's end the total, above the cost, is in


def discount_factor(year: int) -> Decimal:
    """What 1.00 in `year` is worth today, year 0 being the first twelve months.

    Each year is discounted at the rate of its band, so the factor of year 31 is that of
    year 30 divided by 1.03: 1 / (1.035**30 x 1.03**(t - 30)) for years 31-75, and so on.
    """
    if year < 0:
        raise ValueError(f"a year from the start cannot be negative, not {year}")
    divisor = Decimal(1)
    first = 1
    for last, rate in DISCOUNT_SCHEDULE:
        years = min(year, last) - first + 1
        if years <= 0:
            break
        divisor *= (1 + rate) ** years
        first = last + 1
    if year >= first:
        divisor *= (1 + LONG_TERM_DISCOUNT_RATE) ** (year - first + 1)
    return 1 / divisor


def _present_value(amount: Decimal, months: range) -> Decimal:
    """Pounds today, to the penny, of `amount` spread evenly over `months`.

    One division per year rather than one per month, so a line wholly within year 0
    comes back exactly as it went in; months before the start count in year 0. The
    whole years between a line's first and last year are summed band by band of the
    discount schedule as geometric series, so a line of decades costs no more than a
    line of three years.
    """
    first, last = months.start, months.stop - 1
    first_year, last_year = max(first - 1, 0) // 12, max(last - 1, 0) // 12

    def share(year: int, count: int) -> Decimal:
        return amount * count * discount_factor(year) / len(months)

    if first_year == last_year:
        return round_pence(_ZERO + share(first_year, len(months)))
    head = min(last, 12 * first_year + 12) - first + 1
    tail = last - 12 * last_year
    total = _ZERO + share(first_year, head)
    if last_year - first_year > 1:  # whole years in between: 12 months each
        total += amount * 12 * _sum_of_factors(first_year + 1, last_year - 1) / len(months)
    return round_pence(total + share(last_year, tail))


def _sum_of_factors(first: int, last: int) -> Decimal:
    """The sum of `discount_factor(year)` for the years first..last, in one geometric
    series for each band of the schedule they cross."""
    total, year = _ZERO, first
    while year <= last:
        band_last, rate = next(
            ((end, rate) for end, rate in DISCOUNT_SCHEDULE if year <= end),
            (last, LONG_TERM_DISCOUNT_RATE),
        )
        end = min(last, band_last)
        ratio = 1 / (1 + rate)
        total += discount_factor(year) * (1 - ratio ** (end - year + 1)) / (1 - ratio)
        year = end + 1
    return total


def _ratio(numerator: Decimal, denominator: Decimal) -> float | None:
    if denominator == 0:
        return None
    return float((numerator / denominator).quantize(_PENNY, rounding=ROUND_HALF_UP))


def compute_economics(
    *,
    costs: Sequence[CostLine],
    benefits: Sequence[BenefitLine],
    project_start: date,
    optimism_bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS,
) -> Economics:
    """The project's figures from its lines; `optimism_bias` holds grades 1..6 as fractions."""
    total_cost = sum((adjusted_cost(line, optimism_bias) for line in costs), _ZERO)
    gross_benefit = _ZERO
    adjusted = _ZERO
    adjusted_fiscal = _ZERO
    present_value = _ZERO
    fiscal: list[tuple[Decimal, range]] = []
    for line in benefits:
        amount = adjusted_benefit(line, optimism_bias)
        if line.amount is None or amount is None:
            continue
        months = _months(line, project_start)
        gross_benefit += line.amount
        adjusted += amount
        present_value += _present_value(amount, months)
        if line.kind == FISCAL:
            adjusted_fiscal += amount
            fiscal.append((amount, months))
    return Economics(
        gross_cost=sum((line.amount for line in costs), _ZERO),
        total_cost=total_cost,
        gross_benefit=gross_benefit,
        adjusted_benefit=adjusted,
        net_benefit=adjusted - total_cost,
        benefit_cost_ratio=_ratio(adjusted, total_cost),
        fiscal_roi=_ratio(adjusted_fiscal - total_cost, total_cost),
        payback_months=_payback_months(fiscal, total_cost),
        present_value_benefit=present_value,
    )
