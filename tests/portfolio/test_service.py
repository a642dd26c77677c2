"""The portfolio's figures, worked out by hand over a small portfolio, for each kind of viewer.

The portfolio (days are days before NOW):

| project | lead org                | visible | themes          | history               |
|---------|-------------------------|---------|-----------------|-----------------------|
| P1      | A (local authority, NW) | MEMBERS | Edge, Fostering | 200 GO150 GO100       |
| P2      | A                       | PUBLIC  | Edge            | 120 GO100 RECYCLE90 GO60 |
| P3      | B (charity, no region)  | MEMBERS | none            | 80 STOP40             |
| P4      | B                       | PUBLIC  | Fostering       | 30 HOLD10             |
| P5      | A                       | PRIVATE | Edge            | 400 GO380 GO300 GO200 |

"200 GO150" reads: created 200 days before NOW, a GO 150 days before NOW.
So P1 is at EVALUATION, P2 at PILOT, P3 stopped at IDEA, P4 on hold at IDEA, P5 at SCALE.
Staff and A's lead read all five; a member of a third organisation C reads P1-P4; anonymous
readers read P2 and P4. P5, PRIVATE to A, must change nothing for C or for anonymous.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.access import ANONYMOUS, Actor
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import transaction, utcnow
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory
from inset.errors import DomainError, ErrorCode
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates.models import GateDecision, GateDecisionKind
from inset.gates.service import decide_gate
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.lessons.service import InlineLesson
from inset.organisations.models import OrganisationKind
from inset.portfolio import service, stages
from inset.portfolio.service import GroupCount, StageCount
from inset.portfolio.stages import StageConversion, StageDuration
from inset.projects.models import Project, Stage, Visibility
from inset.projects.service import project_list

GO = GateDecisionKind.GO
HOLD = GateDecisionKind.HOLD
RECYCLE = GateDecisionKind.RECYCLE
STOP = GateDecisionKind.STOP
IDEA, PILOT, EVALUATION, SCALE = Stage.IDEA, Stage.PILOT, Stage.EVALUATION, Stage.SCALE


def lesson(*barriers: str) -> InlineLesson:
    return InlineLesson(
        kind=LessonKind.WHAT_DID_NOT_WORK,
        title="Referrals dried up",
        body="We expected twenty referrals a month and had four; ask the teams first.",
        barriers=list(barriers),
    )


@dataclass
class Portfolio:
    now: datetime
    staff: Actor
    lead_a: Actor
    member_c: Actor
    edge: str  # theme global ids
    fostering: str
    fostering_pk: int
    p1: Project
    p2: Project
    p3: Project
    p4: Project
    p5: Project


def decide(world: Any, project: Project, decision: GateDecisionKind, **options: Any) -> None:
    """Takes a decision as staff; a GO overrides the criteria, which are not the point here."""
    with transaction(world.engine) as session:
        current = session.get(Project, project.id)
        assert current is not None
        decide_gate(
            session=session,
            actor=world.staff,
            project_id=project.id,
            decision=decision,
            rationale="Agreed at the portfolio panel",
            expected_version=current.version,
            override=decision is GO,
            **options,
        )


def backdate(
    engine: Any, project: Project, now: datetime, *, created: int, decided: list[int], entered: int
) -> None:
    """Sets the project's history `created`/`decided`/`entered` days before `now`; the
    decisions' days are given in the order the decisions were taken."""

    def at(days: int) -> datetime:
        return now - timedelta(days=days)

    with transaction(engine) as session:
        ids = session.scalars(
            sa.select(GateDecision.id)
            .where(GateDecision.project_id == project.id)
            .order_by(GateDecision.id)
        ).all()
        assert len(ids) == len(decided)
        for decision_id, days in zip(ids, decided, strict=True):
            session.execute(
                sa.update(GateDecision)
                .where(GateDecision.id == decision_id)
                .values(decided_at=at(days))
            )
        session.execute(
            sa.update(Project)
            .where(Project.id == project.id)
            .values(
                created_at=at(created),
                stage_entered_at=at(entered),
                last_decision_at=at(decided[-1] if decided else created),
            )
        )


def cost(world: Any, project: Project, amount: str, confidence: int) -> int:
    with transaction(world.engine) as session:
        row = economics.record_cost(
            session=session,
            actor=world.staff,
            project_id=project.id,
            category=CostCategory.STAFF,
            description="Family support workers",
            amount=Decimal(amount),
            confidence=confidence,
        )
        return row.id or 0


