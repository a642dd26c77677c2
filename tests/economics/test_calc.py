"""Every figure here is worked out by hand in a comment first, then asserted."""

import random
from datetime import date
from decimal import Decimal

import pytest

from inset.economics.calc import (
    BenefitLine,
    CostLine,
    adjusted_benefit,
    adjusted_cost,
    compute_economics,
    discount_factor,
    months_in_period,
    round_pence,
)

START = date(2025, 4, 1)


def cost(amount: str, confidence: int = 1) -> CostLine:
    return CostLine(amount=Decimal(amount), confidence=confidence)


def benefit(
    amount: str | None,
    *,
    kind: str = "FISCAL",
    deadweight: str = "0",
    attribution: str = "1",
    confidence: int = 1,
    period_start: date | None = None,
    period_end: date | None = None,
) -> BenefitLine:
    return BenefitLine(
        amount=None if amount is None else Decimal(amount),
        kind=kind,
        deadweight=Decimal(deadweight),
        attribution=Decimal(attribution),
        confidence=confidence,
        period_start=period_start,
        period_end=period_end,
    )


# Default bias by grade: 0%, 5%, 10%, 15%, 25%, 40%.
@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (1, "1000.00"),  # 1,000 x 1.00
        (2, "1050.00"),  # 1,000 x 1.05
        (3, "1100.00"),  # 1,000 x 1.10
        (4, "1150.00"),  # 1,000 x 1.15
        (5, "1250.00"),  # 1,000 x 1.25
        (6, "1400.00"),  # 1,000 x 1.40
    ],
)
def test_optimism_bias_raises_a_cost_by_its_grade(grade: int, expected: str) -> None:
    # given a cost of 1,000.00 at a confidence grade
    line = cost("1000.00", confidence=grade)
    # when it is adjusted, then it rises by that grade's bias
    assert adjusted_cost(line) == Decimal(expected)


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        (1, "1000.00"),  # 1,000 x (1 - 0)
        (2, "950.00"),  # 1,000 x (1 - 0.05)
        (3, "900.00"),  # 1,000 x (1 - 0.10)
        (4, "850.00"),  # 1,000 x (1 - 0.15)
        (5, "750.00"),  # 1,000 x (1 - 0.25)
        (6, "600.00"),  # 1,000 x (1 - 0.40)
    ],
)
def test_optimism_bias_lowers_a_benefit_by_its_grade(grade: int, expected: str) -> None:
    # given a benefit of 1,000.00 at a confidence grade, no deadweight, full attribution
    line = benefit("1000.00", confidence=grade)
    # when it is adjusted, then it falls by that grade's bias
    assert adjusted_benefit(line) == Decimal(expected)


def test_a_bias_passed_in_replaces_the_default() -> None:
    # given a bias of 50% for grade 1
    bias = [Decimal("0.5")] + [Decimal("0")] * 5
    # then 200.00 of cost becomes 200 x 1.5 = 300.00 and of benefit 200 x 0.5 = 100.00
    assert adjusted_cost(cost("200.00"), bias) == Decimal("300.00")
    assert adjusted_benefit(benefit("200.00"), bias) == Decimal("100.00")


def test_deadweight_and_attribution_reduce_a_benefit() -> None:
    # given 10,000.00 of which a quarter would have happened anyway, and 60% of the rest
    # is down to this project, at grade 3
    line = benefit("10000.00", deadweight="0.25", attribution="0.6", confidence=3)
    # then 10,000 x 0.75 x 0.6 x 0.9 = 4,050.00
    assert adjusted_benefit(line) == Decimal("4050.00")


def test_a_benefit_without_an_amount_counts_as_zero() -> None:
    # given a described but unmonetised social benefit beside a 500.00 fiscal one
    described = benefit(None, kind="SOCIAL", confidence=6)
    # then it has no adjusted amount, and the totals are the fiscal line's alone
    assert adjusted_benefit(described) is None
    economics = compute_economics(
        costs=[cost("100.00")], benefits=[described, benefit("500.00")], project_start=START
    )
    assert economics.gross_benefit == Decimal("500.00")
    assert economics.adjusted_benefit == Decimal("500.00")
    assert economics.present_value_benefit == Decimal("500.00")


