"""Gate decisions: the only way a project's stage or status changes (DESIGN.md section 1).

- GO: ACTIVE, to the next stage. Needs every mandatory criterion of that gate met, or a
  STAFF override (the unmet criteria are then stored with the decision).
- HOLD: ACTIVE to ON_HOLD, stage kept; optionally a date to revisit it (kept on the
  project until the next decision, which clears it).
- RESUME: ON_HOLD to ACTIVE.
- RECYCLE: ACTIVE, back to an earlier stage. Needs a lesson.
- STOP: ACTIVE or ON_HOLD to STOPPED, for good. Needs a lesson.

Each needs a rationale and the project's `expected_version`, and is kept for ever. "A
lesson" for RECYCLE and STOP is the lesson given inline with the decision, or a live
lesson already recorded at the project's current stage.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor
from inset.audit import service as audit
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import TEXT_LENGTH, pk, utcnow
from inset.errors import (
    DomainError,
    Forbidden,
    GateNotMet,
    Invalid,
    InvalidTransition,
    Required,
)
from inset.gates.criteria import GATES, PANEL_COMPLETE, Facts, gather_facts
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons import service as lessons
from inset.lessons.models import Lesson
from inset.projects.models import Project, ProjectStatus, Stage, Visibility
from inset.projects.service import check_version, get_project_for_write, refresh_evidence_level
from inset.reviews import service as reviews
from inset.validation import no_personal_data, required_text

GO = GateDecisionKind.GO
HOLD = GateDecisionKind.HOLD
RESUME = GateDecisionKind.RESUME
RECYCLE = GateDecisionKind.RECYCLE
STOP = GateDecisionKind.STOP

DECIDED = [
    "decision",
    "from_stage",
    "to_stage",
    "status_after",
    "rationale",
    "override",
    "unmet_criteria",
    "revisit_on",
    "panel_snapshot",
]
PROJECT_FIELDS = ["stage", "status", "revisit_on", "evidence_level"]


@dataclass(frozen=True)
class CriterionResult:
    code: str
    description: str
    mandatory: bool
    met: bool


@dataclass(frozen=True)
class Readiness:
    """The criteria of the gate into `to_stage`, checked against the project as it stands.

    `ready` when every mandatory criterion is met. A gate the project is already past
    (or, at SCALE, the gate after the last stage, which does not exist) has no criteria
    and is never ready.
    """

    to_stage: Stage
    ready: bool
    criteria: list[CriterionResult]

    @property
    def unmet_mandatory(self) -> list[str]:
        return [c.code for c in self.criteria if c.mandatory and not c.met]


def evaluate(
    *,
    stage: Stage,
    to_stage: Stage | None,
    facts: Facts,
    review_required: Collection[str] = (),
) -> Readiness:
    """Readiness of a project at `stage` for the gate into `to_stage` (default: the next).

    A gate beyond the next one is evaluated as well, for planning, although a GO only
    ever moves one stage. `review_required` names the stages whose gate out of them needs
    a complete review panel (the settings'): the next gate then has the mandatory
    `panel_complete` criterion as well.
    """
    target = to_stage or stage.next()
    if target is None or target.order <= stage.order:
        return Readiness(to_stage=target or stage, ready=False, criteria=[])
    gate = list(GATES[target])
    if target is stage.next() and stage.value in review_required:
        gate.append(PANEL_COMPLETE)
    results = [CriterionResult(c.code, c.description, c.mandatory, c.check(facts)) for c in gate]
    return Readiness(
        to_stage=target,
        ready=all(r.met for r in results if r.mandatory),
        criteria=results,
    )


def readiness(
    *,
    session: Session,
    project: Project,
    to_stage: Stage | None = None,
    optimism_bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS,
    review_required: Collection[str] = (),
) -> Readiness:
    """The criteria of the gate into `to_stage` (default: the next stage), met or not.

    See `evaluate` for gates the project is past or that do not exist.
    """
    facts = gather_facts(session=session, projects=[project], optimism_bias=optimism_bias)
    return evaluate(
        stage=project.stage,
        to_stage=to_stage,
        facts=facts[pk(project)],
        review_required=review_required,
    )


def _stay(project: Project, decision: GateDecisionKind, to_stage: Stage | None) -> Stage:
    """Decisions that keep the stage: `to_stage` may only repeat it."""
    if to_stage is not None and to_stage is not project.stage:
        raise InvalidTransition(
            f"{decision} keeps the project at {project.stage}; leave toStage out",
            ("to_stage",),
        )
    return project.stage


def _need_status(project: Project, decision: GateDecisionKind, *allowed: ProjectStatus) -> None:
    if project.status not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        raise InvalidTransition(
            f"{decision} needs a project that is {wanted}; this one is {project.status}"
        )


def _transition(
    project: Project, decision: GateDecisionKind, to_stage: Stage | None
) -> tuple[Stage, ProjectStatus]:
    """The stage and status the decision leads to; raises when it cannot be taken."""
    if project.status is ProjectStatus.STOPPED:
        raise InvalidTransition("the project was stopped, which is final: it takes no decisions")
    if decision is GO:
        _need_status(project, decision, ProjectStatus.ACTIVE)
        following = project.stage.next()
        if following is None:
            raise InvalidTransition(f"the project is at {project.stage}, the last stage: no GO")
        if to_stage is not None and to_stage is not following:
            raise InvalidTransition(
                f"GO moves one stage, from {project.stage} to {following}, not to {to_stage}",
                ("to_stage",),
            )
        return following, ProjectStatus.ACTIVE
    if decision is RECYCLE:
        _need_status(project, decision, ProjectStatus.ACTIVE)
        if to_stage is None:
            raise Required(("to_stage",), "RECYCLE needs toStage: the earlier stage to go back to")
        if to_stage.order >= project.stage.order:
            raise InvalidTransition(
                f"RECYCLE goes back to a stage before {project.stage}, not to {to_stage}",
                ("to_stage",),
            )
        return to_stage, ProjectStatus.ACTIVE
    if decision is HOLD:
        _need_status(project, decision, ProjectStatus.ACTIVE)
        return _stay(project, decision, to_stage), ProjectStatus.ON_HOLD
    if decision is RESUME:
        _need_status(project, decision, ProjectStatus.ON_HOLD)
        return _stay(project, decision, to_stage), ProjectStatus.ACTIVE
    _need_status(project, decision, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)
    return _stay(project, decision, to_stage), ProjectStatus.STOPPED


def _has_lesson_at_current_stage(session: Session, project: Project) -> bool:
    return (
        session.scalars(
            sa.select(col(Lesson.id)).where(
                col(Lesson.project_id) == project.id,
                col(Lesson.stage) == project.stage,
                col(Lesson.archived_at).is_(None),
            )
        ).first()
        is not None
    )


def _check_options(
    actor: Actor, decision: GateDecisionKind, override: bool, revisit_on: date | None
) -> None:
    if override and not actor.is_staff:
        raise Forbidden("only incubator staff may override a gate's criteria", ("override",))
    if override and decision is not GO:
        raise Invalid("override applies to GO only", ("override",))
    if revisit_on is not None:
        if decision is not HOLD:
            raise Invalid("revisitOn applies to HOLD only", ("revisit_on",))
        if revisit_on < utcnow().date():
            raise Invalid("revisitOn must be today or later", ("revisit_on",))


def _record_inline_lesson(
    session: Session, actor: Actor, project: Project, lesson: lessons.InlineLesson, decision_id: int
) -> Lesson:
    """Records the lesson at the stage the project is leaving, naming errors under `lesson`."""
    try:
        return lessons.record_lesson(
            session=session,
            actor=actor,
            project_id=pk(project),
            kind=lesson.kind,
            title=lesson.title,
            body=lesson.body,
            barriers=lesson.barriers,
            anonymised=lesson.anonymised,
            stage=project.stage,
            decision_id=decision_id,
        )
    except DomainError as error:
        error.field = ("lesson", *(error.field or ()))
        raise


def decide_gate(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    decision: GateDecisionKind,
    rationale: str,
    expected_version: int,
    to_stage: Stage | None = None,
    override: bool = False,
    revisit_on: date | None = None,
    lesson: lessons.InlineLesson | None = None,
    optimism_bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS,
    review_required: Collection[str] = (),
) -> tuple[Project, GateDecision]:
    """Takes the decision (module docstring) and returns the changed project and the record.

    A GO with unmet mandatory criteria is GATE_NOT_MET naming them, unless STAFF set
    `override`: then the unmet codes are stored on the decision (and `override` is
    recorded only when something was overridden). `revisit_on` is for HOLD. The inline
    `lesson` is recorded from the stage the project is leaving, linked to the decision.
    The project's version goes up by one; `optimism_bias` (grades 1..6) is the settings'
    table, for the benefit-cost ratio the SCALE gate looks at; `review_required` the
    settings' gates that need a complete review panel before a GO. The decision keeps a
    snapshot of the gate's review panel, and GO, RECYCLE and STOP close that panel.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    check_version(project, expected_version)
    rationale = required_text(rationale, "rationale", limit=TEXT_LENGTH)
    no_personal_data({"rationale": rationale}, public=project.visibility is Visibility.PUBLIC)
    _check_options(actor, decision, override, revisit_on)
    stage, status = _transition(project, decision, to_stage)
    unmet: list[str] = []
    if decision is GO:
        ready = readiness(
            session=session,
            project=project,
            to_stage=stage,
            optimism_bias=optimism_bias,
            review_required=review_required,
        )
        unmet = ready.unmet_mandatory
        if unmet and not override:
            todo = [c.description for c in ready.criteria if c.mandatory and not c.met]
            raise GateNotMet(unmet, todo)
    if (
        decision in (RECYCLE, STOP)
        and lesson is None
        and not _has_lesson_at_current_stage(session, project)
    ):
        raise Required(
            ("lesson",),
            f"{decision} needs a lesson: give one with the decision, or record one at the "
            f"{project.stage} stage first. Learning from a trial that ends is the point.",
        )
    now = utcnow()
    row = GateDecision(
        project_id=project_id,
        decision=decision,
        from_stage=project.stage,
        to_stage=stage,
        status_after=status,
        rationale=rationale,
        override=bool(unmet),
        unmet_criteria=unmet,
        revisit_on=revisit_on,
        decided_by_id=actor.account_id,
        decided_at=now,
    )
    session.add(row)
    session.flush()
    row.panel_snapshot = reviews.panel_snapshot(
        session=session,
        project=project,
        decision_id=pk(row),
        closes=decision in (GO, RECYCLE, STOP),
    )
    if lesson is not None:
        _record_inline_lesson(session, actor, project, lesson, pk(row))
    before = {name: getattr(project, name) for name in PROJECT_FIELDS}
    if stage is not project.stage:
        project.stage = stage
        project.stage_entered_at = now
    project.status = status
    project.revisit_on = revisit_on
    project.last_decision_at = now
    project.version += 1
    project.updated_at = now
    session.add(project)
    refresh_evidence_level(session=session, project=project)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="gate.decide",
        entity=row,
        organisation_id=project.lead_organisation_id,
        changes={"project_id": (None, project_id), **audit.created(row, DECIDED)},
    )
    audit.record(
        session=session,
        actor=actor,
        action="project.gate_decision",
        entity=project,
        organisation_id=project.lead_organisation_id,
        changes={
            **audit.diff(before, project),
            "version": (project.version - 1, project.version),
        },
    )
    return project, row
