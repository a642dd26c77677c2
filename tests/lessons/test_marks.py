"""Marking a lesson useful: one mark a person, counted for every reader, never attributed."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from inset.access import Actor
from inset.accounts.models import TokenScope
from inset.db import transaction
from inset.ids import to_global_id
from inset.lessons import service
from inset.lessons.models import Lesson, LessonKind, LessonMark
from inset.projects.models import Project, Visibility

MARK = """
mutation Mark($input: LessonMarkInput!) {
  markLessonUseful(input: $input) {
    lesson { id usefulCount markedUsefulByViewer }
    userErrors { field code message }
  }
}
"""

UNMARK = MARK.replace("markLessonUseful", "unmarkLessonUseful").replace("Mark(", "Unmark(")

LESSON = """
query Lesson($id: ID!) { node(id: $id) { ... on Lesson { usefulCount markedUsefulByViewer } } }
"""


def record(engine: Any, actor: Actor, project: Project, **overrides: Any) -> Lesson:
    values: dict[str, Any] = {
        "kind": LessonKind.WHAT_WORKED,
        "title": "A named worker for each family",
        "body": "Families stayed with the programme when one worker knew them.",
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
    actor: Actor = world.lead()
    return actor


@pytest.fixture
def public_lesson(world: Any, engine: Any, lead: Actor) -> Lesson:
    project = world.project(lead, visibility=Visibility.PUBLIC)
    return record(engine, lead, project)


async def test_a_member_marks_a_lesson_useful_and_the_count_goes_up(api, world, public_lesson):
    member = world.token(world.member())

    data = await api.data(MARK, {"input": {"lessonId": lid(public_lesson)}}, token=member)

    assert data["markLessonUseful"] == {
        "lesson": {"id": lid(public_lesson), "usefulCount": 1, "markedUsefulByViewer": True},
        "userErrors": [],
    }


async def test_marking_twice_keeps_one_mark_a_person(api, world, engine, public_lesson):
    member, other = world.token(world.member()), world.token(world.member())
    variables = {"input": {"lessonId": lid(public_lesson)}}

    await api.data(MARK, variables, token=member)
    again = await api.data(MARK, variables, token=member)
    await api.data(MARK, variables, token=other)

    assert again["markLessonUseful"]["lesson"]["usefulCount"] == 1
    read = await api.data(LESSON, {"id": lid(public_lesson)}, token=member)
    assert read["node"] == {"usefulCount": 2, "markedUsefulByViewer": True}
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(LessonMark)) == 2


async def test_unmarking_takes_back_only_ones_own_mark(api, world, public_lesson):
    member, other = world.token(world.member()), world.token(world.member())
    variables = {"input": {"lessonId": lid(public_lesson)}}
    await api.data(MARK, variables, token=member)
    await api.data(MARK, variables, token=other)

    data = await api.data(UNMARK, variables, token=member)
    twice = await api.data(UNMARK, variables, token=member)

    assert data["unmarkLessonUseful"]["lesson"] == {
        "id": lid(public_lesson),
        "usefulCount": 1,
        "markedUsefulByViewer": False,
    }
    assert twice["unmarkLessonUseful"]["userErrors"] == []
    assert twice["unmarkLessonUseful"]["lesson"]["usefulCount"] == 1


async def test_an_anonymous_reader_sees_the_count_but_cannot_mark(api, world, public_lesson):
    await api.data(
        MARK, {"input": {"lessonId": lid(public_lesson)}}, token=world.token(world.member())
    )

    data = await api.data(MARK, {"input": {"lessonId": lid(public_lesson)}})
    read = await api.data(LESSON, {"id": lid(public_lesson)})

    [error] = data["markLessonUseful"]["userErrors"]
    assert error["code"] == "FORBIDDEN"
    assert "sign in" in error["message"]
    assert data["markLessonUseful"]["lesson"] is None
    assert read["node"] == {"usefulCount": 1, "markedUsefulByViewer": False}


async def test_a_read_only_token_cannot_mark(api, world, public_lesson):
    token = world.token(world.member(), TokenScope.READ)

    data = await api.data(MARK, {"input": {"lessonId": lid(public_lesson)}}, token=token)

    [error] = data["markLessonUseful"]["userErrors"]
    assert error["code"] == "FORBIDDEN"


async def test_a_lesson_one_may_not_read_cannot_be_marked_and_is_not_revealed(
    api, world, engine, lead
):
    private = record(engine, lead, world.project(lead))
    outsider = world.token(world.member())

    data = await api.data(MARK, {"input": {"lessonId": lid(private)}}, token=outsider)
    unknown = await api.data(
        MARK, {"input": {"lessonId": to_global_id("Lesson", 99999)}}, token=outsider
    )

    [error] = data["markLessonUseful"]["userErrors"]
    assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "lessonId"])
    assert unknown["markLessonUseful"]["userErrors"] == [error]
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(LessonMark)) == 0


async def test_the_mark_is_audited_under_the_markers_own_organisation(
    api, world, engine, public_lesson
):
    member_org = world.org("Eastvale Council")
    member = world.member(member_org)

    await api.data(MARK, {"input": {"lessonId": lid(public_lesson)}}, token=world.token(member))

    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT action, organisation_id FROM audit_event WHERE action LIKE 'lesson.%mark%'"
            )
        ).all()
    assert [tuple(r) for r in rows] == [("lesson.mark_useful", member_org.id)]