def test_each_line_is_rounded_to_pence_half_up() -> None:
    # 0.10 x 1.05 = 0.105 -> 0.11 (half even would give 0.10)
    assert adjusted_cost(cost("0.10", confidence=2)) == Decimal("0.11")
    # 333.33 x 0.85 = 283.3305 -> 283.33
    assert adjusted_benefit(benefit("333.33", confidence=4)) == Decimal("283.33")
    assert round_pence(Decimal("2.675")) == Decimal("2.68")


def test_totals_are_the_sums_of_the_rounded_lines() -> None:
    # given three costs of 0.10 at grade 2, each adjusted to 0.105 -> 0.11
    costs = [cost("0.10", confidence=2)] * 3
    # when totalled
    economics = compute_economics(costs=costs, benefits=[], project_start=START)
    # then 0.11 + 0.11 + 0.11 = 0.33, not round(0.315) = 0.32
    assert economics.gross_cost == Decimal("0.30")
    assert economics.total_cost == Decimal("0.33")


def test_net_benefit_and_benefit_cost_ratio() -> None:
    # given 3,000.00 of cost and 10,000.00 of social benefit, both grade 1
    economics = compute_economics(
        costs=[cost("3000.00")], benefits=[benefit("10000.00", kind="SOCIAL")], project_start=START
    )
    # then net benefit = 10,000 - 3,000 = 7,000.00 and BCR = 10,000 / 3,000 = 3.333 -> 3.33
    assert economics.net_benefit == Decimal("7000.00")
    assert economics.benefit_cost_ratio == 3.33


def test_a_negative_net_benefit_is_shown_as_it_is() -> None:
    # given 8,000.00 of cost and 2,000.00 of benefit
    economics = compute_economics(
        costs=[cost("8000.00")], benefits=[benefit("2000.00")], project_start=START
    )
    # then net = 2,000 - 8,000 = -6,000.00, BCR = 0.25 and ROI = -6,000 / 8,000 = -0.75
    assert economics.net_benefit == Decimal("-6000.00")
    assert economics.benefit_cost_ratio == 0.25
    assert economics.fiscal_roi == -0.75


def test_ratios_are_none_when_there_are_no_costs() -> None:
    # given benefits but no costs
    economics = compute_economics(costs=[], benefits=[benefit("500.00")], project_start=START)
    # then there is nothing to divide by
    assert economics.total_cost == Decimal("0.00")
    assert economics.benefit_cost_ratio is None
    assert economics.fiscal_roi is None
    assert economics.net_benefit == Decimal("500.00")


def test_fiscal_roi_counts_only_fiscal_benefits() -> None:
    # given 10,000.00 of cost, 15,000.00 fiscal and 50,000.00 social benefit, all grade 1
    economics = compute_economics(
        costs=[cost("10000.00")],
        benefits=[benefit("15000.00"), benefit("50000.00", kind="SOCIAL")],
        project_start=START,
    )
    # then ROI = (15,000 - 10,000) / 10,000 = 0.5, while BCR = 65,000 / 10,000 = 6.5
    assert economics.fiscal_roi == 0.5
    assert economics.benefit_cost_ratio == 6.5


def test_payback_comes_in_the_month_fiscal_benefits_reach_the_costs() -> None:
    # given 12,000.00 of cost and 24,000.00 fiscal benefit over the first 12 months
    economics = compute_economics(
        costs=[cost("12000.00")],
        benefits=[benefit("24000.00", period_start=START, period_end=date(2026, 3, 31))],
        project_start=START,
    )
    # then 24,000 / 12 = 2,000 a month; 6 x 2,000 = 12,000 reaches the cost in month 6
    assert economics.payback_months == 6


