"""A small portfolio with fixed dates, for figures worked out by hand:

| project | lead org            | visible | themes          | history (2025 unless said)      |
|---------|---------------------|---------|-----------------|---------------------------------|
| P1      | A (council, NW)     | MEMBERS | Edge, Fostering | made 10 Jan, GO 15 Feb, GO 20 May |
| P2      | A                   | PRIVATE | Edge            | made 1 Feb, GO 3 Apr 15:00      |
| P3      | B (charity, no reg.)| MEMBERS | none            | made 5 Nov 2024, STOP 20 Dec 2024 |
| P4      | B                   | MEMBERS | Fostering       | made 10 Apr                     |

So P1 is at EVALUATION, P2 at PILOT, P3 stopped at IDEA, P4 active at IDEA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from inset.access import Actor
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates.models import GateDecision, GateDecisionKind
from inset.gates.service import decide_gate
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import Lesson, LessonKind
from inset.lessons.service import InlineLesson
from inset.organisations.models import OrganisationKind
from inset.outcomes import service as outcomes
from inset.projects.models import Project, Stage, Visibility
from inset.projects.period import Period

IDEA, PILOT, EVALUATION, SCALE = Stage.IDEA, Stage.PILOT, Stage.EVALUATION, Stage.SCALE
H1_2025 = Period(date(2025, 1, 1), date(2025, 6, 30))


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@dataclass
class Fixed:
    staff: Actor
    member_c: Actor
    edge: str
    fostering: str
    p1: Project
    p2: Project
    p3: Project
    p4: Project


def decide(world: Any, project: Project, decision: GateDecisionKind, **options: Any) -> None:
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
            override=decision is GateDecisionKind.GO,
            **options,
        )


def set_history(engine: Any, project: Project, created: datetime, decided: list[datetime]) -> None:
    with transaction(engine) as session:
        ids = session.scalars(
            sa.select(GateDecision.id)
            .where(GateDecision.project_id == project.id)
            .order_by(GateDecision.id)
        ).all()
        for decision_id, when in zip(ids, decided, strict=True):
            session.execute(
                sa.update(GateDecision)
                .where(GateDecision.id == decision_id)
                .values(decided_at=when)
            )
        last = decided[-1] if decided else created
        session.execute(
            sa.update(Project)
            .where(Project.id == project.id)
            .values(created_at=created, stage_entered_at=last, last_decision_at=last)
        )


def lesson(world: Any, project: Project, kind: LessonKind, *tags: str) -> None:
    with transaction(world.engine) as session:
        row = lessons.record_lesson(
            session=session,
            actor=world.staff,
            project_id=project.id,
            kind=kind,
            title="What we learned",
            body="Caseloads left no time for the new visits; protect the hours next time.",
            barriers=list(tags),
        )
        session.flush()
        session.execute(
            sa.update(Lesson).where(Lesson.id == row.id).values(recorded_at=at("2025-03-01"))
        )


def outcome(
    world: Any, project: Project, baseline: str, higher: bool, *readings: tuple[str, str]
) -> None:
    with transaction(world.engine) as session:
        row = outcomes.define_outcome(
            session=session,
            actor=world.staff,
            project_id=project.id,
            name=f"Measure of {project.title}",
            unit="children",
            higher_is_better=higher,
            baseline=Decimal(baseline),
        )
        for value, day in readings:
            outcomes.observe_outcome(
                session=session,
                actor=world.staff,
                outcome_id=row.id or 0,
                value=Decimal(value),
                observed_on=date.fromisoformat(day),
            )


@pytest.fixture
def fixed(world: Any) -> Fixed:
    return build_fixed(world)


def build_fixed(world: Any) -> Fixed:
    org_a = world.org("Northshire Council", OrganisationKind.LOCAL_AUTHORITY, "North West")
    org_b = world.org("Hope for Families", OrganisationKind.CHARITY, None)
    org_c = world.org("Southfield Council", OrganisationKind.LOCAL_AUTHORITY, "London")
    lead_a, lead_b = world.lead(org_a), world.lead(org_b)
    edge, fostering = world.theme("Edge of care"), world.theme("Fostering")
    p1 = world.project(lead_a, visibility=Visibility.MEMBERS, theme_ids=[edge.id, fostering.id])
    p2 = world.project(lead_a, visibility=Visibility.PRIVATE, theme_ids=[edge.id])
    p3 = world.project(lead_b, visibility=Visibility.MEMBERS)
    p4 = world.project(lead_b, visibility=Visibility.MEMBERS, theme_ids=[fostering.id])
    decide(world, p1, GateDecisionKind.GO)
    decide(world, p1, GateDecisionKind.GO)
    decide(world, p2, GateDecisionKind.GO)
    stop = InlineLesson(
        kind=LessonKind.WHAT_DID_NOT_WORK,
        title="Nobody came",
        body="Demand was lower than the needs analysis said; test demand first.",
        barriers=["demand"],
    )
    decide(world, p3, GateDecisionKind.STOP, lesson=stop)
    set_history(world.engine, p1, at("2025-01-10"), [at("2025-02-15"), at("2025-05-20")])
    set_history(world.engine, p2, at("2025-02-01"), [at("2025-04-03", 15)])
    set_history(world.engine, p3, at("2024-11-05"), [at("2024-12-20")])
    set_history(world.engine, p4, at("2025-04-10"), [])

    with transaction(world.engine) as session:
        evidence.record_evidence(
            session=session,
            actor=world.staff,
            project_id=p1.id,
            kind=EvidenceKind.MONITORING_DATA,
            title="Pre and post figures",
            summary="Missing episodes fell from 45 to 24 over six months.",
            level=3,
        )
        for project, amount, grade in ((p1, "1000.00", 2), (p4, "200.00", 1)):
            economics.record_cost(
                session=session,
                actor=world.staff,
                project_id=project.id,
                category=CostCategory.STAFF,
                description="Family support workers",
                amount=Decimal(amount),
                confidence=grade,
            )
        economics.record_benefit(
            session=session,
            actor=world.staff,
            project_id=p1.id,
            kind=BenefitKind.SOCIAL,
            description="Fewer children coming into care",
            amount=Decimal("3000.00"),
            beneficiary=None,
            deadweight=Decimal("0"),
            attribution=Decimal("1"),
            confidence=1,
        )
    lesson(world, p1, LessonKind.BARRIER, "funding")
    lesson(world, p1, LessonKind.WHAT_DID_NOT_WORK, "funding", "culture")
    lesson(world, p1, LessonKind.WHAT_WORKED, "technology")
    lesson(world, p1, LessonKind.ENABLER, "partnership")
    lesson(world, p1, LessonKind.RECOMMENDATION, "skills")

    outcome(world, p1, "45", False, ("30", "2025-03-01"), ("24", "2025-06-01"))
    outcome(world, p2, "50", True, ("78", "2025-05-01"))
    outcome(world, p4, "10", False, ("12", "2025-05-01"))  # worse: no story
    outcome(world, p3, "0", True, ("5", "2024-12-01"))  # no relative change from 0

    return Fixed(
        staff=world.staff,
        member_c=world.member(org_c),
        edge=to_global_id("Theme", edge.id),
        fostering=to_global_id("Theme", fostering.id),
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
    )