def benefit(
    world: Any,
    project: Project,
    amount: str | None,
    confidence: int,
    deadweight: str = "0",
    attribution: str = "1",
    kind: BenefitKind = BenefitKind.SOCIAL,
) -> None:
    with transaction(world.engine) as session:
        economics.record_benefit(
            session=session,
            actor=world.staff,
            project_id=project.id,
            kind=kind,
            description="Fewer children coming into care",
            amount=None if amount is None else Decimal(amount),
            beneficiary="Children's services" if kind is BenefitKind.FISCAL else None,
            deadweight=Decimal(deadweight),
            attribution=Decimal(attribution),
            confidence=confidence,
        )


def record_lesson(world: Any, project: Project, *barriers: str) -> int:
    with transaction(world.engine) as session:
        row = lessons.record_lesson(
            session=session,
            actor=world.staff,
            project_id=project.id,
            kind=LessonKind.BARRIER,
            title="What held us back",
            body="Caseloads left no time for the new visits; protect the hours next time.",
            barriers=list(barriers),
        )
        return row.id or 0


def claim_evidence(world: Any, project: Project, level: int) -> None:
    with transaction(world.engine) as session:
        evidence.record_evidence(
            session=session,
            actor=world.staff,
            project_id=project.id,
            kind=EvidenceKind.MONITORING_DATA,
            title="Pre and post figures",
            summary="Missing episodes fell from 45 to 24 over six months.",
            level=level,
        )


@pytest.fixture
def portfolio(world: Any) -> Portfolio:
    now = utcnow()
    org_a = world.org("Northshire Council", OrganisationKind.LOCAL_AUTHORITY, "North West")
    org_b = world.org("Hope for Families", OrganisationKind.CHARITY, None)
    org_c = world.org("Southfield Council", OrganisationKind.LOCAL_AUTHORITY, "London")
    lead_a, lead_b = world.lead(org_a), world.lead(org_b)
    edge, fostering = world.theme("Edge of care"), world.theme("Fostering")

    p1 = world.project(lead_a, visibility=Visibility.MEMBERS, theme_ids=[edge.id, fostering.id])
    p2 = world.project(
        lead_a, visibility=Visibility.PUBLIC, theme_ids=[edge.id], theory_of_change="Because"
    )
    p3 = world.project(lead_b, visibility=Visibility.MEMBERS)
    p4 = world.project(lead_b, visibility=Visibility.PUBLIC, theme_ids=[fostering.id])
    p5 = world.project(lead_a, visibility=Visibility.PRIVATE, theme_ids=[edge.id])

    claim_evidence(world, p1, 2)
    claim_evidence(world, p5, 3)
    decide(world, p1, GO)
    decide(world, p1, GO)
    decide(world, p2, GO)
    decide(world, p2, RECYCLE, to_stage=IDEA, lesson=lesson("funding"))
    decide(world, p2, GO)
    decide(world, p3, STOP, lesson=lesson("funding", "staff capacity"))
    decide(world, p4, HOLD)
    for _ in range(3):
        decide(world, p5, GO)
    backdate(world.engine, p1, now, created=200, decided=[150, 100], entered=100)
    backdate(world.engine, p2, now, created=120, decided=[100, 90, 60], entered=60)
    backdate(world.engine, p3, now, created=80, decided=[40], entered=80)
    backdate(world.engine, p4, now, created=30, decided=[10], entered=30)
    backdate(world.engine, p5, now, created=400, decided=[380, 300, 200], entered=200)

    record_lesson(world, p1, "culture")
    archived = record_lesson(world, p1, "technology")
    record_lesson(world, p5, "funding", "technology")
    with transaction(world.engine) as session:
        lessons.archive_lesson(
            session=session, actor=world.staff, lesson_id=archived, reason="Recorded twice"
        )

    cost(world, p1, "40000.00", 2)
    cost(world, p1, "333.33", 6)
    archived_cost = cost(world, p1, "5000.00", 1)
    with transaction(world.engine) as session:
        economics.archive_cost(
            session=session, actor=world.staff, cost_id=archived_cost, reason="Entered twice"
        )
    benefit(world, p1, "24000.00", 3, "0.25", "0.8", kind=BenefitKind.FISCAL)
    benefit(world, p1, "0.01", 1, "0.5")
    cost(world, p2, "100.10", 2)
    benefit(world, p2, "999.99", 5, "0.1234", "0.5555")
    benefit(world, p2, None, 4)
    cost(world, p5, "10000.00", 1)
    benefit(world, p5, "50000.00", 2)

    return Portfolio(
        now=now,
        staff=world.staff,
        lead_a=lead_a,
        member_c=world.member(org_c),
        edge=to_global_id("Theme", edge.id),
        fostering=to_global_id("Theme", fostering.id),
        fostering_pk=fostering.id,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        p5=p5,
    )


