"""The learning library's full-text search: ranked, safe with any input, over what the
viewer may read, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import TEST_DATABASE_URL, World, is_postgres, statement_counter
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from inset.access import ANONYMOUS, Actor
from inset.db import create_db_engine, normalise_url, transaction
from inset.events.models import Event
from inset.ids import to_global_id
from inset.lessons import search as full_text
from inset.lessons import service
from inset.lessons.models import Lesson, LessonKind
from inset.migrate import alembic_config, upgrade
from inset.organisations.models import Organisation, OrganisationKind
from inset.projects.models import Project, ProjectStatus, Stage, Visibility

SEARCH = """
query Search($search: String, $first: Int, $after: String, $filter: LessonFilter) {
  lessons(search: $search, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { title snippet }
  }
}
"""

RECORD_LESSON = """
mutation Record($input: RecordLessonInput!) {
  recordLesson(input: $input) { lesson { id } userErrors { code } }
}
"""

HOSTILE = [
    '"',
    "'",
    "(",
    ")",
    "kinship)",
    "AND",
    "kinship AND",
    "OR NOT",
    "*",
    "kinship*",
    "NEAR(kinship carers)",
    "NEAR",
    "'); DROP TABLE lesson; --",
    "title:kinship",
    "{title body}: kinship",
    "^kinship",
    '"kinship',
    'kin"ship',
    "-kinship",
    ":*",
    "!&|<->",
    "\\",
    "%_",
    "\u200b",
    "🙂",
    "'" * 200,
]


def record(engine: Engine, actor: Actor, project: Project, **overrides: Any) -> Lesson:
    values: dict[str, Any] = {
        "kind": LessonKind.WHAT_DID_NOT_WORK,
        "title": "Evening rota",
        "body": "Staff could not cover the late shifts.",
    }
    values.update(overrides)
    with transaction(engine) as session:
        return service.record_lesson(
            session=session, actor=actor, project_id=project.id or 0, **values
        )


def set_project(engine: Engine, project: Project, **values: Any) -> None:
    with transaction(engine) as session:
        session.execute(sa.update(Project).where(Project.id == project.id).values(**values))


async def found(api: Any, search: str | None, *, token: str | None = None, **variables: Any):
    """(totalCount, titles) of the first page of a search."""
    data = await api.data(SEARCH, {"search": search, **variables}, token=token)
    lessons = data["lessons"]
    return lessons["totalCount"], [n["title"] for n in lessons["nodes"]]


@pytest.fixture
def org(world: World) -> Organisation:
    found: Organisation = world.org(
        "Northshire Council", OrganisationKind.LOCAL_AUTHORITY, "North East"
    )
    return found


@pytest.fixture
def lead(world: World, org: Organisation) -> Actor:
    actor: Actor = world.lead(org)
    return actor


@pytest.fixture
def public(world: World, lead: Actor) -> Project:
    project: Project = world.project(lead, visibility=Visibility.PUBLIC)
    return project


async def test_a_lesson_whose_title_matches_ranks_above_one_that_mentions_it_once(
    api, engine, lead, public
):
    # given the body mention is the newer lesson, so newest-first would put it first
    record(engine, lead, public, title="Kinship carers wanted evenings", body="Sessions moved.")
    record(engine, lead, public, title="Assessments", body="The kinship assessment took months.")
    record(engine, lead, public, title="Unrelated", body="Nothing to see.")

    # when / then
    assert await found(api, "kinship") == (2, ["Kinship carers wanted evenings", "Assessments"])


async def test_words_match_by_their_stem_and_on_sqlite_by_the_start_of_a_word(
    api, engine, lead, public
):
    record(engine, lead, public, title="Texts went unanswered", body="Families changed numbers.")
    record(engine, lead, public, title="Partnership boards", body="Decisions were slow.")
    record(engine, lead, public, title="Café drop-ins", body="Carers came.")

    # Stems, on both databases.
    assert await found(api, "texting") == (1, ["Texts went unanswered"])
    assert await found(api, "family") == (1, ["Texts went unanswered"])
    assert await found(api, "TEXTING FAMILIES") == (1, ["Texts went unanswered"])
    if is_postgres():
        # Whole words only; accents kept; common words dropped; web search syntax.
        assert await found(api, "partner") == (0, [])
        assert await found(api, "cafe") == (0, [])
        assert await found(api, "the texts") == (1, ["Texts went unanswered"])
        assert await found(api, "texts or partnership") == (
            2,
            ["Partnership boards", "Texts went unanswered"],
        )
        assert await found(api, "texts -families") == (0, [])
    else:
        # The start of a word; accents folded; every word counts, common ones too.
        assert await found(api, "partner") == (1, ["Partnership boards"])
        assert await found(api, "cafe") == (1, ["Café drop-ins"])
        assert await found(api, "the texts") == (0, [])
        assert await found(api, "texts or partnership") == (0, [])


@pytest.mark.parametrize("search", HOSTILE, ids=range(len(HOSTILE)))
async def test_any_text_is_a_safe_search_that_finds_lessons_or_none(
    api, engine, lead, public, search
):
    record(engine, lead, public, title="Kinship carers", body="Kinship AND carers (NEAR) drop")

    body = await api.gql(SEARCH, {"search": search})

    assert "errors" not in body, body["errors"]
    lessons = body["data"]["lessons"]
    assert lessons["totalCount"] == len(lessons["nodes"]) <= 1
    assert await found(api, None) == (1, ["Kinship carers"])  # the table is still there


async def test_a_search_holding_a_nul_character_is_refused_as_the_clients_mistake(api):
    response = await api.post(SEARCH, {"search": "kinship\x00carers"})

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == (
        "`variables.search` holds the NUL character (U+0000), which Inset cannot store."
    )


async def test_hostile_words_still_find_what_they_name(api, engine, lead, public):
    record(engine, lead, public, title="Kinship carers", body="Kinship AND carers drop out.")

    for search in ["kinship)", "(kinship AND carers)", "'); DROP", '"kinship', "kinship*"]:
        assert await found(api, search) == (1, ["Kinship carers"]), search


async def test_a_search_of_more_than_200_characters_is_invalid(api):
    assert await found(api, "k" * 200) == (0, [])
    assert await found(api, "  " + "k" * 200 + "  ") == (0, [])

    body = await api.gql(SEARCH, {"search": "k" * 201})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "INVALID", "field": ["search"]}
    assert "200 characters" in error["message"]


async def test_a_blank_search_lists_everything_newest_first_without_snippets(
    api, engine, lead, public
):
    record(engine, lead, public, title="Older")
    record(engine, lead, public, title="Newer")

    data = await api.data(SEARCH, {"search": "   "})

    assert data["lessons"]["nodes"] == [
        {"title": "Newer", "snippet": None},
        {"title": "Older", "snippet": None},
    ]


async def test_the_snippet_marks_the_matched_words(api, engine, lead, public):
    record(
        engine,
        lead,
        public,
        title="Budget",
        body="Families had no data allowance; texting them cost too much.",
        anonymised=True,
    )

    by_body = await api.data(SEARCH, {"search": "allowances"})
    by_title = await api.data(SEARCH, {"search": "budget"})

    [snippet] = [n["snippet"] for n in by_body["lessons"]["nodes"]]
    assert "data «allowance»; texting" in snippet
    assert "Northshire" not in snippet  # only what the author wrote: title and body
    [snippet] = [n["snippet"] for n in by_title["lessons"]["nodes"]]
    assert snippet.startswith("«Budget»")


async def test_a_search_shows_only_lessons_the_viewer_may_read_and_counts_only_those(
    api, world, engine, org, lead, public
):
    # given a public lesson, and an outsider who reads only what is shared with members
    record(engine, lead, public, title="Kinship in public")
    outsider = world.token(world.member())
    insider = world.token(world.member(org))
    before = [await found(api, "kinship"), await found(api, "kinship", token=outsider)]

    # when a private project's lesson matches too
    private = world.project(lead, visibility=Visibility.PRIVATE)
    record(engine, lead, private, title="Kinship in private")
    record(engine, lead, private, title="Kinship for members", shared_with=Visibility.MEMBERS)

    # then neither the anonymous reader nor another organisation sees or counts it
    assert before == [(1, ["Kinship in public"]), (1, ["Kinship in public"])]
    assert await found(api, "kinship") == (1, ["Kinship in public"])
    assert await found(api, "kinship", token=outsider) == (
        2,
        ["Kinship for members", "Kinship in public"],
    )
    assert (await found(api, "kinship", token=insider))[0] == 3


async def test_every_filter_combines_with_the_search(api, world, engine, lead, public):
    theme = world.theme("Kinship care")
    charity = world.lead(world.org(kind=OrganisationKind.CHARITY, region="London"))
    themed = world.project(charity, visibility=Visibility.PUBLIC, theme_ids=[theme.id])
    set_project(engine, public, stage=Stage.PILOT, status=ProjectStatus.STOPPED)
    record(
        engine, charity, themed, title="Kinship A", kind=LessonKind.BARRIER, barriers=["funding"]
    )
    record(engine, charity, themed, title="Rota A", kind=LessonKind.BARRIER, barriers=["funding"])
    record(engine, lead, public, title="Kinship B", kind=LessonKind.ENABLER, barriers=["culture"])
    record(engine, lead, public, title="Rota B", kind=LessonKind.ENABLER, barriers=["culture"])

    async def kinship(**filter: Any) -> tuple[int, list[str]]:
        return await found(api, "kinship", filter=filter)

    assert await kinship() == (2, ["Kinship B", "Kinship A"])
    assert await kinship(themes=[to_global_id("Theme", theme.id or 0)]) == (1, ["Kinship A"])
    assert await kinship(barriers=["culture"]) == (1, ["Kinship B"])
    assert await kinship(stages=["PILOT"]) == (1, ["Kinship B"])
    assert await kinship(kinds=["BARRIER"]) == (1, ["Kinship A"])
    assert await kinship(organisationKinds=["CHARITY"]) == (1, ["Kinship A"])
    assert await kinship(regions=["North East"]) == (1, ["Kinship B"])
    assert await kinship(projectOutcomes=["ACTIVE"]) == (1, ["Kinship A"])
    assert await kinship(kinds=["BARRIER"], regions=["North East"]) == (0, [])


async def test_an_archived_lesson_vanishes_from_the_search(api, engine, lead, public):
    kept = record(engine, lead, public, title="Kinship kept")
    gone = record(engine, lead, public, title="Kinship gone")

    with transaction(engine) as session:
        service.archive_lesson(session=session, actor=lead, lesson_id=gone.id or 0, reason="Twice")

    assert await found(api, "kinship") == (1, [kept.title])


async def test_a_new_lesson_is_found_at_once_and_a_changed_one_by_its_new_words(
    api, world, engine, lead, public
):
    # given a lesson recorded through the API
    data = await api.data(
        RECORD_LESSON,
        {
            "input": {
                "projectId": to_global_id("Project", public.id or 0),
                "kind": "ENABLER",
                "title": "Kinship carers' café",
                "body": "A weekly drop-in kept carers talking.",
            }
        },
        token=world.token(lead),
    )
    assert data["recordLesson"]["userErrors"] == []
    assert await found(api, "kinship") == (1, ["Kinship carers' café"])

    # when its title changes
    with transaction(engine) as session:
        session.execute(sa.update(Lesson).values(title="Special guardians' café"))

    # then the old word no longer finds it, and the new one does
    assert await found(api, "kinship") == (0, [])
    assert await found(api, "guardians") == (1, ["Special guardians' café"])


def test_a_deleted_lesson_leaves_the_index(engine, lead, public):
    lesson = record(engine, lead, public, title="Kinship to delete")

    def indexed() -> list[int]:
        hits = full_text.hits("kinship")
        with Session(engine) as session:
            return list(session.scalars(sa.select(hits.c.lesson_id)))

    assert indexed() == [lesson.id]
    with transaction(engine) as session:
        session.execute(sa.delete(Lesson).where(Lesson.id == lesson.id))
    assert indexed() == []


async def test_pages_of_a_search_go_by_rank_then_newest_and_take_only_their_own_cursors(
    api, engine, lead, public
):
    # given one title match and four equal body mentions (equal rank)
    for n in range(4):
        record(engine, lead, public, title=f"Lesson {n}", body="Kinship carers.")
    record(engine, lead, public, title="Kinship first", body="Carers.")

    # when paging two at a time
    titles, after, pages = [], None, 0
    while True:
        data = await api.data(SEARCH, {"search": "kinship", "first": 2, "after": after})
        page = data["lessons"]
        titles += [n["title"] for n in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then
    assert (pages, titles) == (3, ["Kinship first", "Lesson 3", "Lesson 2", "Lesson 1", "Lesson 0"])
    unsearched = (await api.data(SEARCH, {"first": 1}))["lessons"]["pageInfo"]["endCursor"]
    for search, cursor in [("carers", after), ("kinship", unsearched), (None, after)]:
        body = await api.gql(SEARCH, {"search": search, "after": cursor})
        [error] = body["errors"]
        assert error["extensions"] == {"code": "INVALID", "field": ["after"]}, search


async def test_a_page_of_search_results_with_snippets_costs_the_same_for_3_and_12(
    api, world, engine, lead
):
    for n in range(12):
        project = world.project(world.lead(world.org()), visibility=Visibility.PUBLIC)
        record(engine, world.staff, project, title=f"Kinship {n}", anonymised=n % 2 == 0)
    del lead

    async def statements(first: int) -> int:
        seen = statement_counter(engine)
        data = await api.data(SEARCH, {"search": "kinship", "first": first})
        assert [n["snippet"][:9] for n in data["lessons"]["nodes"]] == ["«Kinship»"] * first
        return len(seen)

    assert await statements(3) == await statements(12)


def test_the_service_lists_readable_matches_with_their_rank(world, engine, lead, public):
    private = world.project(lead)
    shown = record(engine, lead, public, title="Kinship")
    record(engine, lead, private, title="Kinship too")

    with Session(engine) as session:
        rows = session.execute(service.lesson_list(actor=ANONYMOUS, search="kinship")).all()
        unranked = session.execute(service.lesson_list(actor=ANONYMOUS)).all()

    assert [(lesson.id, rank > 0) for lesson, rank in rows] == [(shown.id, True)]
    assert [rank for _, rank in unranked] == [None]


def test_autogenerate_leaves_the_search_index_to_the_migrations(engine):
    with engine.connect() as conn:
        options = {"compare_type": True, "include_object": full_text.include_object}
        context = MigrationContext.configure(conn, opts=options)
        assert compare_metadata(context, SQLModel.metadata) == []


@pytest.fixture
def bare_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of this test's own."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'bare.db'}"
        return
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_test_{os.getpid()}_search"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_the_migration_indexes_lessons_already_there_and_downgrades_cleanly(bare_url):
    # given lessons recorded before the search existed
    upgrade(bare_url, "0001")
    engine = create_db_engine(bare_url)
    # Today's services write each change's event beside it (inset.events.outbox).
    Event.__table__.create(engine)  # type: ignore[attr-defined]
    try:
        world = World(engine)
        lead = world.lead()
        lesson = record(engine, lead, world.project(lead), title="Kinship before search")

        def searched() -> list[int]:
            stmt = service.lesson_list(actor=world.staff, search="kinship")
            with Session(engine) as session:
                return [row.id for row in session.scalars(stmt)]

        def search_objects() -> set[str]:
            inspector = sa.inspect(engine)
            tables = {t for t in inspector.get_table_names() if t.startswith("lesson_search")}
            columns = {c["name"] for c in inspector.get_columns("lesson")}
            return tables | (columns & {"search_vector"})

        # when the search arrives, then it finds them
        assert upgrade(bare_url, "0002") == "0002"
        assert searched() == [lesson.id]

        # when it goes, then nothing of it is left, and it comes back whole
        command.downgrade(alembic_config(bare_url), "0001")
        engine.dispose()
        assert search_objects() == set()
        assert upgrade(bare_url, "0002") == "0002"
        assert searched() == [lesson.id]
        assert search_objects() == (
            {"search_vector"}
            if is_postgres()
            else {f"lesson_search{s}" for s in ["", "_config", "_data", "_docsize", "_idx"]}
        )
    finally:
        engine.dispose()
