"""A database made by the first release (migrations 0001 to 0003) and filled with the demo
portfolio upgrades to the latest revision with every record kept and readable.

`data/release-0003-demo.sql` is that database as SQL, made with `inset db upgrade` at
0003, `inset seed` and `python scripts/sqlite_dump.py inset.db`; it must never be
regenerated with later migrations.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from inset.db import create_db_engine
from inset.ids import to_global_id
from inset.migrate import current_revision, head_revision, upgrade
from tests.operations.reads import answers, sign_in

RELEASE = Path(__file__).parent / "data" / "release-0003-demo.sql"


def records(url: str) -> dict[str, set[int]]:
    """Each table's rowids (every table of ours has one, whatever its primary key)."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: set(
                    conn.execute(
                        sa.select(sa.literal_column("rowid")).select_from(sa.table(name))
                    ).scalars()
                )
                for name in sa.inspect(conn).get_table_names()
                if not name.startswith(("lesson_search", "alembic_version"))
            }
    finally:
        engine.dispose()


def load_release(tmp_path: Path) -> Path:
    path = tmp_path / "release.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(RELEASE.read_text(encoding="utf-8"))
    return path


def test_the_fixture_is_a_database_of_the_first_release(tmp_path):
    path = load_release(tmp_path)

    assert current_revision(f"sqlite:///{path}") == "0003"
    assert len(records(f"sqlite:///{path}")["project"]) == 14


async def test_it_upgrades_to_head_with_every_record_kept_and_readable(tmp_path):
    path = load_release(tmp_path)
    url = f"sqlite:///{path}"
    with sqlite3.connect(path) as conn:
        projects = dict(conn.execute("SELECT id, title FROM project").fetchall())
    before = records(url)

    assert upgrade(url) == head_revision(url)

    after = records(url)
    assert {table: kept - after.get(table, set()) for table, kept in before.items()} == {
        table: set() for table in before
    }
    engine = create_db_engine(url)
    try:
        cookies = await sign_in(engine, url)
        ids_asked = [to_global_id("Project", pk) for pk in sorted(projects)]
        seen = await answers(engine, url, cookies, ids_asked)
        with engine.connect() as conn:
            lessons = conn.execute(sa.text("SELECT count(*) FROM lesson")).scalar_one()
    finally:
        engine.dispose()
    staff_nodes = seen["staff"][-1][1]["data"]["nodes"]
    assert [node["title"] for node in staff_nodes] == [projects[pk] for pk in sorted(projects)]
    everything = seen["staff"][0][1]["data"]
    assert everything["projects"]["totalCount"] == len(projects)
    assert everything["lessons"]["totalCount"] == lessons == len(before["lesson"])
    assert everything["searched"]["totalCount"] > 0  # the search index came through