def figures(engine: Any, actor: Actor, compute: Any, **options: Any) -> Any:
    """One portfolio figure for the actor: `compute` is a service function (given the
    actor when it asks for one)."""
    filters = options.pop("filters", {})
    if "actor" in inspect.signature(compute).parameters:
        options["actor"] = actor
    with Session(engine) as session:
        return compute(session=session, projects=project_list(actor=actor, **filters), **options)


def test_the_funnel_shows_every_stage_split_by_status(engine, portfolio):
    counts = figures(engine, portfolio.staff, service.stage_counts)

    assert counts == [
        StageCount(IDEA, active=0, on_hold=1, stopped=1),  # P4 on hold, P3 stopped
        StageCount(PILOT, active=1, on_hold=0, stopped=0),  # P2
        StageCount(EVALUATION, active=1, on_hold=0, stopped=0),  # P1
        StageCount(SCALE, active=1, on_hold=0, stopped=0),  # P5
    ]
    assert [c.count for c in counts] == [2, 1, 1, 1]


def test_a_project_counts_under_each_of_its_themes_and_under_no_theme_without_one(
    engine, portfolio
):
    themes = figures(engine, portfolio.staff, service.theme_counts)

    assert themes == [
        GroupCount(portfolio.edge, "Edge of care", 3),  # P1, P2, P5
        GroupCount(portfolio.fostering, "Fostering", 2),  # P1, P4
        GroupCount("", "No theme", 1),  # P3
    ]


def test_kinds_and_regions_are_those_of_the_lead_organisation(engine, portfolio):
    kinds = figures(engine, portfolio.staff, service.organisation_kind_counts)
    regions = figures(engine, portfolio.staff, service.region_counts)

    assert kinds == [
        GroupCount("LOCAL_AUTHORITY", "Local authority", 3),  # P1, P2, P5
        GroupCount("CHARITY", "Charity", 2),  # P3, P4
    ]
    assert regions == [GroupCount("North West", "North West", 3), GroupCount("", "Unknown", 2)]


def test_evidence_levels_list_all_six_levels_with_zeros(engine, portfolio):
    levels = figures(engine, portfolio.staff, service.evidence_level_counts)

    assert levels == [
        GroupCount("0", "Level 0: nothing yet", 2),  # P3, P4
        GroupCount("1", "Level 1: an account of impact", 1),  # P2: a theory of change
        GroupCount("2", "Level 2: correlation", 1),  # P1
        GroupCount("3", "Level 3: causation", 1),  # P5
        GroupCount("4", "Level 4: independent replication", 0),
        GroupCount("5", "Level 5: scaled", 0),
    ]


def test_conversion_follows_distinct_projects_through_each_gate(engine, portfolio):
    gates = figures(engine, portfolio.staff, stages.conversion)

    assert gates == [
        # All five were at IDEA; P1, P2, P5 went on; P3 stopped there; P4 is there on hold.
        StageConversion(IDEA, PILOT, entered=5, passed=3, stopped=1, recycled=0, in_progress=1),
        # P2 was at PILOT twice but counts once: recycled, and in progress there again.
        StageConversion(
            PILOT, EVALUATION, entered=3, passed=2, stopped=0, recycled=1, in_progress=1
        ),
        StageConversion(
            EVALUATION, SCALE, entered=2, passed=1, stopped=0, recycled=0, in_progress=1
        ),
    ]
    idea, pilot, evaluation = gates
    assert [idea.share(n) for n in (3, 1, 0, 1)] == [0.6, 0.2, 0.0, 0.2]
    assert pilot.share(pilot.passed) == 0.667  # 2/3, half up
    assert pilot.share(pilot.recycled) == 0.333
    assert evaluation.share(evaluation.passed) == 0.5


