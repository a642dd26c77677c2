"""Lessons and the learning library through the GraphQL API."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from conftest import statement_counter
from sqlmodel import Session

from inset.access import Actor
from inset.db import transaction
from inset.ids import to_global_id
from inset.lessons import service
from inset.lessons.models import Lesson, LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects.models import Project, Visibility

RECORD_LESSON = """
mutation Record($input: RecordLessonInput!) {
  recordLesson(input: $input) {
    lesson { id kind title body stage barriers visibility anonymised projectOutcome }
    project { id version lessons { totalCount } }
    userErrors { field code message }
  }
}
"""

LESSON_FIELDS = """
  id title visibility anonymised organisationKind region projectOutcome
  project { id } organisation { name }
"""

NODE = f"query Node($id: ID!) {{ node(id: $id) {{ ... on Lesson {{ {LESSON_FIELDS} }} }} }}"

LIBRARY = f"""
query Library($first: Int, $after: String, $search: String, $filter: LessonFilter) {{
  lessons(first: $first, after: $after, search: $search, filter: $filter) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {LESSON_FIELDS} }}
  }}
}}
"""

PROJECT_LESSONS = """
query ProjectLessons($id: ID!) {
  node(id: $id) { ... on Project { lessons(first: 10) { totalCount nodes { title } } } }
}
"""


@pytest.fixture
def org(world):
    return world.org("Northshire Council", OrganisationKind.LOCAL_AUTHORITY, "North East")


@pytest.fixture
def lead(world, org) -> Actor:
    actor: Actor = world.lead(org)
    return actor


def gid(project: Project) -> str:
    return to_global_id("Project", project.id or 0)


def record(engine, actor: Actor, project: Project, **overrides: Any) -> Lesson:
    values: dict[str, Any] = {
        "kind": LessonKind.WHAT_DID_NOT_WORK,
        "title": "Families would not use the app",
        "body": "Families had no data allowance; start with a phone call next time.",
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_lesson(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def lesson_input(project: Project, **extra: Any) -> dict[str, Any]:
    return {
        "projectId": gid(project),
        "kind": "BARRIER",
        "title": "Information sharing took months",
        "body": "The data protection impact assessment held the pilot for a term.",
        **extra,
    }


async def test_a_lead_records_a_lesson_and_sees_it_on_the_project(api, world, lead):
    project = world.project(lead)

    data = await api.data(
        RECORD_LESSON,
        {"input": lesson_input(project, barriers=["Information_Governance", "culture"])},
        token=world.token(lead),
    )

    payload = data["recordLesson"]
    assert payload["userErrors"] == []
    assert payload["lesson"] == {
        "id": payload["lesson"]["id"],
        "kind": "BARRIER",
        "title": "Information sharing took months",
        "body": "The data protection impact assessment held the pilot for a term.",
        "stage": "IDEA",
        "barriers": ["culture", "information governance"],
        "visibility": "PRIVATE",
        "anonymised": False,
        "projectOutcome": "ACTIVE",
    }
    assert payload["project"] == {"id": gid(project), "version": 1, "lessons": {"totalCount": 1}}


async def test_an_unknown_barrier_is_a_user_error_listing_the_allowed_tags(api, world, lead):
    project = world.project(lead)

    data = await api.data(
        RECORD_LESSON,
        {"input": lesson_input(project, barriers=["bureaucracy"])},
        token=world.token(lead),
    )

    [error] = data["recordLesson"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID", ["input", "barriers"])
    assert "'bureaucracy'" in error["message"]
    assert "information governance" in error["message"]


async def test_the_visibility_input_widens_the_lesson_and_never_narrows_it(api, world, lead):
    project = world.project(lead, visibility=Visibility.MEMBERS)
    token = world.token(lead)

    wider = await api.data(
        RECORD_LESSON, {"input": lesson_input(project, visibility="PUBLIC")}, token=token
    )
    narrower = await api.data(
        RECORD_LESSON, {"input": lesson_input(project, visibility="PRIVATE")}, token=token
    )

    assert wider["recordLesson"]["lesson"]["visibility"] == "PUBLIC"
    assert narrower["recordLesson"]["lesson"]["visibility"] == "MEMBERS"


async def test_record_lesson_replays_with_the_same_idempotency_key(api, world, engine, lead):
    project = world.project(lead)
    token = world.token(lead)
    input = lesson_input(project, idempotencyKey="lesson-1")

    first = await api.data(RECORD_LESSON, {"input": input}, token=token)
    again = await api.data(RECORD_LESSON, {"input": input}, token=token)

    assert again["recordLesson"]["lesson"] == first["recordLesson"]["lesson"]
    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Lesson)) == 1


async def test_an_anonymised_lesson_read_from_outside_shows_kind_and_region_only(
    api, world, engine, org, lead
):
    project = world.project(lead)
    lesson = record(engine, lead, project, shared_with=Visibility.PUBLIC, anonymised=True)
    lesson_id = to_global_id("Lesson", lesson.id or 0)

    outside = (await api.data(NODE, {"id": lesson_id}))["node"]
    inside = (await api.data(NODE, {"id": lesson_id}, token=world.token(world.member(org))))["node"]

    assert outside == {
        "id": lesson_id,
        "title": "Families would not use the app",
        "visibility": "PUBLIC",
        "anonymised": True,
        "organisationKind": "LOCAL_AUTHORITY",
        "region": "North East",
        "projectOutcome": "ACTIVE",
        "project": None,
        "organisation": None,
    }
    assert inside["project"] == {"id": gid(project)}
    assert inside["organisation"] == {"name": "Northshire Council"}


async def test_a_shared_lesson_read_from_outside_names_its_organisation_but_not_its_project(
    api, world, engine, lead
):
    project = world.project(lead)
    lesson = record(engine, lead, project, shared_with=Visibility.MEMBERS)
    lesson_id = to_global_id("Lesson", lesson.id or 0)

    member = (await api.data(NODE, {"id": lesson_id}, token=world.token(world.member())))["node"]
    anonymous = (await api.data(NODE, {"id": lesson_id}))["node"]

    assert member["project"] is None
    assert member["organisation"] == {"name": "Northshire Council"}
    assert anonymous is None


async def test_the_library_lists_what_the_viewer_may_read_newest_first(api, world, engine, lead):
    project = world.project(lead)
    private = record(engine, lead, project, title="Private lesson")
    members = record(engine, lead, project, title="Members lesson", shared_with=Visibility.MEMBERS)
    public = record(engine, lead, project, title="Public lesson", shared_with=Visibility.PUBLIC)
    del private, members, public

    anonymous = (await api.data(LIBRARY, {}))["lessons"]
    member = (await api.data(LIBRARY, {}, token=world.token(world.member())))["lessons"]
    own = (await api.data(LIBRARY, {}, token=world.token(lead)))["lessons"]

    assert (anonymous["totalCount"], [n["title"] for n in anonymous["nodes"]]) == (
        1,
        ["Public lesson"],
    )
    assert [n["title"] for n in member["nodes"]] == ["Public lesson", "Members lesson"]
    assert own["totalCount"] == 3
    assert [n["title"] for n in own["nodes"]] == [
        "Public lesson",
        "Members lesson",
        "Private lesson",
    ]


async def test_the_library_pages_with_cursors(api, world, engine, lead):
    project = world.project(lead, visibility=Visibility.PUBLIC)
    for n in range(3):
        record(engine, lead, project, title=f"Lesson {n}")

    first = (await api.data(LIBRARY, {"first": 2}))["lessons"]
    rest = (await api.data(LIBRARY, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "lessons"
    ]

    assert [n["title"] for n in first["nodes"]] == ["Lesson 2", "Lesson 1"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [n["title"] for n in rest["nodes"]] == ["Lesson 0"]


async def test_the_library_filters_and_searches(api, world, engine, lead):
    theme = world.theme("Missing from care")
    project = world.project(lead, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    other = world.project(world.lead(world.org(kind=OrganisationKind.CHARITY, region="London")))
    record(engine, lead, project, title="Budget", barriers=["funding"])
    record(engine, world.staff, other, title="Texting", shared_with=Visibility.PUBLIC)

    async def titles(**variables: Any) -> list[str]:
        data = await api.data(LIBRARY, variables)
        return [n["title"] for n in data["lessons"]["nodes"]]

    assert await titles(filter={"barriers": ["FUNDING"]}) == ["Budget"]
    assert await titles(filter={"themes": [to_global_id("Theme", theme.id or 0)]}) == ["Budget"]
    assert await titles(filter={"organisationKinds": ["CHARITY"]}) == ["Texting"]
    assert await titles(filter={"regions": ["North East"]}) == ["Budget"]
    assert await titles(filter={"projectOutcomes": ["STOPPED"]}) == []
    assert await titles(filter={"stages": ["IDEA"], "kinds": ["WHAT_DID_NOT_WORK"]}) == [
        "Texting",
        "Budget",
    ]
    assert await titles(search="textING") == ["Texting"]


async def test_an_unknown_barrier_in_the_filter_is_a_graphql_error(api):
    body = await api.gql(LIBRARY, {"filter": {"barriers": ["money"]}})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID", "field": ["filter", "barriers"]}
    assert "'money'" in error["message"]


async def test_a_projects_lessons_are_listed_on_it(api, world, engine, lead):
    project = world.project(lead)
    record(engine, lead, project, title="One")
    record(engine, lead, project, title="Two")

    data = await api.data(PROJECT_LESSONS, {"id": gid(project)}, token=world.token(lead))

    lessons = data["node"]["lessons"]
    assert (lessons["totalCount"], [n["title"] for n in lessons["nodes"]]) == (2, ["Two", "One"])


async def test_a_page_of_lessons_costs_the_same_statements_for_3_and_12(api, world, engine, lead):
    for n in range(12):
        project = world.project(world.lead(world.org()))
        record(engine, world.staff, project, shared_with=Visibility.PUBLIC, anonymised=n % 2 == 0)
    del lead

    async def statements(first: int) -> int:
        seen = statement_counter(engine)
        data = await api.data(LIBRARY, {"first": first})
        assert len(data["lessons"]["nodes"]) == first
        return len(seen)

    assert await statements(3) == await statements(12)
