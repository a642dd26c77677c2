"""The portfolio over a period and compared across groups, worked out by hand on the
portfolio of `tests.portfolio.fixed_portfolio` (its docstring has the table)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from inset.access import Actor
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.portfolio import breakdown, service, stories, timeline
from inset.projects.models import Project
from inset.projects.period import Period
from inset.projects.service import project_list
from tests.portfolio.fixed_portfolio import H1_2025


def ids(engine: Any, actor: Actor, **filters: Any) -> list[int]:
    with Session(engine) as session:
        stmt = project_list(actor=actor, **filters).with_only_columns(Project.id)
        return sorted(session.scalars(stmt))


def test_a_period_selects_the_projects_under_way_in_it(engine, fixed):
    # P3 was stopped before 2025 began; P4 was created in April
    assert ids(engine, fixed.staff, period=H1_2025) == sorted(
        [fixed.p1.id, fixed.p2.id, fixed.p4.id]
    )
    first_quarter = Period(date(2025, 1, 1), date(2025, 3, 31))
    assert ids(engine, fixed.staff, period=first_quarter) == sorted([fixed.p1.id, fixed.p2.id])
    # both ends are whole days included: P4, created 10 April 09:00, is in a period ending
    # on 10 April, not in one ending on 9 April
    assert fixed.p4.id in ids(engine, fixed.staff, period=Period(None, date(2025, 4, 10)))
    assert fixed.p4.id not in ids(engine, fixed.staff, period=Period(None, date(2025, 4, 9)))
    # P3, stopped on 20 December 2024, is in a period from that day, not from the day after
    assert fixed.p3.id in ids(engine, fixed.staff, period=Period(date(2024, 12, 20), None))
    assert fixed.p3.id not in ids(engine, fixed.staff, period=Period(date(2024, 12, 21), None))


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(Exception, match="must end on or after it starts"):
        Period.of(date(2025, 2, 1), date(2025, 1, 31), ("filter",))


def test_entries_by_quarter_count_creations_and_gos_in_the_period(engine, fixed):
    with Session(engine) as session:
        quarters = timeline.stage_entries(
            session=session,
            projects=project_list(actor=fixed.staff, period=H1_2025),
            interval=timeline.Interval.QUARTER,
            period=H1_2025,
        )

    assert [(q.label, q.start, q.end, q.counts) for q in quarters] == [
        # P1 and P2 created; P1 to PILOT on 15 Feb
        ("Jan to Mar 2025", date(2025, 1, 1), date(2025, 3, 31), (2, 1, 0, 0)),
        # P4 created; P2 to PILOT on 3 Apr; P1 to EVALUATION on 20 May
        ("Apr to Jun 2025", date(2025, 4, 1), date(2025, 6, 30), (1, 1, 1, 0)),
    ]


def test_entries_by_month_run_from_the_first_to_the_last_with_zeros_between(engine, fixed):
    with Session(engine) as session:
        months = timeline.stage_entries(
            session=session,
            projects=project_list(actor=fixed.staff),
            interval=timeline.Interval.MONTH,
        )

    # a STOP is no entry: December 2024 has none
    assert [(m.label, m.counts) for m in months] == [
        ("Nov 2024", (1, 0, 0, 0)),
        ("Dec 2024", (0, 0, 0, 0)),
        ("Jan 2025", (1, 0, 0, 0)),
        ("Feb 2025", (1, 1, 0, 0)),
        ("Mar 2025", (0, 0, 0, 0)),
        ("Apr 2025", (1, 1, 0, 0)),
        ("May 2025", (0, 0, 1, 0)),
    ]


def test_groups_by_region_and_by_theme_with_their_money(engine, fixed):
    def groups(by: breakdown.Grouping) -> list[tuple[Any, ...]]:
        with Session(engine) as session:
            rows = breakdown.breakdown(
                session=session,
                projects=project_list(actor=fixed.staff),
                by=by,
                optimism_bias=DEFAULT_OPTIMISM_BIAS,
            )
        return [
            (
                g.key,
                g.label,
                g.project_count,
                [c.count for c in g.stage_counts()],
                g.strong_evidence,
                g.money.total_cost,
                g.money.adjusted_benefit,
                g.money.benefit_cost_ratio,
            )
            for g in rows
        ]

    # costs: P1 1,000.00 x 1.05 = 1,050.00; P4 200.00 x 1.00; benefit: P1 3,000.00 as is
    assert groups(breakdown.Grouping.REGION) == [
        # P1, P2; 3,000.00 / 1,050.00 = 2.857
        ("North West", "North West", 2, [0, 1, 1, 0], 1, 1050_00, 3000_00, 2.86),
        ("", "Unknown", 2, [2, 0, 0, 0], 0, 200_00, 0, 0.0),  # P3, P4
    ]
    assert groups(breakdown.Grouping.ORGANISATION_KIND) == [
        ("CHARITY", "Charity", 2, [2, 0, 0, 0], 0, 200_00, 0, 0.0),
        ("LOCAL_AUTHORITY", "Local authority", 2, [0, 1, 1, 0], 1, 1050_00, 3000_00, 2.86),
    ]
    # P1 is in both themes' groups: five memberships of four projects
    assert groups(breakdown.Grouping.THEME) == [
        (fixed.edge, "Edge of care", 2, [0, 1, 1, 0], 1, 1050_00, 3000_00, 2.86),  # P1, P2
        (fixed.fostering, "Fostering", 2, [1, 0, 1, 0], 1, 1250_00, 3000_00, 2.4),  # P1, P4
        ("", "No theme", 1, [1, 0, 0, 0], 0, 0, 0, None),  # P3
    ]


def test_success_stories_rank_outcomes_by_improvement_on_their_baseline(engine, fixed):
    def ranked(actor: Actor, period: Period | None = None) -> list[tuple[int, str, str, str]]:
        with Session(engine) as session:
            rows = stories.success_stories(
                session=session,
                projects=project_list(actor=actor, period=period),
                first=10,
                period=period,
            )
        return [
            (s.project.id or 0, str(s.latest), str(s.change), f"{s.improvement:.3f}") for s in rows
        ]

    # P2: 50 up to 78, higher is better: 28 / 50 = 0.560; P1: 45 down to 24, lower is
    # better: 21 / 45 = 0.467; P4 got worse, P3's baseline is 0
    assert ranked(fixed.staff) == [
        (fixed.p2.id, "78", "28", "0.560"),
        (fixed.p1.id, "24", "-21", "0.467"),
    ]
    # a member of a third organisation may not read P2
    assert ranked(fixed.member_c) == [(fixed.p1.id, "24", "-21", "0.467")]
    # in the first quarter P1's latest reading was 30: 15 / 45; P2 had none yet
    first_quarter = Period(date(2025, 1, 1), date(2025, 3, 31))
    assert ranked(fixed.staff, first_quarter) == [(fixed.p1.id, "30", "-15", "0.333")]


def test_barriers_count_barrier_and_what_did_not_work_lessons_and_enablers_apart(engine, fixed):
    def tags(compute: Any, period: Period | None = None) -> list[tuple[str, int]]:
        with Session(engine) as session:
            rows = compute(
                session=session,
                actor=fixed.staff,
                projects=project_list(actor=fixed.staff, period=period),
                first=10,
                period=period,
            )
        return [(g.key, g.count) for g in rows]

    # funding: P1's BARRIER and WHAT_DID_NOT_WORK lessons; demand: P3's STOP lesson;
    # P1's WHAT_WORKED (technology), ENABLER and RECOMMENDATION (skills) tags do not count
    assert tags(service.top_barriers) == [("funding", 2), ("culture", 1), ("demand", 1)]
    assert tags(service.top_enablers) == [("partnership", 1)]
    # P3 was stopped before 2025
    assert tags(service.top_barriers, H1_2025) == [("funding", 2), ("culture", 1)]
