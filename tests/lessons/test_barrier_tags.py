"""Barrier tags typed: the BarrierTag enum beside the deprecated strings, in lessons, their
corrections, gate decisions, the library's filter and follows."""

from __future__ import annotations

from typing import Any

from conftest import Api, World
from graphql import GraphQLEnumType

from inset.graphql.schema import build_schema
from inset.ids import to_global_id
from inset.lessons.models import Barrier

RECORD = """
mutation($input: RecordLessonInput!) {
  recordLesson(input: $input) {
    lesson { id version barriers barrierTags } userErrors { field code message }
  }
}
"""
UPDATE = """
mutation($input: UpdateLessonInput!) {
  updateLesson(input: $input) {
    lesson { version barriers barrierTags } userErrors { field code message }
  }
}
"""
LIBRARY = """
query($filter: LessonFilter) { lessons(filter: $filter) { nodes { title barrierTags } } }
"""
FOLLOW = """
mutation($input: FollowInput!) {
  follow(input: $input) { follow { barrier barrierTag } userErrors { field code message } }
}
"""
UNFOLLOW = """
mutation($input: FollowInput!) { unfollow(input: $input) { unfollowed userErrors { code } } }
"""
DECIDE = """
mutation($input: DecideGateInput!) {
  decideGate(input: $input) {
    decision { lesson { barriers barrierTags } } userErrors { field code message }
  }
}
"""


def test_the_enum_lists_the_fixed_tags_each_with_its_text() -> None:
    enum = build_schema()._schema.type_map["BarrierTag"]
    assert isinstance(enum, GraphQLEnumType)
    assert list(enum.values) == [b.name for b in Barrier]
    assert enum.values["STAFF_CAPACITY"].description == 'The tag "staff capacity".'
    for barrier in Barrier:
        assert f'"{barrier.value}"' in (enum.values[barrier.name].description or "")
    for type_name, field in (("Lesson", "barriers"), ("CollectiveLesson", "barriers")):
        reason = build_schema()._schema.type_map[type_name].fields[field].deprecation_reason  # type: ignore[attr-defined]
        assert reason is not None
        assert "barrierTags" in reason


def _lesson(project_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "projectId": project_id,
        "kind": "BARRIER",
        "title": "Caseloads left no time",
        "body": "Workers could not take on the new visits.",
        **extra,
    }


async def test_a_lesson_takes_and_shows_tags_as_the_enum_and_as_text(
    api: Api, world: World
) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)

    made = await api.data(
        RECORD,
        {"input": _lesson(project_id, barrierTags=["FUNDING", "STAFF_CAPACITY"])},
        token=token,
    )
    by_text = await api.data(
        RECORD, {"input": _lesson(project_id, barriers=["Funding", "staff capacity"])}, token=token
    )

    expected = {
        "barriers": ["staff capacity", "funding"],
        "barrierTags": ["STAFF_CAPACITY", "FUNDING"],
    }
    lesson = made["recordLesson"]["lesson"]
    assert {k: lesson[k] for k in expected} == expected
    lesson = by_text["recordLesson"]["lesson"]
    assert {k: lesson[k] for k in expected} == expected


