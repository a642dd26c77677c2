"""The event feed: what each change tells partners, in commit order, to whom."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import Api, World
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import CostCategory
from inset.events.models import Event
from inset.ids import to_global_id
from inset.projects import service as projects
from inset.projects.models import Visibility

EVENTS = """
query ($first: Int, $after: String, $types: [String!], $projectId: ID) {
  events(first: $first, after: $after, types: $types, projectId: $projectId) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id type occurredAt data subject { id } }
  }
}
"""
UPDATE_PROJECT = """
mutation ($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { version } userErrors { code } }
}
"""
ARCHIVE = """
mutation ($input: ArchiveRecordInput!) { archiveRecord(input: $input) { userErrors { code } } }
"""


async def feed(api: Api, token: str | None, **variables: Any) -> list[dict[str, Any]]:
    data = await api.data(EVENTS, {"first": 100, **variables}, token=token)
    nodes: list[dict[str, Any]] = data["events"]["nodes"]
    return nodes


def record_cost(engine: Engine, actor: Any, project_id: int) -> None:
    with transaction(engine) as session:
        economics.record_cost(
            session=session,
            actor=actor,
            project_id=project_id,
            category=CostCategory.STAFF,
            description="Two social workers for a term",
            amount=Decimal("12500"),
            confidence=2,
        )


async def test_a_change_tells_its_event_in_the_api_names_with_global_ids(
    api: Api, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead, title="Family group conferencing")
    token = world.token(lead)

    answer = await api.data(
        UPDATE_PROJECT,
        {
            "input": {
                "projectId": to_global_id("Project", project.id or 0),
                "expectedVersion": 1,
                "title": "Family group conferencing at the front door",
            }
        },
        token=token,
    )
    assert answer["updateProject"]["userErrors"] == []

    created, updated = await feed(api, token)
    project_gid = to_global_id("Project", project.id or 0)
    assert created["type"] == "project.created"
    assert created["subject"] == {"id": project_gid}
    assert created["data"]["id"] == project_gid
    assert created["data"]["leadOrganisation"] == to_global_id(
        "Organisation", lead.organisation_id or 0
    )
    assert created["data"]["innovationType"] == "PRACTICE"
    assert updated["type"] == "project.updated"
    assert updated["data"]["title"] == "Family group conferencing at the front door"
    assert updated["data"]["previous"] == {"title": "Family group conferencing"}
    every_key = {k for event in (created, updated) for k in event["data"]}
    assert not any("_" in key for key in every_key), every_key


async def test_money_is_shown_as_the_api_shows_it_not_in_pence(api: Api, world: World) -> None:
    lead = world.lead()
    project = world.project(lead)
    record_cost(world.engine, lead, project.id or 0)

    (cost,) = await feed(api, world.token(lead), types=["cost.recorded"])

    assert cost["data"]["amount"] == "12500.00"
    assert cost["data"]["project"] == to_global_id("Project", project.id or 0)
    assert "amountPence" not in cost["data"]


async def test_a_private_project_s_events_are_read_only_by_those_who_may_read_it(
    api: Api, world: World
) -> None:
    lead = world.lead()
    world.project(lead, visibility=Visibility.PRIVATE)
    public = world.project(lead, visibility=Visibility.PUBLIC)
    outsider = world.member()

    own = await feed(api, world.token(lead))
    theirs = await feed(api, world.token(outsider))
    anonymous = await feed(api, None)

    assert len(own) == 2
    assert [e["data"]["id"] for e in theirs] == [to_global_id("Project", public.id or 0)]
    assert [e["data"]["id"] for e in anonymous] == [to_global_id("Project", public.id or 0)]


async def test_an_archived_project_s_archive_event_stays_readable_to_its_readers(
    api: Api, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    member = world.member()
    project_gid = to_global_id("Project", project.id or 0)
    answer = await api.data(
        ARCHIVE,
        {"input": {"id": project_gid, "reason": "Merged into another"}},
        token=world.token(lead),
    )
    assert answer["archiveRecord"]["userErrors"] == []

    events = await feed(api, world.token(member))

    assert [e["type"] for e in events] == ["project.created", "project.archived"]
    assert events[1]["subject"] is None  # the record itself is no longer listed
    assert events[1]["data"]["reason"] == "Merged into another"
    assert await feed(api, None) == []


async def test_a_project_made_private_takes_its_earlier_events_out_of_outsiders_feeds(
    api: Api, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PUBLIC)
    assert len(await feed(api, None)) == 1
    with transaction(world.engine) as session:
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id or 0,
            visibility=Visibility.PRIVATE,
            expected_version=1,
        )

    assert await feed(api, None) == []
    own = await feed(api, world.token(lead))
    assert own[-1]["type"] == "project.visibility_changed"
    assert own[-1]["data"]["visibility"] == "PRIVATE"
    assert own[-1]["data"]["previous"] == {"visibility": "PUBLIC"}


async def test_a_cursor_resumes_the_feed_after_the_last_event_read(api: Api, world: World) -> None:
    lead = world.lead()
    project = world.project(lead)
    token = world.token(lead)
    first_page = await api.data(EVENTS, {"first": 1}, token=token)
    cursor = first_page["events"]["pageInfo"]["endCursor"]
    record_cost(world.engine, lead, project.id or 0)
    record_cost(world.engine, lead, project.id or 0)

    rest = await api.data(EVENTS, {"first": 10, "after": cursor}, token=token)

    assert [e["type"] for e in rest["events"]["nodes"]] == ["cost.recorded", "cost.recorded"]
    assert rest["events"]["pageInfo"]["hasNextPage"] is False
    assert first_page["events"]["totalCount"] == 1


async def test_the_feed_narrows_to_one_project_and_to_types(api: Api, world: World) -> None:
    lead = world.lead()
    one, other = world.project(lead), world.project(lead)
    record_cost(world.engine, lead, other.id or 0)
    token = world.token(lead)

    of_one = await feed(api, token, projectId=to_global_id("Project", one.id or 0))
    costs = await feed(api, token, types=["cost.recorded"])

    assert [e["data"]["id"] for e in of_one] == [to_global_id("Project", one.id or 0)]
    assert [e["data"]["project"] for e in costs] == [to_global_id("Project", other.id or 0)]


async def test_an_unknown_event_type_is_refused_by_name(api: Api, world: World) -> None:
    body = await api.gql(EVENTS, {"types": ["project.create"]}, token=world.token(world.lead()))

    assert "project.create" in body["errors"][0]["message"]
    assert "project.created" in body["errors"][0]["message"]


async def test_a_refused_change_writes_no_event(api: Api, world: World, engine: Engine) -> None:
    lead = world.lead()
    project = world.project(lead)
    answer = await api.data(
        UPDATE_PROJECT,
        {
            "input": {
                "projectId": to_global_id("Project", project.id or 0),
                "expectedVersion": 7,
                "title": "Too late",
            }
        },
        token=world.token(lead),
    )
    assert answer["updateProject"]["userErrors"] == [{"code": "CONFLICT"}]

    with Session(engine) as session:
        types = session.exec(select(Event.type)).all()
    assert types == ["project.created"]


def record_lesson(engine: Engine, actor: Any, project_id: int, **sharing: Any) -> None:
    from inset.lessons import service as lessons
    from inset.lessons.models import LessonKind

    with transaction(engine) as session:
        lessons.record_lesson(
            session=session,
            actor=actor,
            project_id=project_id,
            kind=LessonKind.WHAT_WORKED,
            title="Meet families at home",
            body="Home visits kept families engaged when clinic slots did not.",
            **sharing,
        )


async def test_a_lesson_shared_beyond_its_project_reaches_those_it_is_shared_with(
    api: Api, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PRIVATE)
    record_lesson(world.engine, lead, project.id or 0, shared_with=Visibility.MEMBERS)

    seen_by_member = await feed(api, world.token(world.member()))

    assert [e["type"] for e in seen_by_member] == ["lesson.recorded", "lesson.shared"]
    assert seen_by_member[1]["data"]["sharedWith"] == "MEMBERS"


async def test_an_anonymised_lesson_s_events_stay_within_its_project_s_organisations(
    api: Api, world: World
) -> None:
    lead = world.lead()
    project = world.project(lead, visibility=Visibility.PUBLIC)
    record_lesson(
        world.engine, lead, project.id or 0, shared_with=Visibility.PUBLIC, anonymised=True
    )

    own = await feed(api, world.token(lead), types=["lesson.recorded"])
    outsider = await feed(api, world.token(world.member()), types=["lesson.recorded"])
    anonymous = await feed(api, None, types=["lesson.recorded", "lesson.shared"])

    assert len(own) == 1
    assert outsider == []
    assert anonymous == []
