"""An anonymised lesson's text may not name its project, organisations or people (ANONYMITY),
however the name is written; ordinary text, and names of others, pass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import World
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.accounts import service as accounts
from inset.accounts.models import Account, Role
from inset.db import pk, transaction
from inset.errors import DomainError, ErrorCode
from inset.gates import service as gates
from inset.gates.models import GateDecision, GateDecisionKind
from inset.ids import to_global_id
from inset.lessons import service
from inset.lessons.anonymity import normalise, organisation_names
from inset.lessons.models import Lesson, LessonKind
from inset.organisations.models import Organisation, OrganisationKind
from inset.projects import service as projects
from inset.projects.models import Project, Visibility

TITLE = "Return-home chat tool"


@dataclass
class Story:
    """A council's project with a charity as partner and a named person at the council."""

    world: World
    council: Organisation
    charity: Organisation
    lead: Actor
    person: Account
    project: Project

    @property
    def engine(self) -> Engine:
        return self.world.engine

    def record(self, **values: Any) -> Lesson:
        lesson: dict[str, Any] = {
            "kind": LessonKind.WHAT_DID_NOT_WORK,
            "title": "Evening meetings",
            "body": "Carers with young children could not come in the evening.",
            "anonymised": True,
            **values,
        }
        with transaction(self.engine) as session:
            return service.record_lesson(
                session=session, actor=self.lead, project_id=pk(self.project), **lesson
            )

    def refused(self, write: Any) -> DomainError:
        with pytest.raises(DomainError) as caught, transaction(self.engine) as session:
            write(session)
        return caught.value

    def count(self, model: Any) -> int:
        with transaction(self.engine) as session:
            return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def gid(row: Any) -> str:
    return to_global_id(type(row).__name__, pk(row))


def person(world: World, organisation: Organisation, name: str) -> Account:
    staff = world.staff
    with transaction(world.engine) as session:
        return accounts.create_account(
            session=session,
            actor=staff,
            email=f"{name.split()[0].lower()}@example.org",
            name=name,
            organisation_id=pk(organisation),
            role=Role.MEMBER,
        )


@pytest.fixture
def story(world: World) -> Story:
    council = world.org("Northmoor Borough Council", region="North West")
    charity = world.org("Harbourlight Youth Trust", OrganisationKind.CHARITY, "North West")
    lead = world.lead(council)
    project = world.project(
        lead,
        title=TITLE,
        partner_organisation_ids=[pk(charity)],
        visibility=Visibility.MEMBERS,
    )
    person(world, charity, "Reception")  # a shared account, not a person
    return Story(world, council, charity, lead, person(world, council, "Priya Shah"), project)


@pytest.mark.parametrize(
    ("name", "known_as"),
    [
        ("Northmoor Borough Council", ["northmoor borough council", "northmoor"]),
        ("Westbrook Metropolitan Borough Council", ["westbrook metropolitan borough council",
                                                    "westbrook"]),
        ("London Borough of Camden", ["london borough of camden", "camden"]),
        ("City of York Council", ["city of york council", "york"]),
        ("Meridale Analytics Ltd", ["meridale analytics ltd", "meridale analytics"]),
        ("Harbourlight Youth Trust", ["harbourlight youth trust"]),
        ("Smith & Jones Ltd", ["smith and jones ltd", "smith and jones"]),
        ("Hull City Council", ["hull city council", "hull"]),
        ("Bath Council", ["bath council", "bath"]),
        ("Wye District Council", ["wye district council"]),  # "wye" alone is too short to tell
    ],
)  # fmt: skip
def test_an_organisation_is_known_by_its_name_and_by_its_name_without_its_legal_form(
    name: str, known_as: list[str]
) -> None:
    assert organisation_names(name) == known_as


def test_names_are_compared_without_case_accents_width_invisible_characters_or_punctuation():
    assert (
        normalise("\uff2e\u00f6rth\u200bmoor\u2013Borough\u00a0\u00a0COUNCIL\u2019s")
        == "northmoor borough councils"
    )
    assert normalise("Smith & Jones") == "smith and jones"


# (field, text): each names the project, one of its organisations or a person on it.
NAMING = [
    ("title", "What Northmoor Borough Council learned"),
    ("body", "Staff at northmoor-borough-council were not told."),
    ("body", "In Northmoor the evening slot was the only one free."),
    ("body", "NORTHMOOR  BOROUGH\nCOUNCIL ran it."),
    ("body", "\uff2e\uff4f\uff52\uff54\uff48\uff4d\uff4f\uff4f\uff52 ran it."),  # full-width
    ("body", "North\u200bmoor ran it."),
    ("body", "Nörthmoor ran it."),
    ("body", "Our partner, Harbourlight   Youth\tTrust, ran the sessions."),
    ("title", "Why the return home chat tool stalled"),
    ("body", "Priya Shah chaired every meeting."),
    ("body", "priya.shah chaired every meeting."),
]


@pytest.mark.parametrize(("field", "text"), NAMING, ids=[t for _, t in NAMING])
def test_an_anonymised_lesson_that_names_its_project_organisations_or_people_is_refused(
    story: Story, field: str, text: str
) -> None:
    error = story.refused(
        lambda s: service.record_lesson(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            kind=LessonKind.BARRIER,
            title=text if field == "title" else "Evening meetings",
            body=text if field == "body" else "Carers could not come in the evening.",
            anonymised=True,
        )
    )
    assert (error.code, error.field) == (ErrorCode.ANONYMITY, (field,))
    assert story.count(Lesson) == 0


def test_the_message_says_which_name_matched_and_how(story: Story) -> None:
    error = story.refused(
        lambda s: service.record_lesson(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            kind=LessonKind.BARRIER,
            title="Evening meetings",
            body="In Northmoor the evening slot was the only one free.",
            anonymised=True,
        )
    )
    assert error.message.startswith(
        "body names the lead organisation, Northmoor Borough Council (as 'northmoor'); "
    )