def test_median_days_in_stage_of_ended_and_current_stays(engine, portfolio):
    durations = figures(engine, portfolio.staff, stages.days_in_stage, now=portfolio.now)

    assert durations == [
        # ended IDEA stays: P1 50, P2 20 and 30 (twice at IDEA), P3 40 (stopped), P5 20
        # -> 20 20 30 40 50; current: P4 30 (on hold counts)
        StageDuration(IDEA, 30.0, 5, 30.0, 1),
        # ended PILOT stays: P1 50, P2 10 (recycled), P5 80 -> 10 50 80; current: P2 60
        StageDuration(PILOT, 50.0, 3, 60.0, 1),
        StageDuration(EVALUATION, 100.0, 1, 100.0, 1),  # P5 100; current: P1 100
        StageDuration(SCALE, None, 0, 200.0, 1),  # P5 has been at SCALE 200 days
    ]


def test_a_stay_counts_whole_days_rounded_down(engine, portfolio):
    # a day later less a minute, P4's IDEA stay is 30 days, 23 hours and 59 minutes
    later = portfolio.now + timedelta(days=1) - timedelta(minutes=1)

    durations = figures(engine, portfolio.staff, stages.days_in_stage, now=later)

    assert durations[0].open_median == 30.0


def test_money_sums_each_line_adjusted_and_rounded_half_up_as_each_project_shows_it(
    engine, portfolio
):
    money = figures(engine, portfolio.staff, service.money, optimism_bias=DEFAULT_OPTIMISM_BIAS)

    # costs: 40,000.00 x 1.05 = 42,000.00; 333.33 x 1.40 = 466.662 -> 466.66;
    # 100.10 x 1.05 = 105.105 -> 105.11 (half up); 10,000.00 x 1.00; the archived 5,000 not
    assert money.gross_cost == 50_433_43  # 40,000.00 + 333.33 + 100.10 + 10,000.00
    assert money.total_cost == 52_571_77  # 42,000.00 + 466.66 + 105.11 + 10,000.00
    # benefits: 24,000.00 x 0.75 x 0.8 x 0.90 = 12,960.00; 0.01 x 0.5 = 0.005 -> 0.01;
    # 999.99 x 0.8766 x 0.5555 x 0.75 = 365.2098... -> 365.21; 50,000.00 x 0.95 = 47,500.00;
    # the benefit without an amount counts as zero
    assert money.gross_benefit == 75_000_00  # 24,000.00 + 0.01 + 999.99 + 50,000.00
    assert money.adjusted_benefit == 60_825_22
    assert money.benefit_cost_ratio == 1.16  # 60,825.22 / 52,571.77 = 1.157


def test_stalled_lists_active_projects_without_a_decision_for_the_days_given_oldest_first(
    engine, portfolio
):
    def stalled(days: int) -> list[int]:
        stmt = service.stalled_projects(
            projects=project_list(actor=portfolio.staff), days=days, now=portfolio.now
        )
        with Session(engine) as session:
            ordered = stmt.order_by(Project.last_decision_at, Project.id)
            return [p.id for p in session.scalars(ordered)]

    # last decisions: P5 200 days ago, P1 100, P2 60; P4 (10, on hold) and P3 (stopped) never
    assert stalled(90) == [portfolio.p5.id, portfolio.p1.id]
    assert stalled(60) == [portfolio.p5.id, portfolio.p1.id, portfolio.p2.id]
    assert stalled(201) == []


@pytest.mark.parametrize("days", [0, 3651])
def test_stalled_days_must_be_from_1_to_3650(engine, portfolio, days):
    with pytest.raises(DomainError) as caught:
        service.stalled_projects(
            projects=project_list(actor=portfolio.staff), days=days, now=portfolio.now
        )

    assert caught.value.code is ErrorCode.INVALID
    assert caught.value.field == ("days",)


def test_top_barriers_count_live_lessons_most_first_ties_by_tag(engine, portfolio):
    barriers = figures(engine, portfolio.staff, service.top_barriers, first=10)
    top_two = figures(engine, portfolio.staff, service.top_barriers, first=2)

    # funding: P2's recycle lesson, P3's stop lesson, P5's lesson; P1's archived
    # "technology" lesson does not count, P5's does
    assert barriers == [
        GroupCount("funding", "Funding", 3),
        GroupCount("culture", "Culture", 1),
        GroupCount("staff capacity", "Staff capacity", 1),
        GroupCount("technology", "Technology", 1),
    ]
    assert top_two == barriers[:2]


