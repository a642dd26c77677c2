"""A search page looks first among the best-ranked matches, and never loses a lesson by it
(`library_page` and `CANDIDATES_PER_ROW`)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.access import ANONYMOUS, Actor
from inset.db import transaction
from inset.lessons import service
from inset.lessons.models import Lesson, LessonKind
from inset.pagination import PageRequest
from inset.projects.models import Project, Visibility


def record(engine: Engine, actor: Actor, project: Project, title: str, body: str) -> Lesson:
    with transaction(engine) as session:
        return service.record_lesson(
            session=session,
            actor=actor,
            project_id=project.id or 0,
            kind=LessonKind.WHAT_WORKED,
            title=title,
            body=body,
        )


def pages(engine: Engine, actor: Actor, search: str, size: int) -> list[list[int]]:
    """Every page of the search, following the cursors to the end."""
    found, after = [], None
    while True:
        with Session(engine) as session:
            page = service.library_page(
                session=session,
                lessons=service.lesson_list(actor=actor, search=search),
                search=search,
                request=PageRequest.from_args(first=size, after=after),
            )
        found.append([row[0].id for row in page.rows])
        if not page.has_next_page:
            return found
        after = page.cursors[-1]


def ranked(engine: Engine, actor: Actor, search: str) -> list[int]:
    """Every readable match, most relevant first, straight from the full list."""
    with Session(engine) as session:
        rows = session.execute(service.lesson_list(actor=actor, search=search)).all()
    return [lesson.id for lesson, _ in sorted(rows, key=lambda r: (-r[1], -r[0].id))]


@pytest.fixture
def library(world: Any, engine: Engine) -> dict[str, list[int]]:
    """Many strong matches nobody outside their organisation reads, then a few weaker ones
    in a public project: more than CANDIDATES_PER_ROW times a small page of the former."""
    lead = world.lead()
    private = world.project(lead, visibility=Visibility.PRIVATE)
    public = world.project(lead, visibility=Visibility.PUBLIC)
    strong = [
        record(engine, lead, private, f"Kinship care {n}", "Kinship carers met weekly.").id
        for n in range(3 * service.CANDIDATES_PER_ROW)
    ]
    weak = [
        record(engine, lead, public, f"Evening rota {n}", "Later on: kinship visits.").id
        for n in range(5)
    ]
    return {"strong": strong, "weak": weak}


def test_the_public_finds_the_readable_matches_behind_many_it_may_not_read(
    engine: Engine, library: dict[str, list[int]]
) -> None:
    # when an anonymous reader searches, two lessons a page
    found = pages(engine, ANONYMOUS, "kinship", 2)

    # then every public match comes, in order of relevance, however many private ones rank
    # above them
    assert [i for page in found for i in page] == ranked(engine, ANONYMOUS, "kinship")
    assert sorted(i for page in found for i in page) == sorted(library["weak"])


@pytest.mark.parametrize("size", [1, 2, 5, 20])
def test_pages_of_a_search_add_up_to_the_whole_ranking(
    world: Any, engine: Engine, library: dict[str, list[int]], size: int
) -> None:
    staff = world.staff

    # when staff page through the search
    found = pages(engine, staff, "kinship", size)

    # then the pages hold every match once, most relevant first
    assert [i for page in found for i in page] == ranked(engine, staff, "kinship")
    assert len(ranked(engine, staff, "kinship")) == len(library["strong"]) + len(library["weak"])
    assert all(len(page) == size for page in found[:-1])
