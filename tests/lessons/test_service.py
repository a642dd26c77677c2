"""Recording lessons, who may read them, and the learning library's filters."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.access import ANONYMOUS, Actor
from inset.audit.models import AuditEvent
from inset.db import transaction, utcnow
from inset.errors import DomainError, ErrorCode
from inset.lessons import service
from inset.lessons.models import Barrier, Lesson, LessonBarrier, LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects.models import Project, ProjectStatus, Stage, Visibility

NHS_NUMBER = "943 476 5919"  # valid modulus 11 check digit


def record(engine, actor: Actor, project: Project, **overrides: Any) -> Lesson:
    values: dict[str, Any] = {
        "kind": LessonKind.WHAT_DID_NOT_WORK,
        "title": "Families would not use the app",
        "body": "We meant to cut missed visits; families had no data, so start with a call.",
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_lesson(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def refused(engine, actor: Actor, project: Project, **overrides: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        record(engine, actor, project, **overrides)
    return caught.value


def barriers_of(engine, lesson: Lesson) -> list[str]:
    with Session(engine) as session:
        rows = session.scalars(
            sa.select(LessonBarrier.barrier).where(LessonBarrier.lesson_id == lesson.id)
        )
        return sorted(b.value for b in rows)


def readable_ids(engine, actor: Actor, **filters: Any) -> list[int]:
    with Session(engine) as session:
        stmt = service.lesson_list(actor=actor, **filters).order_by(Lesson.id)
        return [row.id for row in session.scalars(stmt)]


def set_project(engine, project: Project, **values: Any) -> None:
    with transaction(engine) as session:
        session.execute(sa.update(Project).where(Project.id == project.id).values(**values))


def test_a_lesson_comes_from_the_projects_current_stage_by_default(world, engine):
    lead = world.lead()
    project = world.project(lead)

    lesson = record(engine, lead, project)

    assert lesson.stage is Stage.IDEA
    assert (lesson.shared_with, lesson.anonymised, lesson.decision_id) == (None, False, None)
    assert lesson.recorded_by_id == lead.account_id


def test_barrier_tags_are_matched_by_value_or_name_ignoring_case_and_kept_once(world, engine):
    lead = world.lead()
    project = world.project(lead)

    lesson = record(
        engine,
        lead,
        project,
        barriers=["Staff capacity", "STAFF_CAPACITY", "information_governance", " risk  aversion "],
    )

    assert barriers_of(engine, lesson) == [
        "information governance",
        "risk aversion",
        "staff capacity",
    ]


def test_an_unknown_barrier_is_invalid_naming_it_and_listing_the_allowed_ones(world, engine):
    lead = world.lead()
    project = world.project(lead)

    error = refused(engine, lead, project, barriers=["funding", "budget cuts"])

    assert (error.code, error.field) == (ErrorCode.INVALID, ("barriers",))
    assert "'budget cuts'" in error.message
    assert all(b.value in error.message for b in Barrier)


@pytest.mark.parametrize(
    ("project_visibility", "asked", "stored"),
    [
        (Visibility.PRIVATE, Visibility.PUBLIC, Visibility.PUBLIC),
        (Visibility.PRIVATE, Visibility.MEMBERS, Visibility.MEMBERS),
        (Visibility.MEMBERS, Visibility.PRIVATE, None),
        (Visibility.MEMBERS, Visibility.MEMBERS, None),
        (Visibility.PUBLIC, Visibility.MEMBERS, None),
        (Visibility.PRIVATE, None, None),
    ],
)
def test_a_lesson_may_be_shared_more_widely_than_its_project_never_less(
    world, engine, project_visibility, asked, stored
):
    lead = world.lead()
    project = world.project(lead, visibility=project_visibility)

    lesson = record(engine, lead, project, shared_with=asked)

    assert lesson.shared_with == stored
    effective = service.effective_visibility(project_visibility, lesson.shared_with)
    assert effective.breadth == max(
        project_visibility.breadth, (asked or project_visibility).breadth
    )


def test_contact_details_are_refused_only_in_a_lesson_readable_by_anyone(world, engine):
    lead = world.lead()
    project = world.project(lead)
    body = "Ring the team on 0161 496 0000 to hear how it went."

    private = record(engine, lead, project, body=body)
    public = refused(engine, lead, project, body=body, shared_with=Visibility.PUBLIC)

    assert private.body == body
    assert (public.code, public.field) == (ErrorCode.PERSONAL_DATA, ("body",))


def test_identifiers_of_a_child_are_refused_everywhere(world, engine):
    lead = world.lead()
    project = world.project(lead)

    error = refused(engine, lead, project, title=f"Child {NHS_NUMBER} went missing")

    assert (error.code, error.field) == (ErrorCode.PERSONAL_DATA, ("title",))


def test_title_and_body_are_required(world, engine):
    lead = world.lead()
    project = world.project(lead)

    assert refused(engine, lead, project, title=" ").field == ("title",)
    assert refused(engine, lead, project, body="").code is ErrorCode.REQUIRED


def test_a_lesson_may_come_from_an_earlier_stage_but_not_one_not_reached(world, engine):
    lead = world.lead()
    project = world.project(lead)
    set_project(engine, project, stage=Stage.PILOT)

    earlier = record(engine, lead, project, stage=Stage.IDEA)
    error = refused(engine, lead, project, stage=Stage.EVALUATION)

    assert earlier.stage is Stage.IDEA
    assert (error.code, error.field) == (ErrorCode.INVALID, ("stage",))


def test_members_may_not_record_lessons_and_outsiders_do_not_see_the_project(world, engine):
    org = world.org()
    project = world.project(world.lead(org))

    member = refused(engine, world.member(org), project)
    outsider = refused(engine, world.lead(), project)

    assert member.code is ErrorCode.FORBIDDEN
    assert outsider.code is ErrorCode.NOT_FOUND


def test_recording_a_lesson_is_audited_and_touches_the_project_without_a_new_version(world, engine):
    lead = world.lead()
    project = world.project(lead)

    lesson = record(engine, lead, project, barriers=["funding"], shared_with=Visibility.MEMBERS)

    with Session(engine) as session:
        event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        after = session.get(Project, project.id)
    assert event is not None
    assert after is not None
    assert (event.action, event.entity_type, event.entity_id) == (
        "lesson.record",
        "Lesson",
        lesson.id,
    )
    assert event.changes["barriers"] == [None, ["funding"]]
    assert event.changes["shared_with"] == [None, "MEMBERS"]
    assert after.version == 1
    assert after.updated_at > project.updated_at


def test_who_reads_a_lesson_follows_its_project_and_its_wider_sharing(world, engine):
    org, partner = world.org(), world.org()
    lead = world.lead(org)
    project = world.project(lead, partner_organisation_ids=[partner.id])
    private = record(engine, lead, project)
    members = record(engine, lead, project, shared_with=Visibility.MEMBERS)
    public = record(engine, lead, project, shared_with=Visibility.PUBLIC)

    assert readable_ids(engine, ANONYMOUS) == [public.id]
    assert readable_ids(engine, world.member()) == [members.id, public.id]
    everything = [private.id, members.id, public.id]
    assert readable_ids(engine, world.member(partner)) == everything
    assert readable_ids(engine, world.member(org)) == everything
    assert readable_ids(engine, world.staff) == everything


def test_archived_lessons_and_lessons_of_archived_projects_are_read_by_nobody(world, engine):
    lead = world.lead()
    project = world.project(lead)
    kept = record(engine, lead, project, shared_with=Visibility.PUBLIC)
    gone = record(engine, lead, project, shared_with=Visibility.PUBLIC)
    with transaction(engine) as session:
        service.archive_lesson(session=session, actor=lead, lesson_id=gone.id or 0, reason="Twice")
    assert readable_ids(engine, ANONYMOUS) == [kept.id]

    set_project(engine, project, archived_at=utcnow())

    assert readable_ids(engine, ANONYMOUS) == []
    assert readable_ids(engine, world.staff) == []


def test_the_library_filters_by_barrier_stage_kind_theme_and_how_the_trial_ended(world, engine):
    theme = world.theme("Missing from care")
    lead = world.lead(world.org(kind=OrganisationKind.CHARITY, region="London"))
    themed = world.project(lead, theme_ids=[theme.id])
    other = world.project(world.lead())
    funding = record(engine, lead, themed, barriers=["funding"], kind=LessonKind.BARRIER)
    worked = record(
        engine, lead, themed, kind=LessonKind.WHAT_WORKED, title="Texts work", body="Replies."
    )
    elsewhere = record(engine, world.staff, other, barriers=["culture"])
    set_project(engine, other, stage=Stage.PILOT, status=ProjectStatus.STOPPED)
    staff = world.staff

    assert readable_ids(engine, staff, barriers=["Funding"]) == [funding.id]
    assert readable_ids(engine, staff, kinds=[LessonKind.WHAT_WORKED]) == [worked.id]
    assert readable_ids(engine, staff, theme_ids=[theme.id]) == [funding.id, worked.id]
    assert readable_ids(engine, staff, project_outcomes=[ProjectStatus.STOPPED]) == [elsewhere.id]
    assert readable_ids(engine, staff, stages=[Stage.IDEA]) == [funding.id, worked.id, elsewhere.id]
    kinds = [OrganisationKind.CHARITY]
    assert readable_ids(engine, staff, organisation_kinds=kinds) == [funding.id, worked.id]
    assert readable_ids(engine, staff, regions=["London"]) == [funding.id, worked.id]
    assert readable_ids(engine, staff, search="TEXTS") == [worked.id]
    assert readable_ids(engine, staff, search="no data") == [funding.id, elsewhere.id]


def test_a_filter_by_an_unknown_barrier_is_invalid(world, engine):
    with pytest.raises(DomainError) as caught:
        service.lesson_list(actor=ANONYMOUS, barriers=["money"])

    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID, ("filter", "barriers"))


def test_archiving_a_lesson_needs_a_writer_and_is_audited(world, engine):
    org = world.org()
    lead = world.lead(org)
    lesson = record(engine, lead, world.project(lead))
    outsider = world.lead()

    with pytest.raises(DomainError) as caught, transaction(engine) as session:
        service.archive_lesson(
            session=session, actor=outsider, lesson_id=lesson.id or 0, reason="Wrong"
        )
    assert caught.value.code is ErrorCode.NOT_FOUND

    with transaction(engine) as session:
        archived = service.archive_lesson(
            session=session, actor=lead, lesson_id=lesson.id or 0, reason="Recorded twice"
        )
    assert archived.archived_at is not None
    with Session(engine) as session:
        action = session.scalars(
            sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())
        ).first()
    assert action == "lesson.archive"
