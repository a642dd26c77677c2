"""Keyset cursors: a page boundary stays put while records are added around it."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from inset.errors import Invalid
from inset.pagination import PageRequest, SortKey, fetch_page
from inset.projects import service
from inset.projects.models import Project

BY_TITLE = [SortKey(Project.title), SortKey(Project.id)]


def _page(session: Session, actor, **args):
    return fetch_page(
        session,
        service.project_list(actor=actor),
        BY_TITLE,
        PageRequest.from_args(**args),
        lambda p: (p.title, p.id),
    )


def test_a_cursor_stays_valid_and_skips_nothing_while_records_are_added(world, engine):
    lead = world.lead()
    for title in ["B", "D", "F", "H"]:
        world.project(lead, title=title)
    with Session(engine) as session:
        first = _page(session, lead, first=2)
    assert [p.title for p in first.rows] == ["B", "D"]
    assert first.has_next_page

    # given records added before, at and after the boundary
    for title in ["A", "C", "E", "D"]:
        world.project(lead, title=title)

    with Session(engine) as session:
        rest = _page(session, lead, first=10, after=first.cursors[-1])
    # the second "D" sorts after the first by id, so it belongs to the rest
    assert [p.title for p in rest.rows] == ["D", "E", "F", "H"]
    assert not rest.has_next_page
    assert rest.has_previous_page


def test_last_and_before_page_backwards(world, session: Session):
    lead = world.lead()
    for title in ["A", "B", "C", "D", "E"]:
        world.project(lead, title=title)

    tail = _page(session, lead, last=2)
    before = _page(session, lead, last=2, before=tail.cursors[0])

    assert [p.title for p in tail.rows] == ["D", "E"]
    assert tail.has_previous_page
    assert [p.title for p in before.rows] == ["B", "C"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"first": 0}, "first must be from 1 to 100"),
        ({"first": 101}, "first must be from 1 to 100"),
        ({"last": -1}, "last must be from 1 to 100"),
        ({"first": 1, "last": 1}, "not both"),
        ({"after": "not-a-cursor!"}, "not a cursor"),
    ],
)
def test_bad_page_arguments_are_refused_with_the_reason(args, message):
    with pytest.raises(Invalid, match=message):
        PageRequest.from_args(**args)