def test_payback_is_none_when_fiscal_benefits_do_not_outrun_costs() -> None:
    # given 12,000.00 of cost, exactly 12,000.00 fiscal and 90,000.00 social benefit
    economics = compute_economics(
        costs=[cost("12000.00")],
        benefits=[
            benefit("12000.00", period_start=START, period_end=date(2026, 3, 31)),
            benefit("90000.00", kind="SOCIAL"),
        ],
        project_start=START,
    )
    # then fiscal benefit only equals the cost, so there is no payback
    assert economics.payback_months is None


def test_payback_counts_undated_and_earlier_benefits_in_the_first_month() -> None:
    # given 1,000.00 of cost, 600.00 fiscal benefit with no dates and 600.00 dated
    # January to February 2025, before the April start
    economics = compute_economics(
        costs=[cost("1000.00")],
        benefits=[
            benefit("600.00"),
            benefit("600.00", period_start=date(2025, 1, 1), period_end=date(2025, 2, 28)),
        ],
        project_start=START,
    )
    # then month 1 holds 600 + 600 = 1,200, already at least 1,000
    assert economics.payback_months == 1


def test_present_value_leaves_year_zero_and_discounts_year_two() -> None:
    # given 1,035.00 of benefit in April 2025 - March 2026 (months 1-12, t = 0) and
    # 1,035.00 in April 2026 - March 2027 (months 13-24, t = 1)
    economics = compute_economics(
        costs=[],
        benefits=[
            benefit("1035.00", period_start=START, period_end=date(2026, 3, 31)),
            benefit("1035.00", period_start=date(2026, 4, 1), period_end=date(2027, 3, 31)),
        ],
        project_start=START,
    )
    # then 1,035.00 + 1,035.00 / 1.035 = 1,035.00 + 1,000.00 = 2,035.00
    assert economics.present_value_benefit == Decimal("2035.00")


def test_present_value_splits_a_line_across_years_by_its_months() -> None:
    # given 1,800.00 over October 2025 - March 2027: 18 months of 100.00,
    # 6 in year one (months 7-12) and 12 in year two (months 13-24)
    economics = compute_economics(
        costs=[],
        benefits=[benefit("1800.00", period_start=date(2025, 10, 1), period_end=date(2027, 3, 31))],
        project_start=START,
    )
    # then 600.00 + 1,200.00 / 1.035 = 600.00 + 1,159.4203 = 1,759.4203 -> 1,759.42
    assert economics.present_value_benefit == Decimal("1759.42")


# The Green Book's schedule: 3.5% a year for years 1-30, 3.0% for 31-75, 2.5% for 76-125.
# By hand: 1.035^30 = 2.80679370...; x 1.03 = 2.89099752 (year 31);
# 1.035^30 x 1.03^45 = 10.61415940 (year 75); x 1.025 = 10.87951339 (year 76).
@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (30, "356278.41"),  # 1,000,000 / 2.80679370 = 356,278.4106
        (31, "345901.37"),  # 1,000,000 / 2.89099752 = 345,901.3695 (3.0% from year 31)
        (75, "94213.77"),  # 1,000,000 / 10.61415940 = 94,213.7726
        (76, "91915.88"),  # 1,000,000 / 10.87951339 = 91,915.8757 (2.5% from year 76)
    ],
)
def test_present_value_follows_the_green_books_lower_rates_after_year_thirty(
    year: int, expected: str
) -> None:
    # given 1,000,000.00 of benefit in the twelve months of year `year` from the start
    first = date(START.year + year, START.month, 1)
    economics = compute_economics(
        costs=[],
        benefits=[
            benefit("1000000.00", period_start=first, period_end=date(first.year + 1, 3, 31))
        ],
        project_start=START,
    )

    assert economics.present_value_benefit == Decimal(expected)


def test_the_discount_factor_of_a_year_is_that_of_the_year_before_over_its_rate() -> None:
    def rate(year: int) -> Decimal:
        return round(discount_factor(year - 1) / discount_factor(year) - 1, 15)

    assert discount_factor(0) == 1
    years = (1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301, 400)
    rates = "0.035 0.035 0.03 0.03 0.025 0.025 0.02 0.02 0.015 0.015 0.01 0.01"
    assert [rate(y) for y in years] == [Decimal(r) for r in rates.split()]