# Text that an anonymised lesson of this project may hold.
ORDINARY = [
    "Carers with young children could not come in the evening.",
    "Kingsford City Council ran a similar scheme in 2015/16.",  # not on this project
    "The council's lead said the borough's youth trust should chair.",
    "Northmoorside families travelled furthest.",  # not the word Northmoor
    "A chat tool alone did not bring children home.",
    "Priya and Mr Shah are common names; neither alone is matched.",
    "Reception staff greeted every carer by name.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_an_anonymised_lesson_that_names_no_one_on_its_project_is_kept(
    story: Story, text: str
) -> None:
    lesson = story.record(body=text)
    assert lesson.anonymised
    assert lesson.body == text


def test_a_lesson_that_is_not_anonymised_may_name_its_council(story: Story) -> None:
    lesson = story.record(body="Northmoor Borough Council ran it.", anonymised=False)
    assert lesson.body == "Northmoor Borough Council ran it."


def test_the_lesson_given_with_a_decision_is_checked_too(story: Story) -> None:
    error = story.refused(
        lambda s: gates.decide_gate(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            decision=GateDecisionKind.HOLD,
            rationale="Waiting for the new budget year.",
            expected_version=story.project.version,
            lesson=service.InlineLesson(
                kind=LessonKind.BARRIER,
                title="Evening meetings",
                body="Harbourlight Youth Trust could not staff the evenings.",
                anonymised=True,
            ),
        )
    )
    assert (error.code, error.field) == (ErrorCode.ANONYMITY, ("lesson", "body"))
    assert story.count(GateDecision) == story.count(Lesson) == 0


def test_sharing_a_project_more_widely_rechecks_its_anonymised_lessons_against_todays_people(
    story: Story,
) -> None:
    # given an anonymised lesson naming someone who was not on the project when it was written
    story.record(body="Sam Okafor chaired every meeting.")
    person(story.world, story.council, "Sam Okafor")
    # when the project is shared with the public
    error = story.refused(
        lambda s: projects.set_visibility(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            visibility=Visibility.PUBLIC,
            expected_version=story.project.version,
        )
    )
    # then
    assert (error.code, error.field) == (ErrorCode.ANONYMITY, ("visibility",))
    assert "the body of the anonymised lesson 'Evening meetings' names a person" in error.message
    with transaction(story.engine) as session:
        assert session.get(Project, pk(story.project)).visibility is Visibility.MEMBERS


def test_adding_a_partner_or_renaming_the_project_to_a_name_its_anonymised_lessons_use_is_refused(
    story: Story,
) -> None:
    # given an anonymised lesson naming a council and a phrase not yet on the project
    kingsford = story.world.org("Kingsford City Council")
    story.record(body="Kingsford ran the weekend clubs; family time worked.")
    # when
    partner = story.refused(
        lambda s: projects.update_project(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            expected_version=story.project.version,
            changes={"partner_organisation_ids": [pk(story.charity), pk(kingsford)]},
        )
    )
    renamed = story.refused(
        lambda s: projects.update_project(
            session=s,
            actor=story.lead,
            project_id=pk(story.project),
            expected_version=story.project.version,
            changes={"title": "Family time"},
        )
    )
    # then
    assert (partner.code, partner.field) == (ErrorCode.ANONYMITY, ("partner_organisation_ids",))
    assert (renamed.code, renamed.field) == (ErrorCode.ANONYMITY, ("title",))
    with transaction(story.engine) as session:
        assert session.get(Project, pk(story.project)).title == TITLE


RECORD_LESSON = """
mutation ($input: RecordLessonInput!) {
  recordLesson(input: $input) { lesson { id } userErrors { field code message } }
}
"""
DECIDE_GATE = """
mutation ($input: DecideGateInput!) {
  decideGate(input: $input) { decision { id } userErrors { field code } }
}
"""
SEARCH = '{ lessons(search: "Northmoor") { totalCount nodes { id } } }'


async def test_the_api_refuses_it_naming_the_field_so_a_search_for_the_council_finds_nothing(
    api: Any, story: Story
) -> None:
    # given
    token = story.world.token(story.lead)
    lesson = {
        "projectId": gid(story.project),
        "kind": "WHAT_DID_NOT_WORK",
        "title": "Evening meetings",
        "body": "Nobody at Northmoor could staff the evenings.",
        "visibility": "PUBLIC",
        "anonymised": True,
    }
    # when
    recorded = (await api.data(RECORD_LESSON, {"input": lesson}, token=token))["recordLesson"]
    decided = (
        await api.data(
            DECIDE_GATE,
            {
                "input": {
                    "projectId": gid(story.project),
                    "decision": "HOLD",
                    "rationale": "Waiting for the new budget year.",
                    "expectedVersion": story.project.version,
                    "lesson": {
                        "kind": "BARRIER",
                        "title": "What Harbourlight Youth Trust learned",
                        "body": "The evenings did not work.",
                        "anonymised": True,
                    },
                }
            },
            token=token,
        )
    )["decideGate"]
    # then
    assert recorded["lesson"] is None
    [error] = recorded["userErrors"]
    assert (error["field"], error["code"]) == (["input", "body"], "ANONYMITY")
    assert "Northmoor Borough Council" in error["message"]
    assert decided == {
        "decision": None,
        "userErrors": [{"field": ["input", "lesson", "title"], "code": "ANONYMITY"}],
    }
    outsider = story.world.token(story.world.member())
    for reader in (None, outsider, token):
        assert (await api.data(SEARCH, token=reader))["lessons"] == {"totalCount": 0, "nodes": []}