def summary(engine: Any, actor: Actor, now: datetime, **filters: Any) -> dict[str, Any]:
    """Every figure of the portfolio as the actor sees it, in plain values."""

    def get(compute: Any, **options: Any) -> Any:
        return figures(engine, actor, compute, filters=filters, **options)

    money = get(service.money, optimism_bias=DEFAULT_OPTIMISM_BIAS)
    stalled = service.stalled_projects(
        projects=project_list(actor=actor, **filters), days=90, now=now
    )
    with Session(engine) as session:
        stalled_ids = list(session.scalars(stalled.with_only_columns(Project.id)))
    return {
        "funnel": [(c.count, c.active, c.on_hold, c.stopped) for c in get(service.stage_counts)],
        "themes": [(g.label, g.count) for g in get(service.theme_counts)],
        "kinds": [(g.key, g.count) for g in get(service.organisation_kind_counts)],
        "regions": [(g.label, g.count) for g in get(service.region_counts)],
        "levels": [g.count for g in get(service.evidence_level_counts)],
        "conversion": [
            (c.entered, c.passed, c.stopped, c.recycled, c.in_progress)
            for c in get(stages.conversion)
        ],
        "medians": [
            (d.completed_median, d.completed_count, d.open_median, d.open_count)
            for d in get(stages.days_in_stage, now=now)
        ],
        "money": (money.total_cost, money.adjusted_benefit, money.benefit_cost_ratio),
        "stalled": sorted(stalled_ids),
        "barriers": [(g.key, g.count) for g in get(service.top_barriers, first=10)],
    }


def test_a_member_of_another_organisation_counts_nothing_of_a_private_project(engine, portfolio):
    seen = summary(engine, portfolio.member_c, portfolio.now)

    # P1-P4: P5, PRIVATE to organisation A, changes no figure
    assert seen == {
        "funnel": [(2, 0, 1, 1), (1, 1, 0, 0), (1, 1, 0, 0), (0, 0, 0, 0)],
        "themes": [("Edge of care", 2), ("Fostering", 2), ("No theme", 1)],
        "kinds": [("CHARITY", 2), ("LOCAL_AUTHORITY", 2)],
        "regions": [("North West", 2), ("Unknown", 2)],
        "levels": [2, 1, 1, 0, 0, 0],
        "conversion": [(4, 2, 1, 0, 1), (2, 1, 0, 1, 1), (1, 0, 0, 0, 1)],
        "medians": [
            (35.0, 4, 30.0, 1),  # ended IDEA stays 20 30 40 50: the middle two's mean
            (30.0, 2, 60.0, 1),  # 10 and 50
            (None, 0, 100.0, 1),
            (None, 0, None, 0),
        ],
        # 42,000.00 + 466.66 + 105.11; 12,960.00 + 0.01 + 365.21; 13,325.22 / 42,571.77
        "money": (42_571_77, 13_325_22, 0.31),
        "stalled": [portfolio.p1.id],
        "barriers": [("funding", 2), ("culture", 1), ("staff capacity", 1)],
    }
    # the same as staff see of exactly those projects
    assert seen == summary(
        engine, portfolio.staff, portfolio.now, visibility=[Visibility.MEMBERS, Visibility.PUBLIC]
    )


def test_an_anonymous_reader_counts_only_public_projects(engine, portfolio):
    seen = summary(engine, ANONYMOUS, portfolio.now)

    # P2 and P4
    assert seen == {
        "funnel": [(1, 0, 1, 0), (1, 1, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0)],
        "themes": [("Edge of care", 1), ("Fostering", 1)],
        "kinds": [("CHARITY", 1), ("LOCAL_AUTHORITY", 1)],
        "regions": [("North West", 1), ("Unknown", 1)],
        "levels": [1, 1, 0, 0, 0, 0],
        "conversion": [(2, 1, 0, 0, 1), (1, 0, 0, 1, 1), (0, 0, 0, 0, 0)],
        "medians": [(25.0, 2, 30.0, 1), (10.0, 1, 60.0, 1), (None, 0, None, 0), (None, 0, None, 0)],
        "money": (105_11, 365_21, 3.47),  # 365.21 / 105.11 = 3.4745
        "stalled": [],
        "barriers": [("funding", 1)],
    }
    assert seen == summary(engine, portfolio.staff, portfolio.now, visibility=[Visibility.PUBLIC])


def test_the_lead_of_the_private_projects_organisation_sees_what_staff_see(engine, portfolio):
    seen = summary(engine, portfolio.lead_a, portfolio.now)

    assert seen == summary(engine, portfolio.staff, portfolio.now)
    assert seen["funnel"][3] == (1, 1, 0, 0)  # P5 at SCALE
    assert seen["money"] == (52_571_77, 60_825_22, 1.16)
    assert seen["stalled"] == sorted([portfolio.p1.id, portfolio.p5.id])


