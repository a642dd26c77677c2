from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.access import ANONYMOUS
from inset.accounts.models import TokenScope
from inset.audit.models import AuditEvent
from inset.db import transaction
from inset.errors import (
    Conflict,
    DomainErrors,
    Forbidden,
    Invalid,
    NotFound,
    PersonalData,
    Required,
)
from inset.organisations.models import OrganisationKind
from inset.projects import service
from inset.projects.models import InnovationType, Project, ProjectStatus, Stage, Visibility

VALID_NHS_NUMBER = "943 476 5919"


def test_a_lead_creates_a_project_for_their_organisation_at_idea(world, session: Session):
    lead = world.lead()
    theme = world.theme("Youth crime")

    project = world.project(
        lead, theory_of_change="Early contact keeps children safe.", theme_ids=[theme.id]
    )

    assert project.stage is Stage.IDEA
    assert project.status is ProjectStatus.ACTIVE
    assert project.version == 1
    assert project.evidence_level == 1  # a theory of change is an account of impact
    assert service.theme_ids(session=session, project_id=project.id) == [theme.id]
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "project.create")
    ).one()
    assert event.account_id == lead.account_id
    assert event.changes["title"] == [None, project.title]


def test_a_lead_cannot_create_a_project_for_an_organisation_they_do_not_belong_to(world):
    lead, other = world.lead(), world.org()

    with pytest.raises(Forbidden):
        world.project(lead, lead_organisation_id=other.id)


def test_members_and_read_only_tokens_cannot_create_projects(world):
    org = world.org()
    with pytest.raises(Forbidden):
        world.project(world.member(org))
    with pytest.raises(Forbidden):
        world.project(world.actor(world.account(org), TokenScope.READ))


def test_a_blank_title_is_required_and_nothing_is_stored(world, session: Session):
    lead = world.lead()

    with pytest.raises(Required) as error:
        world.project(lead, title="   ")

    assert error.value.field == ("title",)
    assert session.scalars(sa.select(Project)).all() == []


def test_personal_data_in_a_summary_is_refused(world):
    lead = world.lead()

    with pytest.raises(PersonalData) as error:
        world.project(lead, summary=f"Referral for NHS number {VALID_NHS_NUMBER}.")

    assert error.value.field == ("summary",)
    assert error.value.kind == "an NHS number"


def test_an_email_is_refused_only_in_public_text(world):
    lead = world.lead()
    summary = "Contact the team at edge.of.care@example.org for the toolkit."

    assert world.project(lead, summary=summary).visibility is Visibility.PRIVATE
    with pytest.raises(PersonalData, match="email"):
        world.project(lead, summary=summary, visibility=Visibility.PUBLIC)


def test_an_update_with_a_stale_version_is_a_conflict_naming_the_current_version(world, engine):
    lead = world.lead()
    project = world.project(lead)
    with transaction(engine) as session:
        service.update_project(
            session=session,
            actor=lead,
            project_id=project.id,
            expected_version=1,
            changes={"title": "Renamed once"},
        )

    with pytest.raises(Conflict, match="version 2, not 1"), transaction(engine) as session:
        service.update_project(
            session=session,
            actor=lead,
            project_id=project.id,
            expected_version=1,
            changes={"title": "Renamed twice"},
        )

    with Session(engine) as session:
        assert session.get(Project, project.id).title == "Renamed once"


def test_fields_left_out_of_an_update_stay_as_they_are(world, engine):
    lead = world.lead()
    project = world.project(lead, problem="Too many children go missing from care.")

    with transaction(engine) as session:
        updated = service.update_project(
            session=session,
            actor=lead,
            project_id=project.id,
            expected_version=1,
            changes={"summary": "A new summary."},
        )

    assert updated.problem == "Too many children go missing from care."
    assert updated.summary == "A new summary."
    assert updated.version == 2


def test_a_member_of_another_organisation_finds_no_private_project(world, session: Session):
    project = world.project(world.lead())
    outsider = world.lead()

    with pytest.raises(NotFound):
        service.get_project_for_write(session=session, actor=outsider, project_id=project.id)
    with pytest.raises(NotFound):
        service.get_readable_project(session=session, actor=ANONYMOUS, project_id=project.id)


def test_a_partners_lead_may_change_the_project_but_a_member_may_not(world, session: Session):
    partner = world.org(kind=OrganisationKind.CHARITY)
    project = world.project(world.lead(), partner_organisation_ids=[partner.id])

    found = service.get_project_for_write(
        session=session, actor=world.lead(partner), project_id=project.id
    )
    assert found.id == project.id
    with pytest.raises(Forbidden):
        service.get_project_for_write(
            session=session, actor=world.member(partner), project_id=project.id
        )


def test_going_public_checks_the_text_of_the_projects_records_too(world, engine):
    from inset.lessons.models import Lesson, LessonKind

    lead = world.lead()
    project = world.project(lead)
    with transaction(engine) as session:
        session.add(
            Lesson(
                project_id=project.id,
                kind=LessonKind.BARRIER,
                title="Data sharing",
                body="Ask the IG lead on 0161 496 0000 before starting.",
                stage=Stage.IDEA,
            )
        )

    with pytest.raises(DomainErrors) as refused, transaction(engine) as session:
        service.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id,
            visibility=Visibility.PUBLIC,
            expected_version=1,
        )

    [error] = refused.value.each()
    assert isinstance(error, PersonalData)
    assert error.kind == "a phone number"
    assert error.field is not None
    assert error.field[-1] == "body"

    with Session(engine) as session:
        assert session.get(Project, project.id).visibility is Visibility.PRIVATE


def test_the_list_holds_only_what_the_viewer_may_read(world, session: Session):
    own_org, other_org = world.org(), world.org()
    lead = world.lead(own_org)
    mine = world.project(lead)
    members = world.project(world.lead(other_org), visibility=Visibility.MEMBERS)
    public = world.project(world.lead(other_org), visibility=Visibility.PUBLIC)
    hidden = world.project(world.lead(other_org))

    def titles(actor):
        return {p.title for p in session.scalars(service.project_list(actor=actor))}

    assert titles(lead) == {mine.title, members.title, public.title}
    assert titles(ANONYMOUS) == {public.title}
    assert titles(world.staff) == {mine.title, members.title, public.title, hidden.title}


def test_the_list_filters_by_stage_kind_and_words(world, session: Session):
    charity = world.org(kind=OrganisationKind.CHARITY, region="London")
    wanted = world.project(world.lead(charity), title="Return-home chat tool")
    world.project(world.lead(), title="Family finding days")

    found = session.scalars(
        service.project_list(
            actor=world.staff,
            stages=[Stage.IDEA],
            organisation_kinds=[OrganisationKind.CHARITY],
            regions=["London"],
            innovation_types=[InnovationType.PRACTICE],
            search="chat",
        )
    ).all()

    assert [p.id for p in found] == [wanted.id]


def test_a_start_date_after_2100_is_refused_naming_the_field(world):
    lead = world.lead()

    with pytest.raises(Invalid) as refused:
        world.project(lead, started_on=date(2101, 1, 1))

    assert refused.value.field == ("started_on",)
    assert refused.value.message == (
        "startedOn must be from 1 January 1990 to 31 December 2100, not 2101-01-01"
    )