async def test_both_tag_fields_at_once_are_invalid_and_save_nothing(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)

    both = await api.data(
        RECORD,
        {"input": _lesson(project_id, barriers=["funding"], barrierTags=["FUNDING"])},
        token=token,
    )

    [error] = both["recordLesson"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID", ["input", "barrierTags"])
    assert both["recordLesson"]["lesson"] is None
    library = await api.data(LIBRARY, {}, token=token)
    assert library["lessons"]["nodes"] == []


async def test_a_correction_replaces_or_clears_the_tags_by_the_enum(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)
    made = await api.data(
        RECORD, {"input": _lesson(project_id, barrierTags=["FUNDING"])}, token=token
    )
    lesson_id = made["recordLesson"]["lesson"]["id"]

    async def correct(version: int, **change: Any) -> dict[str, Any]:
        input = {"id": lesson_id, "expectedVersion": version, **change}
        data = await api.data(UPDATE, {"input": input}, token=token)
        payload: dict[str, Any] = data["updateLesson"]
        return payload

    replaced = await correct(1, barrierTags=["POLICY", "CULTURE"])
    both = await correct(2, barrierTags=["SKILLS"], barriers=["skills"])
    title_only = await correct(2, title="Caseloads left no time at all")
    cleared = await correct(3, barrierTags=None)

    assert replaced["lesson"] == {
        "version": 2,
        "barriers": ["culture", "policy"],
        "barrierTags": ["CULTURE", "POLICY"],
    }
    assert [(e["code"], e["field"]) for e in both["userErrors"]] == [
        ("INVALID", ["input", "barrierTags"])
    ]
    assert title_only["lesson"]["barrierTags"] == ["CULTURE", "POLICY"]  # left out: kept
    assert cleared["lesson"] == {"version": 4, "barriers": [], "barrierTags": []}


async def test_the_library_filters_by_the_enum_as_by_the_text(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    project_id = to_global_id("Project", project.id or 0)
    for title, tags in (("On funding", ["FUNDING"]), ("On demand", ["DEMAND"])):
        await api.data(
            RECORD, {"input": _lesson(project_id, title=title, barrierTags=tags)}, token=token
        )

    by_enum = await api.data(LIBRARY, {"filter": {"barrierTags": ["FUNDING"]}}, token=token)
    by_text = await api.data(LIBRARY, {"filter": {"barriers": ["funding"]}}, token=token)
    both = await api.gql(
        LIBRARY, {"filter": {"barriers": ["funding"], "barrierTags": ["FUNDING"]}}, token=token
    )

    assert by_enum == by_text
    assert by_enum["lessons"]["nodes"] == [{"title": "On funding", "barrierTags": ["FUNDING"]}]
    [error] = both["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert error["extensions"]["field"] == ["filter", "barrierTags"]


async def test_a_gate_decisions_inline_lesson_takes_the_enum(api: Api, world: World) -> None:
    lead = world.lead()
    token, project = world.token(lead), world.project(lead)
    lesson = {
        "kind": "WHAT_DID_NOT_WORK",
        "title": "No budget for the second year",
        "body": "The council's budget moved to statutory services.",
        "barrierTags": ["FUNDING"],
    }
    data = await api.data(
        DECIDE,
        {
            "input": {
                "projectId": to_global_id("Project", project.id or 0),
                "decision": "STOP",
                "rationale": "The money ran out.",
                "expectedVersion": 1,
                "lesson": lesson,
            }
        },
        token=token,
    )

    assert data["decideGate"]["userErrors"] == []
    assert data["decideGate"]["decision"]["lesson"] == {
        "barriers": ["funding"],
        "barrierTags": ["FUNDING"],
    }


async def test_follow_and_unfollow_a_barrier_by_the_enum(api: Api, world: World) -> None:
    token = world.token(world.lead())

    followed = await api.data(FOLLOW, {"input": {"barrierTag": "RISK_AVERSION"}}, token=token)
    again = await api.data(FOLLOW, {"input": {"barrier": "risk aversion"}}, token=token)
    both = await api.data(
        FOLLOW, {"input": {"barrier": "skills", "barrierTag": "SKILLS"}}, token=token
    )
    unfollowed = await api.data(UNFOLLOW, {"input": {"barrierTag": "RISK_AVERSION"}}, token=token)

    expected = {"barrier": "risk aversion", "barrierTag": "RISK_AVERSION"}
    assert followed["follow"] == {"follow": expected, "userErrors": []}
    assert again["follow"]["follow"] == expected  # the same follow, by its text
    assert [(e["code"], e["field"]) for e in both["follow"]["userErrors"]] == [
        ("INVALID", ["input", "barrierTag"])
    ]
    assert unfollowed["unfollow"] == {"unfollowed": True, "userErrors": []}