def test_every_figure_follows_the_filter(engine, portfolio):
    seen = summary(engine, portfolio.staff, portfolio.now, theme_ids=[portfolio.fostering_pk])

    # P1 and P4
    assert seen["funnel"] == [(1, 0, 1, 0), (0, 0, 0, 0), (1, 1, 0, 0), (0, 0, 0, 0)]
    assert seen["themes"] == [("Fostering", 2), ("Edge of care", 1)]
    assert seen["money"] == (42_466_66, 12_960_01, 0.31)  # 12,960.01 / 42,466.66 = 0.305
    assert seen["barriers"] == [("culture", 1)]
    assert seen["medians"][0] == (50.0, 1, 30.0, 1)


def test_an_empty_portfolio_has_zeros_and_no_medians_or_shares(engine, world):
    seen = summary(engine, ANONYMOUS, utcnow())
    gates = figures(engine, ANONYMOUS, stages.conversion)

    assert seen == {
        "funnel": [(0, 0, 0, 0)] * 4,
        "themes": [],
        "kinds": [],
        "regions": [],
        "levels": [0] * 6,
        "conversion": [(0, 0, 0, 0, 0)] * 3,
        "medians": [(None, 0, None, 0)] * 4,
        "money": (0, 0, None),
        "stalled": [],
        "barriers": [],
    }
    assert {gate.share(0) for gate in gates} == {None}


@pytest.mark.parametrize(
    "bias_table",
    [
        ("0", "0.0125", "0.10", "0.1575", "0.25", "0.4099"),
        # the guidance's upper bounds reach 200%: a benefit then counts nothing, never less
        ("0", "0.40", "0.9999", "1", "1.5", "2"),
    ],
)
def test_money_is_exact_to_the_penny_for_the_largest_amounts_and_awkward_shares(
    world, engine, bias_table
):
    # given lines at the largest amount a line may have, at every grade, with shares that
    # leave long fractions, under a bias table in basis points
    bias = tuple(Decimal(b) for b in bias_table)
    lead = world.lead()
    project = world.project(lead)
    shares = [("0.0001", "0.9999"), ("0.3333", "0.6667"), ("0.5", "0.0001"), ("0", "1")]
    for grade in range(1, 7):
        for amount in ("9999999999.99", "0.01", "12345.67"):
            cost(world, project, amount, grade)
            for deadweight, attribution in shares:
                benefit(world, project, amount, grade, deadweight, attribution)

    money = figures(engine, lead, service.money, optimism_bias=bias)

    with Session(engine) as session:
        costs = list(session.scalars(economics.live_costs()))
        benefits = list(session.scalars(economics.live_benefits()))
    expected = economics.economics_for(
        costs=costs, benefits=benefits, project_start=project.started_on, optimism_bias=bias
    )
    assert Decimal(money.total_cost).scaleb(-2) == expected.total_cost
    assert Decimal(money.adjusted_benefit).scaleb(-2) == expected.adjusted_benefit
    assert money.benefit_cost_ratio == expected.benefit_cost_ratio


def test_an_optimism_bias_finer_than_a_basis_point_is_refused(engine, portfolio):
    bias = (*DEFAULT_OPTIMISM_BIAS[:5], Decimal("0.40005"))

    with pytest.raises(ValueError, match="two decimal places"):
        figures(engine, portfolio.staff, service.money, optimism_bias=bias)


def test_a_lesson_shared_beyond_its_private_project_adds_no_barrier_outside_it(
    world, engine, portfolio
):
    # given P5's lesson shared with everyone, although P5 itself is PRIVATE
    with transaction(world.engine) as session:
        lessons.record_lesson(
            session=session,
            actor=world.staff,
            project_id=portfolio.p5.id,
            kind=LessonKind.BARRIER,
            title="Nobody asked for it",
            body="Demand was lower than the needs analysis said; test demand first.",
            barriers=["demand"],
            shared_with=Visibility.PUBLIC,
        )

    # then anonymous readers may read the lesson, but the portfolio is over projects
    anonymous = figures(engine, ANONYMOUS, service.top_barriers, first=10)
    staff = figures(engine, portfolio.staff, service.top_barriers, first=10)

    assert anonymous == [GroupCount("funding", "Funding", 1)]
    assert GroupCount("demand", "Demand", 1) in staff