def test_a_bias_of_up_to_two_hundred_percent_raises_costs_and_leaves_no_benefit_below_zero() -> (
    None
):
    # given grade 6 at 200% and grade 5 at 150% (the guidance's upper bounds go that high)
    bias = [Decimal(0)] * 4 + [Decimal("1.5"), Decimal("2")]

    # then a cost of 1,000 at grade 6 counts 1,000 x 3 = 3,000.00, and a benefit at
    # grade 5 counts 1,000 x (1 - 1.5) -> nothing, never less than nothing
    assert adjusted_cost(cost("1000.00", 6), bias) == Decimal("3000.00")
    assert adjusted_benefit(benefit("1000.00", confidence=5), bias) == Decimal("0.00")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 4, 10), date(2025, 4, 20), 1),
        (date(2025, 1, 31), date(2025, 2, 1), 2),
        (date(2025, 4, 1), date(2026, 3, 31), 12),
        (date(2025, 11, 15), date(2027, 2, 1), 16),  # Nov, Dec + 12 + Jan, Feb
    ],
)
def test_months_in_period_counts_every_calendar_month_touched(
    start: date, end: date, expected: int
) -> None:
    assert months_in_period(start, end) == expected


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        months_in_period(date(2025, 5, 1), date(2025, 4, 30))


@pytest.mark.parametrize("grade", [0, 7])
def test_a_grade_outside_one_to_six_is_refused(grade: int) -> None:
    with pytest.raises(ValueError, match="grade must be 1 to 6"):
        adjusted_cost(cost("1.00", confidence=grade))
    with pytest.raises(ValueError, match="grade must be 1 to 6"):
        adjusted_benefit(benefit(None, confidence=grade))


def test_the_worked_example_in_the_readme() -> None:
    # given the lines of docs/economics-example.md, the project starting 1 April 2025
    economics = compute_economics(
        costs=[
            cost("40000.00", confidence=2),  # 40,000 x 1.05 = 42,000.00
            cost("8000.00", confidence=4),  # 8,000 x 1.15 = 9,200.00
        ],
        benefits=[
            # 90,000 x 0.80 x 0.75 x 0.90 = 48,600.00; 4,050.00 a month in months 1-12
            benefit(
                "90000.00",
                deadweight="0.20",
                attribution="0.75",
                confidence=3,
                period_start=date(2025, 4, 1),
                period_end=date(2026, 3, 31),
            ),
            # 60,000 x 0.90 x 0.50 x 0.95 = 25,650.00; 2,137.50 a month in months 13-24
            benefit(
                "60000.00",
                deadweight="0.10",
                attribution="0.5",
                confidence=2,
                period_start=date(2026, 4, 1),
                period_end=date(2027, 3, 31),
            ),
            # 10,000 x 0.85 x 1 x 0.75 = 6,375.00 over 18 months, months 7-24
            benefit(
                "10000.00",
                kind="SOCIAL",
                deadweight="0.15",
                confidence=5,
                period_start=date(2025, 10, 1),
                period_end=date(2027, 3, 31),
            ),
        ],
        project_start=START,
    )
    # then
    # gross cost 40,000 + 8,000 = 48,000.00; total cost 42,000 + 9,200 = 51,200.00
    assert economics.gross_cost == Decimal("48000.00")
    assert economics.total_cost == Decimal("51200.00")
    # gross benefit 90,000 + 60,000 + 10,000 = 160,000.00
    # adjusted benefit 48,600 + 25,650 + 6,375 = 80,625.00
    assert economics.gross_benefit == Decimal("160000.00")
    assert economics.adjusted_benefit == Decimal("80625.00")
    # net benefit 80,625 - 51,200 = 29,425.00
    assert economics.net_benefit == Decimal("29425.00")
    # BCR 80,625 / 51,200 = 1.5747 -> 1.57
    assert economics.benefit_cost_ratio == 1.57
    # fiscal 48,600 + 25,650 = 74,250; ROI (74,250 - 51,200) / 51,200 = 0.4502 -> 0.45
    assert economics.fiscal_roi == 0.45
    # month 12: 12 x 4,050 = 48,600 < 51,200; month 13: + 2,137.50 = 50,737.50 < 51,200;
    # month 14: + 2,137.50 = 52,875.00 >= 51,200
    assert economics.payback_months == 14
    # PV: 48,600.00 (t = 0)
    #   + 25,650 / 1.035 = 24,782.6087 -> 24,782.61 (t = 1)
    #   + 6,375 x 6/18 = 2,125.00 (t = 0) + 6,375 x 12/18 / 1.035 = 4,250 / 1.035
    #     = 4,106.2802, together 6,231.2802 -> 6,231.28
    #   = 48,600.00 + 24,782.61 + 6,231.28 = 79,613.89
    assert economics.present_value_benefit == Decimal("79613.89")


