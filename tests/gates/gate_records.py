"""Real records that meet (or miss) gate criteria, made through the domains' services.

Not a conftest: `tests/conftest.py` is imported as `conftest` by other test modules, and a
second conftest here would shadow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.access import Actor
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import Benefit, BenefitKind, Cost, CostCategory
from inset.evidence import service as evidence
from inset.evidence.models import Evidence, EvidenceKind
from inset.gates import service as gates
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons import service as lessons
from inset.lessons.models import Lesson, LessonKind
from inset.outcomes import service as outcomes
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, Stage

PROBLEM = "Children who go missing from care are rarely asked why on their return."
THEORY = "A trusted adult checking in within a day of return means fewer missing episodes."
BASELINE_ON = date(2024, 1, 31)


def current(engine: Engine, project: Project | int) -> Project:
    """The project as stored now."""
    project_id = project if isinstance(project, int) else project.id
    with Session(engine) as session:
        row = session.get(Project, project_id)
        assert row is not None
        return row


@dataclass
class Records:
    engine: Engine

    def outcome(self, actor: Actor, project: Project, **overrides: Any) -> Outcome:
        values: dict[str, Any] = {
            "name": "Missing episodes",
            "unit": "episodes a month",
            "higher_is_better": False,
            "baseline": Decimal("45"),
            "baseline_on": BASELINE_ON,
        }
        values.update(overrides)
        with transaction(self.engine) as session:
            return outcomes.define_outcome(
                session=session, actor=actor, project_id=project.id or 0, **values
            )

    def observe(
        self, actor: Actor, outcome: Outcome, observed_on: date, value: str = "24"
    ) -> Observation:
        with transaction(self.engine) as session:
            return outcomes.observe_outcome(
                session=session,
                actor=actor,
                outcome_id=outcome.id or 0,
                value=Decimal(value),
                observed_on=observed_on,
            )

    def cost(
        self, actor: Actor, project: Project, amount: str = "10000.00", confidence: int = 2
    ) -> Cost:
        with transaction(self.engine) as session:
            return economics.record_cost(
                session=session,
                actor=actor,
                project_id=project.id or 0,
                category=CostCategory.STAFF,
                description="Return-home workers",
                amount=Decimal(amount),
                confidence=confidence,
            )

    def benefit(self, actor: Actor, project: Project, **overrides: Any) -> Benefit:
        values: dict[str, Any] = {
            "kind": BenefitKind.FISCAL,
            "description": "Police time not spent on missing episodes",
            "amount": Decimal("24000.00"),
            "beneficiary": "the police force",
            "deadweight": Decimal("0.25"),
            "attribution": Decimal("0.8"),
            "confidence": 3,
        }
        values.update(overrides)
        with transaction(self.engine) as session:
            return economics.record_benefit(
                session=session, actor=actor, project_id=project.id or 0, **values
            )

    def evidence(
        self,
        actor: Actor,
        project: Project,
        level: int,
        kind: EvidenceKind = EvidenceKind.MONITORING_DATA,
        independent: bool = False,
    ) -> Evidence:
        with transaction(self.engine) as session:
            return evidence.record_evidence(
                session=session,
                actor=actor,
                project_id=project.id or 0,
                kind=kind,
                title=f"{kind.value.replace('_', ' ').title()} at level {level}",
                summary="Missing episodes counted monthly before and after.",
                level=level,
                independent=independent,
            )

    def lesson(self, actor: Actor, project: Project, **overrides: Any) -> Lesson:
        values: dict[str, Any] = {
            "kind": LessonKind.WHAT_WORKED,
            "title": "Same-day check-ins",
            "body": "Workers who called on the day of return heard more.",
        }
        values.update(overrides)
        with transaction(self.engine) as session:
            return lessons.record_lesson(
                session=session, actor=actor, project_id=project.id or 0, **values
            )

    def decide(
        self,
        actor: Actor,
        project: Project,
        decision: GateDecisionKind,
        *,
        rationale: str = "The board agreed.",
        **options: Any,
    ) -> tuple[Project, GateDecision]:
        """Takes the decision on the project as it is stored now (its current version)."""
        version = options.pop("expected_version", None) or current(self.engine, project).version
        with transaction(self.engine) as session:
            return gates.decide_gate(
                session=session,
                actor=actor,
                project_id=project.id or 0,
                decision=decision,
                rationale=rationale,
                expected_version=version,
                **options,
            )

    def ready_for_pilot(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        """A project at IDEA meeting every mandatory criterion of the gate into PILOT."""
        values = {"problem": PROBLEM, "theory_of_change": THEORY, **overrides}
        project = world.project(lead, **values)
        self.outcome(lead, project)
        self.cost(lead, project)
        return current(self.engine, project)

    def at_pilot(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        project = self.ready_for_pilot(world, lead, **overrides)
        return self.decide(lead, project, GateDecisionKind.GO)[0]

    def ready_for_evaluation(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        project = self.at_pilot(world, lead, **overrides)
        self.evidence(lead, project, 2)
        [outcome] = self.outcomes_of(project)
        self.observe(lead, outcome, date(2024, 7, 31))
        self.cost(lead, project, "5000.00")
        self.lesson(lead, project)
        return current(self.engine, project)

    def at_evaluation(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        project = self.ready_for_evaluation(world, lead, **overrides)
        return self.decide(lead, project, GateDecisionKind.GO)[0]

    def ready_for_scale(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        project = self.at_evaluation(world, lead, **overrides)
        self.evidence(lead, project, 3, EvidenceKind.COMPARISON_STUDY)
        self.evidence(lead, project, 4, EvidenceKind.EVALUATION_REPORT, independent=True)
        self.benefit(lead, project)
        self.lesson(lead, project, kind=LessonKind.RECOMMENDATION, title="Fund the evaluator")
        return current(self.engine, project)

    def at_scale(self, world: Any, lead: Actor, **overrides: Any) -> Project:
        project = self.ready_for_scale(world, lead, **overrides)
        return self.decide(lead, project, GateDecisionKind.GO)[0]

    def outcomes_of(self, project: Project) -> list[Outcome]:
        from sqlmodel import select

        with Session(self.engine) as session:
            return list(session.exec(select(Outcome).where(Outcome.project_id == project.id)))

    def readiness(self, project: Project, to_stage: Stage | None = None) -> gates.Readiness:
        with Session(self.engine) as session:
            return gates.readiness(
                session=session, project=current(self.engine, project), to_stage=to_stage
            )
