"""Following and notifications through the GraphQL API."""

from __future__ import annotations

import pytest

from inset.gates.models import GateDecisionKind
from inset.ids import to_global_id
from inset.lessons.models import LessonKind
from inset.projects.models import Visibility
from tests.gates.gate_records import Records

FOLLOW = """
mutation Follow($input: FollowInput!) {
  follow(input: $input) {
    follow { id barrier theme { name } project { title } organisation { name } }
    userErrors { field code message }
  }
}
"""

UNFOLLOW = """
mutation Unfollow($input: FollowInput!) {
  unfollow(input: $input) { unfollowed userErrors { field code message } }
}
"""

VIEWER = """
query Viewer($unreadOnly: Boolean) {
  viewer {
    follows { barrier project { title } organisation { name } theme { name } }
    unreadNotificationCount
    emailDigest
    notifications(first: 10, unreadOnly: $unreadOnly) {
      totalCount
      nodes { id kind read message project { title } lesson { title } }
    }
  }
}
"""

MARK_READ = """
mutation Read($input: MarkNotificationReadInput!) {
  markNotificationRead(input: $input) {
    notification { read } unreadCount userErrors { field code message }
  }
}
"""

MARK_ALL = """
mutation { markAllNotificationsRead { marked unreadCount userErrors { code } } }
"""

SET_DIGEST = """
mutation Digest($input: SetEmailDigestInput!) {
  setEmailDigest(input: $input) { frequency userErrors { field code message } }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { ... on Notification { message } } }
"""

OTHERS = """
query Others($id: ID!) {
  node(id: $id) { ... on Account { follows { barrier } unreadNotificationCount emailDigest } }
}
"""


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


async def test_a_member_follows_a_barrier_and_sees_its_new_lessons_in_the_app(world, api, records):
    lead = world.lead()
    reader = world.member()
    token = world.token(reader)
    project = world.project(lead, visibility=Visibility.MEMBERS, title="Return-home chats")

    followed = await api.data(FOLLOW, {"input": {"barrier": "funding"}}, token=token)
    records.lesson(lead, project, barriers=["funding"], kind=LessonKind.BARRIER, title="Money")
    viewer = (await api.data(VIEWER, token=token))["viewer"]

    assert followed["follow"]["follow"]["barrier"] == "funding"
    assert viewer["follows"] == [
        {"barrier": "funding", "project": None, "organisation": None, "theme": None}
    ]
    assert viewer["unreadNotificationCount"] == 1
    assert viewer["emailDigest"] == "WEEKLY"
    [note] = viewer["notifications"]["nodes"]
    assert note["kind"] == "NEW_LESSON"
    assert note["message"] == "A new lesson: Money"
    assert note["lesson"] == {"title": "Money"}
    assert note["read"] is False


async def test_marking_one_read_then_all_read_lowers_the_unread_count(world, api, records):
    lead = world.lead()
    reader = world.member()
    token = world.token(reader)
    project = world.project(lead, visibility=Visibility.MEMBERS)
    await api.data(
        FOLLOW, {"input": {"projectId": to_global_id("Project", project.id)}}, token=token
    )
    for title in ("One", "Two", "Three"):
        records.lesson(lead, project, title=title)
    notes = (await api.data(VIEWER, token=token))["viewer"]["notifications"]["nodes"]

    one = await api.data(MARK_READ, {"input": {"notificationId": notes[0]["id"]}}, token=token)
    unread = await api.data(VIEWER, {"unreadOnly": True}, token=token)
    everything = await api.data(MARK_ALL, token=token)

    assert one["markNotificationRead"]["notification"] == {"read": True}
    assert one["markNotificationRead"]["unreadCount"] == 2
    assert unread["viewer"]["notifications"]["totalCount"] == 2
    assert everything["markAllNotificationsRead"] == {
        "marked": 2,
        "unreadCount": 0,
        "userErrors": [],
    }


