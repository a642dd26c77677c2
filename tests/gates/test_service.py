"""Gate decisions: each rule of DESIGN.md section 1, each refusal, and what lands with them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.audit.models import AuditEvent
from inset.db import utcnow
from inset.errors import DomainError, ErrorCode
from inset.evidence.models import EvidenceKind
from inset.gates.models import GateDecision, GateDecisionKind
from inset.lessons.models import Lesson, LessonBarrier, LessonKind
from inset.lessons.service import InlineLesson
from inset.projects.models import ProjectStatus, Stage, Visibility
from tests.gates.gate_records import Records, current

GO = GateDecisionKind.GO
HOLD = GateDecisionKind.HOLD
RESUME = GateDecisionKind.RESUME
RECYCLE = GateDecisionKind.RECYCLE
STOP = GateDecisionKind.STOP

WHY_IT_ENDED = InlineLesson(
    kind=LessonKind.WHAT_DID_NOT_WORK,
    title="Families would not use the app",
    body="We meant to cut missed visits; families had no data allowance, so next time "
    "start with a phone call.",
    barriers=["Technology", "DEMAND"],
)


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


def refused(records: Records, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        records.decide(*args, **kwargs)
    return caught.value


def decisions_of(engine, project) -> list[GateDecision]:
    with Session(engine) as session:
        return list(
            session.scalars(
                sa.select(GateDecision)
                .where(GateDecision.project_id == project.id)
                .order_by(GateDecision.id)
            )
        )


def lessons_of(engine, project) -> list[Lesson]:
    with Session(engine) as session:
        return list(session.scalars(sa.select(Lesson).where(Lesson.project_id == project.id)))


def audit_actions(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_go_is_refused_while_a_mandatory_criterion_is_unmet_and_nothing_changes(
    world, engine, records
):
    lead = world.lead()
    project = world.project(lead)
    before = audit_actions(engine)

    error = refused(records, lead, project, GO)

    assert error.code is ErrorCode.GATE_NOT_MET
    assert error.field == ("decision",)
    # the criteria's descriptions, which say what to do, not their codes
    assert error.message.startswith(
        "not ready to go on yet: state the problem the project sets out to solve"
    )
    assert error.message.endswith("; record at least one estimated cost")
    assert "estimated_cost" not in error.message
    after = current(engine, project)
    assert (after.stage, after.version) == (Stage.IDEA, 1)
    assert decisions_of(engine, project) == []
    assert audit_actions(engine) == before


def test_go_moves_to_the_next_stage_once_real_records_meet_the_mandatory_criteria(
    world, engine, records
):
    lead = world.lead()
    project = world.project(lead, problem="Missing episodes go unexplained.")
    assert records.readiness(project).unmet_mandatory == [
        "theory_of_change_stated",
        "outcome_with_baseline",
        "estimated_cost",
    ]
    with Session(engine) as session:
        session.execute(
            sa.update(type(project))
            .where(type(project).id == project.id)
            .values(theory_of_change="Trusted adults reduce repeat episodes.")
        )
        session.commit()
    records.outcome(lead, project)
    assert records.readiness(project).unmet_mandatory == ["estimated_cost"]
    records.cost(lead, project)
    readiness = records.readiness(project)
    assert readiness.ready  # the advisory theme and partner are still missing
    assert [c.code for c in readiness.criteria if not c.met] == ["theme_set", "partner_named"]
    entered = current(engine, project).stage_entered_at

    moved, decision = records.decide(lead, project, GO, rationale="Ready to pilot.")

    assert (moved.stage, moved.status, moved.version) == (Stage.PILOT, ProjectStatus.ACTIVE, 2)
    assert moved.stage_entered_at > entered
    assert moved.last_decision_at == decision.decided_at
    assert (decision.from_stage, decision.to_stage) == (Stage.IDEA, Stage.PILOT)
    assert decision.status_after is ProjectStatus.ACTIVE
    assert (decision.override, decision.unmet_criteria) == (False, [])
    assert decision.decided_by_id == lead.account_id
    assert current(engine, project).stage is Stage.PILOT


def test_readiness_for_the_evaluation_and_scale_gates_follows_the_records(world, engine, records):
    lead = world.lead()
    project = records.ready_for_evaluation(world, lead)
    assert records.readiness(project).ready
    evaluation = records.at_evaluation(world, lead)
    assert records.readiness(evaluation).unmet_mandatory == [
        "evidence_level_3",
        "independent_evaluation",
        "benefits_recorded",
        "evaluation_lesson",
    ]

    ready = records.ready_for_scale(world, lead)

    readiness = records.readiness(ready)
    assert readiness.ready
    # 12,960 adjusted benefit against 10,000 x 1.05 + 5,000 x 1.05 = 15,750: 0.82
    assert [c.code for c in readiness.criteria if not c.met] == [
        "bcr_at_least_1",
        "replication_partner",
    ]


def test_staff_may_override_an_unmet_gate_and_the_unmet_criteria_are_kept(world, engine, records):
    lead = world.lead()
    project = world.project(lead, problem="Missing episodes go unexplained.")

    moved, decision = records.decide(
        world.staff, project, GO, override=True, rationale="Ministerial priority."
    )

    assert moved.stage is Stage.PILOT
    assert decision.override
    assert decision.unmet_criteria == [
        "theory_of_change_stated",
        "outcome_with_baseline",
        "estimated_cost",
    ]


def test_an_override_with_nothing_unmet_is_not_recorded_as_one(world, engine, records):
    lead = world.lead()
    project = records.ready_for_pilot(world, lead)

    _, decision = records.decide(world.staff, project, GO, override=True)

    assert (decision.override, decision.unmet_criteria) == (False, [])


def test_a_lead_may_not_override_a_gate(world, engine, records):
    lead = world.lead()
    project = world.project(lead)

    error = refused(records, lead, project, GO, override=True)

    assert (error.code, error.field) == (ErrorCode.FORBIDDEN, ("override",))
    assert current(engine, project).stage is Stage.IDEA


def test_go_goes_one_stage_only(world, engine, records):
    lead = world.lead()
    project = records.ready_for_pilot(world, lead)

    error = refused(records, lead, project, GO, to_stage=Stage.EVALUATION)

    assert (error.code, error.field) == (ErrorCode.INVALID_TRANSITION, ("to_stage",))


def test_go_from_scale_is_an_invalid_transition(world, engine, records):
    lead = world.lead()
    project = records.at_scale(world, lead)

    error = refused(records, world.staff, project, GO, override=True)

    assert error.code is ErrorCode.INVALID_TRANSITION


def test_hold_keeps_the_stage_and_the_revisit_date(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    revisit = utcnow().date() + timedelta(days=60)

    held, decision = records.decide(lead, project, HOLD, revisit_on=revisit)

    assert (held.stage, held.status, held.revisit_on) == (
        Stage.PILOT,
        ProjectStatus.ON_HOLD,
        revisit,
    )
    assert (decision.from_stage, decision.to_stage) == (Stage.PILOT, Stage.PILOT)
    assert decision.revisit_on == revisit
    assert held.stage_entered_at == project.stage_entered_at


def test_resume_brings_a_held_project_back_and_clears_its_revisit_date(world, engine, records):
    lead = world.lead()
    project = world.project(lead)
    records.decide(lead, project, HOLD, revisit_on=utcnow().date())

    resumed, decision = records.decide(lead, project, RESUME, rationale="Funding agreed.")

    assert (resumed.status, resumed.revisit_on) == (ProjectStatus.ACTIVE, None)
    assert decision.status_after is ProjectStatus.ACTIVE
    assert resumed.version == 3


@pytest.mark.parametrize(("decision", "status"), [(RESUME, "ACTIVE"), (GO, "ON_HOLD")])
def test_a_decision_from_the_wrong_status_is_an_invalid_transition(
    world, engine, records, decision, status
):
    lead = world.lead()
    project = records.ready_for_pilot(world, lead)
    if status == "ON_HOLD":
        records.decide(lead, project, HOLD)

    error = refused(records, lead, project, decision)

    assert error.code is ErrorCode.INVALID_TRANSITION
    assert status in error.message


def test_hold_rejects_a_revisit_date_in_the_past_and_other_decisions_take_none(
    world, engine, records
):
    lead = world.lead()
    project = world.project(lead)

    past = refused(records, lead, project, HOLD, revisit_on=date(2020, 1, 1))
    misplaced = refused(records, lead, project, STOP, revisit_on=utcnow().date())

    assert (past.code, past.field) == (ErrorCode.INVALID, ("revisit_on",))
    assert (misplaced.code, misplaced.field) == (ErrorCode.INVALID, ("revisit_on",))


def test_recycle_goes_back_with_its_lesson_from_the_stage_it_leaves(world, engine, records):
    lead = world.lead()
    project = records.at_evaluation(world, lead)

    back, decision = records.decide(
        lead, project, RECYCLE, to_stage=Stage.PILOT, lesson=WHY_IT_ENDED
    )

    assert (back.stage, back.status) == (Stage.PILOT, ProjectStatus.ACTIVE)
    assert back.stage_entered_at > project.stage_entered_at
    assert (decision.from_stage, decision.to_stage) == (Stage.EVALUATION, Stage.PILOT)
    [lesson] = [row for row in lessons_of(engine, project) if row.decision_id == decision.id]
    assert lesson.stage is Stage.EVALUATION


@pytest.mark.parametrize("to_stage", [Stage.EVALUATION, Stage.PILOT])
def test_recycle_forwards_or_to_the_same_stage_is_an_invalid_transition(
    world, engine, records, to_stage
):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    error = refused(records, lead, project, RECYCLE, to_stage=to_stage, lesson=WHY_IT_ENDED)

    assert (error.code, error.field) == (ErrorCode.INVALID_TRANSITION, ("to_stage",))


def test_recycle_needs_a_stage_to_go_back_to_and_a_lesson(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    no_stage = refused(records, lead, project, RECYCLE, lesson=WHY_IT_ENDED)
    no_lesson = refused(records, lead, project, RECYCLE, to_stage=Stage.IDEA)

    assert (no_stage.code, no_stage.field) == (ErrorCode.REQUIRED, ("to_stage",))
    assert (no_lesson.code, no_lesson.field) == (ErrorCode.REQUIRED, ("lesson",))


def test_stop_without_a_lesson_is_refused(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    records.lesson(lead, project, stage=Stage.IDEA)  # a lesson, but not from this stage

    error = refused(records, lead, project, STOP, rationale="No take-up.")

    assert (error.code, error.field) == (ErrorCode.REQUIRED, ("lesson",))
    assert current(engine, project).status is ProjectStatus.ACTIVE


def test_stop_with_an_inline_lesson_lands_both_in_one_transaction(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    stopped, decision = records.decide(
        lead, project, STOP, rationale="No take-up.", lesson=WHY_IT_ENDED
    )

    assert (stopped.stage, stopped.status) == (Stage.PILOT, ProjectStatus.STOPPED)
    assert decision.status_after is ProjectStatus.STOPPED
    [lesson] = lessons_of(engine, project)
    assert (lesson.decision_id, lesson.stage, lesson.kind) == (
        decision.id,
        Stage.PILOT,
        LessonKind.WHAT_DID_NOT_WORK,
    )
    with Session(engine) as session:
        tags = set(session.scalars(sa.select(LessonBarrier.barrier)))
    assert {t.value for t in tags} == {"technology", "demand"}
    assert audit_actions(engine)[-3:] == ["lesson.record", "gate.decide", "project.gate_decision"]


def test_stop_accepts_a_lesson_already_recorded_at_the_current_stage_even_on_hold(
    world, engine, records
):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    records.decide(lead, project, HOLD)
    records.lesson(lead, project, kind=LessonKind.BARRIER, title="No budget for year two")

    stopped, _ = records.decide(lead, project, STOP, rationale="No funding.")

    assert stopped.status is ProjectStatus.STOPPED


@pytest.mark.parametrize("decision", list(GateDecisionKind))
def test_a_stopped_project_takes_no_more_decisions(world, engine, records, decision):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    records.decide(lead, project, STOP, lesson=WHY_IT_ENDED)

    error = refused(
        records, world.staff, project, decision, to_stage=Stage.IDEA, lesson=WHY_IT_ENDED
    )

    assert error.code is ErrorCode.INVALID_TRANSITION
    assert "stopped" in error.message


def test_a_stale_expected_version_is_a_conflict_naming_the_current_version(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)

    error = refused(records, lead, project, HOLD, expected_version=1)

    assert (error.code, error.field) == (ErrorCode.CONFLICT, ("expected_version",))
    assert "version 2" in error.message
    assert current(engine, project).status is ProjectStatus.ACTIVE


def test_a_rationale_is_required_and_checked_for_personal_data(world, engine, records):
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PUBLIC)

    blank = refused(records, lead, project, HOLD, rationale="  ")
    email = refused(records, lead, project, HOLD, rationale="Ask jo@example.org why.")

    assert (blank.code, blank.field) == (ErrorCode.REQUIRED, ("rationale",))
    assert (email.code, email.field) == (ErrorCode.PERSONAL_DATA, ("rationale",))


def test_a_bad_inline_lesson_is_named_under_lesson_and_nothing_is_stored(world, engine, records):
    lead = world.lead()
    project = records.at_pilot(world, lead)
    bad = InlineLesson(kind=LessonKind.BARRIER, title="Money", body="Ran out.", barriers=["cash"])

    error = refused(records, lead, project, STOP, lesson=bad)

    assert (error.code, error.field) == (ErrorCode.INVALID, ("lesson", "barriers"))
    assert "'cash'" in error.message
    assert current(engine, project).status is ProjectStatus.ACTIVE
    assert len(decisions_of(engine, project)) == 1  # only the GO into PILOT
    assert lessons_of(engine, project) == []


def test_members_may_not_decide_and_outsiders_do_not_see_the_project(world, engine, records):
    org = world.org()
    lead = world.lead(org)
    project = world.project(lead)

    member = refused(records, world.member(org), project, HOLD)
    outsider = refused(records, world.lead(), project, HOLD)

    assert member.code is ErrorCode.FORBIDDEN
    assert (outsider.code, outsider.field) == (ErrorCode.NOT_FOUND, ("project_id",))


def test_a_partners_lead_may_decide(world, engine, records):
    partner = world.org()
    lead = world.lead()
    project = world.project(lead, partner_organisation_ids=[partner.id])

    held, _ = records.decide(world.lead(partner), project, HOLD)

    assert held.status is ProjectStatus.ON_HOLD


def test_every_decision_is_audited_with_what_it_changed(world, engine, records):
    lead = world.lead()
    project = records.ready_for_pilot(world, lead)

    _, decision = records.decide(lead, project, GO, rationale="Ready.")

    with Session(engine) as session:
        decided, changed = session.scalars(
            sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)
        ).all()[::-1]
    assert (decided.action, decided.entity_type, decided.entity_id) == (
        "gate.decide",
        "GateDecision",
        decision.id,
    )
    assert decided.changes["decision"] == [None, "GO"]
    assert decided.changes["rationale"] == [None, "Ready."]
    assert decided.account_id == lead.account_id
    assert (changed.action, changed.entity_id) == ("project.gate_decision", project.id)
    assert changed.changes["stage"] == ["IDEA", "PILOT"]
    assert changed.changes["version"] == [1, 2]


def test_level_5_evidence_counts_once_a_project_with_a_partner_reaches_scale(
    world, engine, records
):
    partner = world.org()
    lead = world.lead()
    project = records.ready_for_scale(world, lead, partner_organisation_ids=[partner.id])
    records.evidence(lead, project, 5, EvidenceKind.CASE_STUDY)
    assert current(engine, project).evidence_level == 4

    scaled, _ = records.decide(lead, project, GO)

    assert scaled.evidence_level == 5
    assert current(engine, project).evidence_level == 5
