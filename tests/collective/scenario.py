"""A small sector for the digest's tests, made through the services.

- "Return home chats" (PUBLIC, a council in the North West) reached EVALUATION this year;
  missing episodes 45 -> 30 -> 24 against a target of 20 (lower is better); one cost of
  £10,000 and one fiscal benefit of £25,000, both grade 1 (no optimism bias): ratio 2.5.
  It has an ENABLER lesson.
- "Hidden placements pilot" (PRIVATE, a charity in the South West) reached EVALUATION and
  stopped; its stop lesson is shared PUBLIC and anonymised, tagged funding.
- "Family app" (PUBLIC, a council in the North West) stopped at IDEA with a technology
  lesson (not anonymised) and an anonymised staff capacity lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from conftest import World

from inset.access import Actor
from inset.db import transaction, utcnow
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory
from inset.gates.models import GateDecisionKind
from inset.gates.service import decide_gate
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.organisations.models import OrganisationKind
from inset.outcomes import service as outcomes
from inset.projects.models import Project, Stage, Visibility

PRIVATE_TITLE = "Hidden placements pilot"
PRIVATE_ORGANISATION = "Quiet Harbour Charity"
THEME = "Missing from care"
PRIVATE_STOP_LESSON = "Kept inside the charity"


@dataclass
class Sector:
    year: int
    public: Project
    private: Project
    stopped: Project
    lead: Actor
    private_lead: Actor


def _decide(world: World, project: Project, decision: GateDecisionKind, **more: object) -> Project:
    with transaction(world.engine) as session:
        row = session.get(Project, project.id)
        assert row is not None
        row, _ = decide_gate(
            session=session,
            actor=world.staff,
            project_id=row.id or 0,
            decision=decision,
            rationale="Decided at the panel.",
            expected_version=row.version,
            override=decision is GateDecisionKind.GO,
            **more,  # type: ignore[arg-type]
        )
        return row


def go_to(world: World, project: Project, stage: Stage) -> Project:
    while project.stage is not stage:
        project = _decide(world, project, GateDecisionKind.GO)
    return project


def stop(world: World, project: Project, **lesson: object) -> Project:
    inline = lessons.InlineLesson(
        kind=LessonKind.WHAT_DID_NOT_WORK,
        title=str(lesson.get("title", "Why it stopped")),
        body=str(lesson.get("body", "The pilot could not go on as planned.")),
        barriers=list(lesson.get("barriers", [])),  # type: ignore[call-overload]
        anonymised=bool(lesson.get("anonymised", False)),
    )
    return _decide(world, project, GateDecisionKind.STOP, lesson=inline)


def make_sector(world: World) -> Sector:
    theme = world.theme(THEME)
    council = world.org("Northmoor Council", OrganisationKind.LOCAL_AUTHORITY, "North West")
    charity = world.org(PRIVATE_ORGANISATION, OrganisationKind.CHARITY, "South West")
    lead, private_lead = world.lead(council), world.lead(charity)
    public = world.project(
        lead,
        title="Return home chats",
        theory_of_change="A trusted adult who talks with a child on return means fewer repeats.",
        visibility=Visibility.PUBLIC,
        theme_ids=[theme.id],
        started_on=date(2025, 1, 1),
    )
    with transaction(world.engine) as session:
        outcome = outcomes.define_outcome(
            session=session,
            actor=lead,
            project_id=public.id or 0,
            name="Missing episodes",
            unit="episodes a month",
            higher_is_better=False,
            baseline=Decimal(45),
            baseline_on=date(2025, 1, 31),
            target=Decimal(20),
        )
        for value, day in ((30, date(2025, 6, 30)), (24, date(2025, 12, 31))):
            outcomes.observe_outcome(
                session=session,
                actor=lead,
                outcome_id=outcome.id or 0,
                value=Decimal(value),
                observed_on=day,
            )
        economics.record_cost(
            session=session,
            actor=lead,
            project_id=public.id or 0,
            category=CostCategory.STAFF,
            description="Two return-home workers",
            amount=Decimal("10000.00"),
            confidence=1,
        )
        economics.record_benefit(
            session=session,
            actor=lead,
            project_id=public.id or 0,
            kind=BenefitKind.FISCAL,
            description="Police time saved on missing episodes",
            amount=Decimal("25000.00"),
            beneficiary="Police",
            confidence=1,
        )
        lessons.record_lesson(
            session=session,
            actor=lead,
            project_id=public.id or 0,
            kind=LessonKind.ENABLER,
            title="A named worker the young person already knows",
            body="Talks went best with a worker the young person had met before.",
        )
    public = go_to(world, public, Stage.EVALUATION)

    private = world.project(private_lead, title=PRIVATE_TITLE, visibility=Visibility.PRIVATE)
    private = go_to(world, private, Stage.EVALUATION)
    with transaction(world.engine) as session:
        lessons.record_lesson(
            session=session,
            actor=private_lead,
            project_id=private.id or 0,
            kind=LessonKind.WHAT_DID_NOT_WORK,
            title="Funding ended before the evaluation",
            body="The grant ran out before the evaluation could report, so the pilot closed.",
            barriers=["funding"],
            shared_with=Visibility.PUBLIC,
            anonymised=True,
        )
    private = stop(world, private, title=PRIVATE_STOP_LESSON, barriers=["funding"])

    stopped = world.project(lead, title="Family app", visibility=Visibility.PUBLIC)
    with transaction(world.engine) as session:
        lessons.record_lesson(
            session=session,
            actor=lead,
            project_id=stopped.id or 0,
            kind=LessonKind.BARRIER,
            title="No time to learn a new app",
            body="Workers had no protected time to learn the app, so few used it.",
            barriers=["staff capacity"],
            anonymised=True,
        )
    stopped = stop(
        world,
        stopped,
        title="The app did not fit the case system",
        body="The app could not exchange records with the case system, so workers typed twice.",
        barriers=["technology"],
    )
    return Sector(utcnow().year, public, private, stopped, lead, private_lead)
