"""Related lessons: the same themes and barriers, most in common first, only what one may read."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import statement_counter

from inset.access import Actor
from inset.db import transaction
from inset.ids import to_global_id
from inset.lessons import service
from inset.lessons.models import Lesson, LessonKind
from inset.projects.models import Project, Stage, Visibility

RELATED = """
query Related($id: ID!, $first: Int) {
  node(id: $id) {
    ... on Lesson {
      related(first: $first) { title anonymised organisation { name } project { id } }
    }
  }
}
"""

LIBRARY = """
query Library($first: Int) {
  lessons(first: $first) { nodes { title related(first: 3) { title organisationKind } } }
}
"""


def record(engine: Any, actor: Actor, project: Project, title: str, **overrides: Any) -> Lesson:
    values: dict[str, Any] = {
        "kind": LessonKind.BARRIER,
        "title": title,
        "body": "What was meant to happen, what happened and what to do next time.",
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_lesson(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def lid(lesson: Lesson) -> str:
    return to_global_id("Lesson", lesson.id or 0)


@pytest.fixture
def lead(world: Any) -> Actor:
    actor: Actor = world.lead(world.org("Westmoor Council"))
    return actor


@pytest.fixture
def other(world: Any) -> Actor:
    actor: Actor = world.lead(world.org("Harbour Trust"))
    return actor


def titles(data: dict[str, Any]) -> list[str]:
    return [r["title"] for r in data["node"]["related"]]


async def test_lessons_sharing_more_come_first_then_the_newest(api, world, engine, lead, other):
    theme = world.theme("Edge of care")
    source_project = world.project(lead, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    themed = world.project(other, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    plain = world.project(other, visibility=Visibility.PUBLIC)
    source = record(engine, lead, source_project, "Source", barriers=["funding", "culture"])
    record(engine, other, plain, "One barrier", barriers=["funding"])
    record(engine, other, plain, "Two barriers", barriers=["funding", "culture"])
    record(engine, other, themed, "Theme and barrier", barriers=["culture"])
    record(engine, other, plain, "Newer, one barrier", barriers=["culture"])
    record(engine, other, plain, "Nothing in common", barriers=["policy"])

    data = await api.data(RELATED, {"id": lid(source), "first": 5})

    assert titles(data) == [
        "Theme and barrier",
        "Two barriers",
        "Newer, one barrier",
        "One barrier",
    ]


async def test_the_same_stage_counts_one_more(api, world, engine, lead, other):
    project = world.project(lead, visibility=Visibility.PUBLIC)
    elsewhere = world.project(other, visibility=Visibility.PUBLIC)
    source = record(engine, lead, project, "Source", barriers=["funding"])
    record(engine, other, elsewhere, "Same stage", barriers=["funding"])
    with transaction(engine) as session:
        row = session.get(Project, elsewhere.id)
        assert row is not None
        row.stage = Stage.PILOT
    record(engine, other, elsewhere, "Later stage, newer", barriers=["funding"])

    data = await api.data(RELATED, {"id": lid(source)})

    assert titles(data) == ["Same stage", "Later stage, newer"]


async def test_lessons_of_the_same_project_are_not_related(api, world, engine, lead):
    project = world.project(lead, visibility=Visibility.PUBLIC)
    source = record(engine, lead, project, "Source", barriers=["funding"])
    record(engine, lead, project, "Sibling", barriers=["funding"])

    data = await api.data(RELATED, {"id": lid(source)})

    assert titles(data) == []


async def test_related_never_shows_a_lesson_the_reader_may_not_read(
    api, world, engine, lead, other
):
    project = world.project(lead, visibility=Visibility.PUBLIC)
    source = record(engine, lead, project, "Source", barriers=["funding"])
    private = world.project(other, visibility=Visibility.PRIVATE)
    members = world.project(other, visibility=Visibility.MEMBERS)
    record(engine, other, private, "Private", barriers=["funding"])
    record(engine, other, members, "Members only", barriers=["funding"])
    shared = record(engine, other, private, "Shared publicly", barriers=["funding"])
    archived = record(engine, other, members, "Archived", barriers=["funding"])
    with transaction(engine) as session:
        service.archive_lesson(
            session=session,
            actor=other,
            lesson_id=archived.id or 0,
            reason="Written twice",
        )
    with transaction(engine) as session:
        row = session.get(Lesson, shared.id)
        assert row is not None
        row.shared_with = Visibility.PUBLIC

    anonymous = await api.data(RELATED, {"id": lid(source)})
    member = await api.data(RELATED, {"id": lid(source)}, token=world.token(world.member()))
    own = await api.data(RELATED, {"id": lid(source)}, token=world.token(other))

    assert titles(anonymous) == ["Shared publicly"]
    assert titles(member) == ["Shared publicly", "Members only"]
    assert titles(own) == ["Shared publicly", "Members only", "Private"]


async def test_an_anonymised_related_lesson_stays_anonymous(api, world, engine, lead, other):
    project = world.project(lead, visibility=Visibility.PUBLIC)
    source = record(engine, lead, project, "Source", barriers=["funding"])
    theirs = world.project(other, visibility=Visibility.PUBLIC)
    record(engine, other, theirs, "Budget cut mid-pilot", barriers=["funding"], anonymised=True)

    anonymous = await api.data(RELATED, {"id": lid(source)})
    own = await api.data(RELATED, {"id": lid(source)}, token=world.token(other))

    assert anonymous["node"]["related"] == [
        {"title": "Budget cut mid-pilot", "anonymised": True, "organisation": None, "project": None}
    ]
    assert own["node"]["related"][0]["organisation"] == {"name": "Harbour Trust"}


async def test_first_out_of_range_is_invalid(api, world, engine, lead):
    source = record(engine, lead, world.project(lead, visibility=Visibility.PUBLIC), "Source")

    body = await api.gql(RELATED, {"id": lid(source), "first": 21})

    assert body["errors"][0]["extensions"]["code"] == "INVALID"


async def test_statements_for_related_do_not_grow_with_the_page(api, world, engine, lead, other):
    theme = world.theme()
    mine = world.project(lead, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    theirs = world.project(other, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    for n in range(6):
        record(engine, lead, mine, f"Mine {n}", barriers=["funding"])
        record(engine, other, theirs, f"Theirs {n}", barriers=["funding"])

    async def statements(first: int) -> int:
        seen = statement_counter(engine)
        data = await api.data(LIBRARY, {"first": first})
        assert all(len(n["related"]) == 3 for n in data["lessons"]["nodes"])
        return len(seen)

    assert await statements(2) == await statements(12)
