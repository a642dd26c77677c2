"""Gate review panels: who may be appointed, what a review holds, when it stands, and what
the gate decision keeps of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.accounts.models import Role
from inset.audit.models import AuditEvent
from inset.errors import DomainError, ErrorCode
from inset.gates.models import GateDecisionKind
from inset.projects.models import Stage, Visibility
from inset.reviews import service as reviews
from inset.reviews.models import Assessment, GateReview, Recommendation
from tests.gates.gate_records import Records, current
from tests.reviews.panel_records import Panels, every_criterion_met

GO, HOLD, STOP = GateDecisionKind.GO, GateDecisionKind.HOLD, GateDecisionKind.STOP
MEMBERS = Visibility.MEMBERS


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


@pytest.fixture
def panels(engine) -> Panels:
    return Panels(engine)


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def reviews_of(engine, project) -> list[GateReview]:
    with Session(engine) as session:
        return list(
            session.scalars(sa.select(GateReview).where(GateReview.project_id == project.id))
        )


def test_staff_appoint_staff_and_people_of_other_organisations_to_the_next_gate(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.at_evaluation(world, lead, visibility=MEMBERS)
    outsider = world.lead()
    colleague = world.actor(world.account(world.org("The Incubator Two"), Role.STAFF))

    rows = panels.appoint(world.staff, project, [outsider, colleague])

    assert [r.to_stage for r in rows] == [Stage.SCALE, Stage.SCALE]
    assert {r.reviewer_id for r in reviews_of(engine, project)} == {
        outsider.account_id,
        colleague.account_id,
    }


def test_nobody_of_the_projects_own_organisations_may_review_it(world, engine, records, panels):
    lead_org, partner_org = world.org(), world.org()
    lead = world.lead(lead_org)
    project = records.at_pilot(
        world, lead, visibility=MEMBERS, partner_organisation_ids=[partner_org.id]
    )
    outsider = world.lead()
    for insider in (world.member(lead_org), world.lead(partner_org)):
        error = refused(panels.appoint, world.staff, project, [outsider, insider])

        assert error.code is ErrorCode.INVALID
        assert error.field == ("reviewer_ids", "1")
        assert "project's own organisations" in error.message
    assert reviews_of(engine, project) == []


def test_only_staff_may_review_a_private_project(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead)  # PRIVATE

    error = refused(panels.appoint, world.staff, project, [world.lead()])

    assert error.code is ErrorCode.INVALID
    assert "cannot read this private project" in error.message
    assert reviews_of(engine, project) == []


def test_only_staff_appoint_reviewers(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)

    error = refused(panels.appoint, lead, project, [world.lead()])

    assert error.code is ErrorCode.FORBIDDEN
    assert reviews_of(engine, project) == []


def test_a_panel_reviews_the_next_gate_only_and_takes_each_reviewer_once(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer = world.lead()

    wrong_gate = refused(panels.appoint, world.staff, project, [reviewer], to_stage=Stage.SCALE)
    twice = refused(panels.appoint, world.staff, project, [reviewer, reviewer])
    none = refused(panels.appoint, world.staff, project, [])

    assert (wrong_gate.code, wrong_gate.field) == (ErrorCode.INVALID, ("to_stage",))
    assert (twice.code, twice.field) == (ErrorCode.DUPLICATE, ("reviewer_ids", "1"))
    assert (none.code, none.message) == (ErrorCode.REQUIRED, "Choose at least one reviewer")
    assert reviews_of(engine, project) == []


def test_a_project_at_scale_has_no_gate_to_review(world, engine, records, panels):
    lead = world.lead()
    project = records.at_scale(world, lead, visibility=MEMBERS)

    error = refused(panels.appoint, world.staff, project, [world.lead()])

    assert error.field == ("project_id",)
    assert "no gate to review" in error.message


def test_a_review_assesses_every_criterion_of_the_gate_with_comments_where_unmet(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.at_evaluation(world, lead, visibility=MEMBERS)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    partly = every_criterion_met(Stage.SCALE)
    partly[1] = reviews.CriterionAssessment(
        "independent_evaluation", Assessment.PARTLY_MET, "The evaluator was paid by the council."
    )

    saved = panels.submit(reviewer, review, Recommendation.HOLD, assessments=partly)

    assert saved.recommendation is Recommendation.HOLD
    assert saved.submitted_at is not None
    assert [a["criterion"] for a in saved.assessments] == [
        "evidence_level_3",
        "independent_evaluation",
        "benefits_recorded",
        "evaluation_lesson",
        "bcr_at_least_1",
        "replication_partner",
    ]
    assert saved.assessments[1] == {
        "criterion": "independent_evaluation",
        "assessment": "PARTLY_MET",
        "comment": "The evaluator was paid by the council.",
    }


@pytest.mark.parametrize(
    ("change", "code", "field", "message"),
    [
        ("drop_one", ErrorCode.REQUIRED, ("assessments",), "Assess every criterion of the gate"),
        ("unknown", ErrorCode.INVALID, ("assessments", "0", "criterion"), "not a criterion"),
        ("no_comment", ErrorCode.REQUIRED, ("assessments", "0", "comment"), "Enter a comment"),
        ("no_rationale", ErrorCode.REQUIRED, ("rationale",), "Enter a rationale"),
        ("personal_comment", ErrorCode.PERSONAL_DATA, ("assessments", "0", "comment"), ""),
        ("personal_rationale", ErrorCode.PERSONAL_DATA, ("rationale",), ""),
    ],
)
def test_a_review_that_misses_something_is_refused_naming_the_field_and_nothing_is_kept(
    world, engine, records, panels, change, code, field, message
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    assessments = every_criterion_met(Stage.EVALUATION)
    rationale = "Ready for an evaluation."
    first = assessments[0]
    if change == "drop_one":
        assessments.pop()
    elif change == "unknown":
        assessments[0] = reviews.CriterionAssessment("gut_feeling", Assessment.MET)
    elif change == "no_comment":
        assessments[0] = reviews.CriterionAssessment(first.criterion, Assessment.NOT_MET, "  ")
    elif change == "personal_comment":
        assessments[0] = reviews.CriterionAssessment(
            first.criterion, Assessment.NOT_MET, "The girl born 12/03/2015 went missing again."
        )
    elif change == "no_rationale":
        rationale = "   "
    else:
        rationale = "Her NHS number 943 476 5919 is in the notes."

    error = refused(panels.submit, reviewer, review, rationale=rationale, assessments=assessments)

    assert (error.code, error.field) == (code, field)
    assert message in error.message
    assert panels.row(review).submitted_at is None


def test_only_the_appointed_reviewer_submits_their_review(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])

    for someone_else in (world.lead(), lead, world.staff):
        error = refused(panels.submit, someone_else, review)
        assert (error.code, error.field) == (ErrorCode.NOT_FOUND, ("review_id",))
    assert panels.row(review).submitted_at is None


def test_a_review_may_be_corrected_until_the_panel_is_complete(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    first, second = world.lead(), world.member()
    review_one, review_two = panels.appoint(world.staff, project, [first, second])
    panels.submit(first, review_one, Recommendation.HOLD)

    corrected = panels.submit(first, review_one, Recommendation.GO)
    panels.submit(second, review_two, Recommendation.GO)
    error = refused(panels.submit, first, review_one, Recommendation.STOP)

    assert corrected.recommendation is Recommendation.GO
    assert "panel is complete" in error.message
    assert panels.row(review_one).recommendation is Recommendation.GO


def test_a_complete_panel_takes_no_more_reviewers_and_a_submitted_review_stays(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer, late = world.lead(), world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    panels.submit(reviewer, review)

    more = refused(panels.appoint, world.staff, project, [late])
    withdraw = refused(panels.withdraw, world.staff, review)

    assert "panel is complete" in more.message
    assert "stays on the panel" in withdraw.message


def test_withdrawing_a_reviewer_who_has_not_submitted_completes_the_panel(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    keen, silent = world.lead(), world.lead()
    review, absent = panels.appoint(world.staff, project, [keen, silent])
    panels.submit(keen, review)

    panels.withdraw(world.staff, absent)

    assert panels.row(absent).withdrawn_at is not None
    assert _panel_met(engine, project, "PILOT")
    error = refused(panels.submit, silent, absent)
    assert "withdrawn" in error.message


def test_a_go_without_a_complete_panel_is_refused_where_the_settings_require_one(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.ready_for_scale(world, lead, visibility=MEMBERS)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    required = {"review_required": frozenset({"EVALUATION"})}

    error = refused(records.decide, lead, project, GO, **required)
    panels.submit(reviewer, review, Recommendation.GO)
    moved, decision = records.decide(lead, project, GO, **required)

    assert error.code is ErrorCode.GATE_NOT_MET
    assert error.unmet == ["panel_complete"]
    assert moved.stage is Stage.SCALE
    assert decision.panel_snapshot == {
        "to_stage": "SCALE",
        "appointed": 1,
        "submitted": 1,
        "complete": True,
        "reviews": [{"review_id": review.id, "recommendation": "GO"}],
    }
    assert panels.row(review).closed_by_decision_id == decision.id


def _panel_met(engine, project, gate: str) -> bool:
    from inset.gates import service as gates

    with Session(engine) as session:
        found = gates.readiness(
            session=session, project=current(engine, project), review_required={gate}
        )
    [panel] = [c for c in found.criteria if c.code == "panel_complete"]
    return panel.met


def test_readiness_shows_the_panel_criterion_only_at_the_gates_that_require_it(
    world, engine, records
):
    lead = world.lead()
    project = records.ready_for_scale(world, lead)
    with Session(engine) as session:
        from inset.gates import service as gates

        required = gates.readiness(session=session, project=project, review_required={"EVALUATION"})
        elsewhere = gates.readiness(session=session, project=project, review_required={"IDEA"})

    assert required.unmet_mandatory == ["panel_complete"]
    assert "panel_complete" not in [c.code for c in elsewhere.criteria]


def test_staff_may_override_a_missing_panel_with_a_reason_and_it_is_kept(
    world, engine, records, panels
):
    lead = world.lead()
    project = records.ready_for_scale(world, lead, visibility=MEMBERS)

    moved, decision = records.decide(
        world.staff,
        project,
        GO,
        override=True,
        rationale="The panel could not meet before the funding deadline.",
        review_required=frozenset({"EVALUATION"}),
    )

    assert moved.stage is Stage.SCALE
    assert decision.unmet_criteria == ["panel_complete"]
    assert decision.panel_snapshot is None


def test_hold_keeps_the_panel_open_and_stop_closes_it(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    records.lesson(lead, project)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    panels.submit(reviewer, review, Recommendation.STOP)

    _, held = records.decide(lead, project, HOLD)
    still_open = panels.row(review).closed_by_decision_id
    _, stopped = records.decide(lead, project, STOP)

    assert held.panel_snapshot is not None
    assert held.panel_snapshot["complete"]
    assert still_open is None
    assert panels.row(review).closed_by_decision_id == stopped.id


def test_each_change_to_a_panel_is_audited(world, engine, records, panels):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer, other = world.lead(), world.lead()
    review, spare = panels.appoint(world.staff, project, [reviewer, other])
    panels.submit(reviewer, review)
    panels.withdraw(world.staff, spare)

    with Session(engine) as session:
        events = list(
            session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.entity_type == "GateReview")
                .order_by(AuditEvent.id)
            )
        )

    assert [e.action for e in events] == [
        "review.appoint",
        "review.appoint",
        "review.submit",
        "review.withdraw",
    ]
    assert events[2].account_id == reviewer.account_id
    assert events[2].changes["recommendation"] == [None, "GO"]


def test_a_reviewer_whose_organisation_joins_the_project_may_no_longer_review_it(
    world, engine, records, panels
):
    from inset.db import transaction
    from inset.projects import service as projects

    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    joining = world.org()
    reviewer = world.lead(joining)
    [review] = panels.appoint(world.staff, project, [reviewer])
    with transaction(engine) as session:
        projects.update_project(
            session=session,
            actor=lead,
            project_id=project.id or 0,
            expected_version=current(engine, project).version,
            changes={"partner_organisation_ids": [joining.id or 0]},
        )

    error = refused(panels.submit, reviewer, review)

    assert error.code is ErrorCode.FORBIDDEN
    assert panels.row(review).submitted_at is None
