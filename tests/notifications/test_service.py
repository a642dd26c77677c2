"""Following and being told: who hears of what, and never of what they may not read."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from inset.access import Actor
from inset.db import transaction
from inset.errors import Forbidden, Invalid, NotFound
from inset.gates.models import GateDecisionKind
from inset.lessons.models import LessonKind
from inset.notifications import service
from inset.notifications.models import DigestFrequency, NotificationKind
from inset.projects import service as projects
from inset.projects.models import Visibility
from tests.gates.gate_records import Records


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


def follow(engine, actor: Actor, **target: Any):
    with transaction(engine) as session:
        return service.follow(session=session, actor=actor, **target)


def told(engine, actor: Actor) -> list[tuple[NotificationKind, int | None, int | None]]:
    """What the actor is shown now: (kind, project id, lesson id), oldest first."""
    with Session(engine) as session:
        rows = session.scalars(
            service.readable_notifications(actor).order_by("created_at", "id")
        ).all()
        return [(row.kind, row.project_id, row.lesson_id) for row in rows]


def test_a_follower_of_a_barrier_is_told_of_a_new_lesson_tagged_with_it(world, engine, records):
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, barrier="Funding")

    lesson = records.lesson(lead, project, barriers=["funding"], kind=LessonKind.BARRIER)
    records.lesson(lead, project, barriers=["culture"], title="Another")

    assert told(engine, reader) == [(NotificationKind.NEW_LESSON, None, lesson.id)]


def test_followers_of_a_theme_hear_of_its_new_projects_and_their_lessons(world, engine, records):
    lead = world.lead()
    reader = world.member()
    theme = world.theme("Missing from care")
    follow(engine, reader, theme_id=theme.id)

    project = world.project(lead, visibility=Visibility.MEMBERS, theme_ids=[theme.id])
    lesson = records.lesson(lead, project)

    assert told(engine, reader) == [
        (NotificationKind.NEW_PROJECT, project.id, None),
        (NotificationKind.NEW_LESSON, None, lesson.id),
    ]


def test_a_followed_project_tells_of_its_stage_and_status_changes(world, engine, records):
    lead = world.lead()
    reader = world.member()
    project = records.ready_for_pilot(world, lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)

    records.decide(lead, project, GateDecisionKind.GO)
    records.decide(lead, project, GateDecisionKind.HOLD)

    assert told(engine, reader) == [
        (NotificationKind.STAGE_CHANGED, project.id, None),
        (NotificationKind.STATUS_CHANGED, project.id, None),
    ]


def test_an_organisations_followers_hear_of_its_new_projects(world, engine):
    org = world.org("Eastmoor Council")
    lead = world.lead(org)
    reader = world.member()
    follow(engine, reader, organisation_id=org.id)

    project = world.project(lead, visibility=Visibility.PUBLIC)

    assert told(engine, reader) == [(NotificationKind.NEW_PROJECT, project.id, None)]


def test_whoever_made_the_change_is_not_told_of_it(world, engine, records):
    org = world.org()
    lead = world.lead(org)
    follow(engine, lead, organisation_id=org.id)

    project = world.project(lead)
    records.lesson(lead, project)

    assert told(engine, lead) == []


def test_nobody_is_shown_a_notification_about_a_project_they_may_not_read(world, engine):
    org = world.org()
    lead = world.lead(org)
    outsider = world.member()
    follow(engine, outsider, organisation_id=org.id)

    world.project(lead, visibility=Visibility.PRIVATE)

    assert told(engine, outsider) == []


def test_a_project_made_private_later_drops_out_of_its_followers_notifications(
    world, engine, records
):
    lead = world.lead()
    outsider = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, outsider, project_id=project.id)
    records.lesson(lead, project)
    assert len(told(engine, outsider)) == 1

    with transaction(engine) as session:
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project.id,
            visibility=Visibility.PRIVATE,
            expected_version=project.version,
        )

    assert told(engine, outsider) == []


def test_an_anonymised_lesson_is_not_announced_to_followers_of_its_organisation(
    world, engine, records
):
    org = world.org()
    lead = world.lead(org)
    org_follower = world.member()
    barrier_follower = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, org_follower, organisation_id=org.id)
    follow(engine, barrier_follower, barrier="policy")

    records.lesson(lead, project, barriers=["policy"], anonymised=True)

    assert told(engine, org_follower) == []
    assert [kind for kind, _, _ in told(engine, barrier_follower)] == [NotificationKind.NEW_LESSON]


def test_following_twice_is_one_follow_and_unfollowing_ends_it(world, engine, records):
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    first = follow(engine, reader, project_id=project.id)
    again = follow(engine, reader, project_id=project.id)
    assert first.id == again.id

    with transaction(engine) as session:
        assert service.unfollow(session=session, actor=reader, project_id=project.id) is True
    with transaction(engine) as session:
        assert service.unfollow(session=session, actor=reader, project_id=project.id) is False
    records.lesson(lead, project)

    assert told(engine, reader) == []


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ({}, Invalid),
        ({"barrier": "weather"}, Invalid),
        ({"barrier": "funding", "theme_id": 1}, Invalid),
        ({"theme_id": 999}, NotFound),
        ({"organisation_id": 999}, NotFound),
    ],
)
def test_a_follow_needs_exactly_one_known_target(world, engine, target, error):
    reader = world.member()
    with pytest.raises(error), transaction(engine) as session:
        service.follow(session=session, actor=reader, **target)
    with Session(engine) as session:
        assert service.follows_of(session=session, actor=reader) == []


def test_a_project_one_may_not_read_cannot_be_followed(world, engine):
    project = world.project(world.lead(), visibility=Visibility.PRIVATE)
    outsider = world.member()
    with pytest.raises(NotFound), transaction(engine) as session:
        service.follow(session=session, actor=outsider, project_id=project.id)


def test_anonymous_readers_cannot_follow(world, engine):
    with pytest.raises(Forbidden), transaction(engine) as session:
        service.follow(session=session, actor=Actor(), barrier="funding")


def test_marking_read_one_and_all(world, engine, records):
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    for title in ("One", "Two", "Three"):
        records.lesson(lead, project, title=title)
    with Session(engine) as session:
        first = session.scalars(service.readable_notifications(reader)).first()

    with transaction(engine) as session:
        service.mark_read(session=session, actor=reader, notification_id=first.id)
    with Session(engine) as session:
        unread = session.scalars(service.readable_notifications(reader, unread_only=True)).all()
    assert len(unread) == 2

    with transaction(engine) as session:
        assert service.mark_all_read(session=session, actor=reader) == 2
    with Session(engine) as session:
        assert session.scalars(service.readable_notifications(reader, unread_only=True)).all() == []


def test_nobody_marks_anothers_notification_read(world, engine, records):
    lead = world.lead()
    reader = world.member()
    project = world.project(lead, visibility=Visibility.MEMBERS)
    follow(engine, reader, project_id=project.id)
    records.lesson(lead, project)
    with Session(engine) as session:
        theirs = session.scalars(service.readable_notifications(reader)).first()
    someone_else = world.member()

    with pytest.raises(NotFound), transaction(engine) as session:
        service.mark_read(session=session, actor=someone_else, notification_id=theirs.id)


def test_the_digest_is_weekly_until_chosen_otherwise(world, engine):
    reader = world.member()
    with Session(engine) as session:
        assert service.digest_frequency(session=session, account_id=reader.account_id) is (
            DigestFrequency.WEEKLY
        )
    with transaction(engine) as session:
        service.choose_digest_frequency(
            session=session, actor=reader, frequency=DigestFrequency.DAILY
        )
    with Session(engine) as session:
        assert service.digest_frequency(session=session, account_id=reader.account_id) is (
            DigestFrequency.DAILY
        )