def _payback_by_months(lines: list[BenefitLine], total_cost: Decimal) -> int | None:
    """The definition, month by month: the first month by whose end the fiscal benefits,
    each spread evenly over its months (those before the start in month 1), reach the
    cost. Slow for long periods; the code must agree with it."""
    fiscal = [line for line in lines if line.kind == "FISCAL" and line.amount is not None]
    if sum((line.amount or Decimal(0) for line in fiscal), Decimal(0)) <= total_cost:
        return None
    spread = []
    for line in fiscal:
        start = line.period_start or START
        end = line.period_end or start
        first = (start.year - START.year) * 12 + start.month - START.month + 1
        spread.append((line.amount or Decimal(0), first, months_in_period(start, end)))
    month = 1
    while True:
        reached = sum(
            (a * min(max(month - first + 1, 0), n) / n for a, first, n in spread), Decimal(0)
        )
        if reached >= total_cost:
            return month
        month += 1


@pytest.mark.parametrize("seed", range(40))
def test_payback_agrees_with_counting_month_by_month(seed: int) -> None:
    draw = random.Random(seed)
    lines = []
    for _ in range(draw.randint(1, 5)):
        start = date(draw.randint(2023, 2027), draw.randint(1, 12), 1)
        end = date(start.year + draw.randint(0, 4), draw.randint(1, 12), 28)
        lines.append(
            benefit(
                f"{draw.randint(100, 5_000_000)}.{draw.randint(0, 99):02d}",
                period_start=start,
                period_end=max(start, end),
            )
        )
    cost_amount = f"{draw.randint(100, 4_000_000)}.00"

    figures = compute_economics(costs=[cost(cost_amount)], benefits=lines, project_start=START)

    assert figures.payback_months == _payback_by_months(lines, Decimal(cost_amount))


def test_a_benefit_meeting_the_cost_to_the_penny_pays_back_in_that_month() -> None:
    # 700.00 over 7 months is 100.00 a month: 300.00 is met exactly at month 3.
    line = benefit("700.00", period_start=START, period_end=date(2025, 10, 31))

    figures = compute_economics(costs=[cost("300.00")], benefits=[line], project_start=START)

    assert figures.payback_months == 3


def test_present_value_of_a_long_line_is_each_years_share_discounted() -> None:
    # 100 years of 1,200.00 a year (a line written before periods were bounded): the
    # years in between are geometric series band by band of the Green Book's schedule
    # (3.5% to year 30, 3.0% to 75, 2.5% after), the same to the penny as year by year.
    line = benefit("120000.00", period_start=START, period_end=date(2125, 3, 31))

    def factor(t: int) -> Decimal:
        bands = [(min(t, 30), "1.035"), (min(max(t - 30, 0), 45), "1.03")]
        bands.append((max(t - 75, 0), "1.025"))
        divisor = Decimal(1)
        for years, rate in bands:
            divisor *= Decimal(rate) ** years
        return 1 / divisor

    by_year = round_pence(sum((Decimal(1200) * factor(t) for t in range(100)), Decimal(0)))

    figures = compute_economics(costs=[], benefits=[line], project_start=START)

    assert figures.present_value_benefit == by_year