async def test_another_persons_notification_is_not_found(world, api, records):
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    await api.data(
        FOLLOW,
        {"input": {"projectId": to_global_id("Project", project.id)}},
        token=world.token(reader),
    )
    records.lesson(lead, project)
    [note] = (await api.data(VIEWER, token=world.token(reader)))["viewer"]["notifications"]["nodes"]

    answer = await api.data(
        MARK_READ, {"input": {"notificationId": note["id"]}}, token=world.token(world.member())
    )

    assert answer["markNotificationRead"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert (await api.data(VIEWER, token=world.token(reader)))["viewer"][
        "unreadNotificationCount"
    ] == 1


async def test_a_follow_of_an_unknown_barrier_is_a_clear_user_error(world, api):
    token = world.token(world.member())
    answer = await api.data(FOLLOW, {"input": {"barrier": "weather"}}, token=token)
    [error] = answer["follow"]["userErrors"]
    assert error["field"] == ["input", "barrier"]
    assert error["code"] == "INVALID"
    assert "staff capacity" in error["message"]
    assert (await api.data(VIEWER, token=token))["viewer"]["follows"] == []


async def test_a_private_project_of_another_organisation_cannot_be_followed(world, api):
    project = world.project(world.lead(), visibility=Visibility.PRIVATE)
    answer = await api.data(
        FOLLOW,
        {"input": {"projectId": to_global_id("Project", project.id)}},
        token=world.token(world.member()),
    )
    assert answer["follow"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_unfollowing_stops_the_notifications(world, api, records):
    lead = world.lead()
    org_id = to_global_id("Organisation", lead.organisation_id)
    token = world.token(world.member())
    await api.data(FOLLOW, {"input": {"organisationId": org_id}}, token=token)

    gone = await api.data(UNFOLLOW, {"input": {"organisationId": org_id}}, token=token)
    again = await api.data(UNFOLLOW, {"input": {"organisationId": org_id}}, token=token)
    world.project(lead, visibility=Visibility.PUBLIC)

    assert gone["unfollow"] == {"unfollowed": True, "userErrors": []}
    assert again["unfollow"] == {"unfollowed": False, "userErrors": []}
    assert (await api.data(VIEWER, token=token))["viewer"]["unreadNotificationCount"] == 0


async def test_the_email_digest_is_chosen_and_shown_only_to_oneself(world, api):
    reader = world.member()
    token = world.token(reader)
    chosen = await api.data(SET_DIGEST, {"input": {"frequency": "DAILY"}}, token=token)
    await api.data(FOLLOW, {"input": {"barrier": "policy"}}, token=token)
    seen_by_other = await api.data(
        OTHERS,
        {"id": to_global_id("Account", reader.account_id)},
        token=world.token(world.staff),
    )

    assert chosen["setEmailDigest"] == {"frequency": "DAILY", "userErrors": []}
    assert (await api.data(VIEWER, token=token))["viewer"]["emailDigest"] == "DAILY"
    assert seen_by_other["node"] == {
        "follows": None,
        "unreadNotificationCount": None,
        "emailDigest": None,
    }


async def test_anonymous_readers_cannot_follow(api):
    answer = await api.data(FOLLOW, {"input": {"barrier": "funding"}})
    assert answer["follow"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_each_gate_is_told_as_it_was_even_after_the_project_moves_on(world, api, records):
    lead = world.lead()
    reader = world.member()
    token = world.token(reader)
    project = records.ready_for_pilot(
        world, lead, visibility=Visibility.MEMBERS, title="Weekend respite"
    )
    await api.data(
        FOLLOW, {"input": {"projectId": to_global_id("Project", project.id)}}, token=token
    )

    records.decide(lead, project, GateDecisionKind.GO)
    records.decide(lead, project, GateDecisionKind.HOLD)
    notes = (await api.data(VIEWER, token=token))["viewer"]["notifications"]["nodes"]
    told = await api.data(NODE, {"id": notes[0]["id"]}, token=token)
    not_theirs = await api.data(NODE, {"id": notes[0]["id"]}, token=world.token(world.member()))

    assert [n["message"] for n in notes] == [
        "Weekend respite was put on hold",
        "Weekend respite moved to the pilot stage",
    ]
    assert [n["kind"] for n in notes] == ["STATUS_CHANGED", "STAGE_CHANGED"]
    assert told["node"] == {"message": "Weekend respite was put on hold"}
    assert not_theirs["node"] is None
