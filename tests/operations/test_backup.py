"""A backup restored into an empty database answers every reader exactly as the original."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
import sqlalchemy as sa
from conftest import is_postgres
from sqlmodel import SQLModel

from inset.db import create_db_engine
from inset.economics.models import ProjectEconomics
from inset.migrate import head_revision, upgrade
from inset.operations.backup import BackupError, read_backup, write_backup
from inset.seed import load_seeds
from tests.economics.stored_figures import assert_current, kept
from tests.operations.reads import SEEDS, answers, clients, sign_in

CREATE_ORGANISATION = """mutation ($name: String!) {
  createOrganisation(input: {name: $name, kind: CHARITY, region: "London"}) {
    organisation { id name } userErrors { code message } } }"""


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture
def demo(engine, db_url):
    load_seeds(engine, SEEDS)
    return engine


async def test_every_reader_sees_the_same_answers_after_a_backup_and_a_restore(
    demo, db_url, empty_db_url, tmp_path
):
    cookies = await sign_in(demo, db_url)
    staff = (await answers(demo, db_url, cookies, []))["staff"][0][1]["data"]
    ids = [n["id"] for key in ("projects", "lessons", "organisations") for n in staff[key]["nodes"]]
    before = await answers(demo, db_url, cookies, ids)
    backup = tmp_path / "inset.backup"

    written = write_backup(demo, backup)
    restored = create_db_engine(empty_db_url)
    try:
        loaded = read_backup(restored, backup)
        after = await answers(restored, empty_db_url, cookies, ids)
    finally:
        restored.dispose()

    assert (loaded.tables, loaded.rows) == (written.tables, written.rows)
    assert after == before
    # The answers are worth comparing: the readers see different, non-empty things.
    assert staff["projects"]["totalCount"] == 14
    assert len({str(seen) for seen in before.values()}) == 4
    anonymous = before["anonymous"][0][1]["data"]
    assert 0 < anonymous["projects"]["totalCount"] < staff["projects"]["totalCount"]


async def test_records_can_be_made_after_a_restore(demo, db_url, empty_db_url, tmp_path):
    backup = tmp_path / "inset.backup"
    write_backup(demo, backup)
    restored = create_db_engine(empty_db_url)
    try:
        read_backup(restored, backup)
        cookies = await sign_in(restored, empty_db_url)
        async with clients(restored, empty_db_url, cookies) as by_reader:
            made = []
            for name in ("Restored Charity One", "Restored Charity Two"):
                answer = await by_reader["staff"].post(
                    "/graphql", json={"query": CREATE_ORGANISATION, "variables": {"name": name}}
                )
                made.append(answer.json()["data"]["createOrganisation"])
    finally:
        restored.dispose()

    assert [m["userErrors"] for m in made] == [[], []]
    assert [m["organisation"]["name"] for m in made] == [
        "Restored Charity One",
        "Restored Charity Two",
    ]


def test_a_backup_taken_while_the_server_writes_is_of_one_moment(
    world, engine, empty_db_url, tmp_path
):
    staff_org = world.staff.organisation_id  # made directly, without an audit event
    made: list[int] = []
    stop = threading.Event()

    def write() -> None:  # as the server would: an organisation and its audit event a time
        while not stop.is_set():
            made.append(world.org().id)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(made) < 3:
            time.sleep(0.01)
        write_backup(engine, tmp_path / "inset.backup")
        written = len(made)
        while len(made) < written + 3:  # the writer went on after the snapshot
            time.sleep(0.01)
    finally:
        stop.set()
        writer.join()
    restored = create_db_engine(empty_db_url)
    try:
        read_backup(restored, tmp_path / "inset.backup")
        with restored.connect() as conn:
            organisations = set(conn.execute(sa.text("SELECT id FROM organisation")).scalars())
            audited = set(
                conn.execute(
                    sa.text(
                        "SELECT entity_id FROM audit_event WHERE action = 'organisation.create'"
                    )
                ).scalars()
            )
    finally:
        restored.dispose()

    # Every table was read at one moment: each organisation with its audit event, no more.
    assert organisations - {staff_org} == audited
    assert 3 <= len(audited) < len(made)


def test_a_database_with_rows_is_refused_and_left_as_it_was(demo, tmp_path):
    backup = tmp_path / "inset.backup"
    write_backup(demo, backup)
    before = counts(demo)

    with pytest.raises(BackupError, match=r"not empty \(\d+ rows in \w+\)"):
        read_backup(demo, backup)

    assert counts(demo) == before


def test_an_incomplete_backup_is_refused_and_leaves_no_tables_behind(demo, empty_db_url, tmp_path):
    backup, cut = tmp_path / "inset.backup", tmp_path / "cut.backup"
    write_backup(demo, backup)
    lines = gzip.decompress(backup.read_bytes()).splitlines(keepends=True)
    cut.write_bytes(gzip.compress(b"".join(lines[:-1])))
    restored = create_db_engine(empty_db_url)
    try:
        with pytest.raises(BackupError, match="ends before its last line"):
            read_backup(restored, cut)
    finally:
        restored.dispose()

    assert table_names(empty_db_url) == set()


def test_a_file_that_is_no_backup_is_refused(engine, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")

    with pytest.raises(BackupError, match="not a whole Inset backup"):
        read_backup(engine, other)


def test_a_database_behind_the_migrations_is_not_backed_up_and_the_old_file_stays(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0001")
    out = tmp_path / "inset.backup"
    out.write_text("yesterday's backup")
    engine = create_db_engine(url)

    try:
        with pytest.raises(BackupError, match=f"at revision 0001, not {head_revision(url)}"):
            write_backup(engine, out)
    finally:
        engine.dispose()

    assert out.read_text() == "yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inset.backup", "old.db"]


@pytest.mark.skipif(
    not is_postgres(), reason="moving to PostgreSQL needs INSET_TEST_DATABASE_URL=postgresql://..."
)
async def test_a_backup_moves_a_sqlite_database_to_postgresql(empty_db_url, tmp_path):
    sqlite_url = f"sqlite:///{tmp_path}/trial.db"
    upgrade(sqlite_url)
    trial = create_db_engine(sqlite_url)
    moved = create_db_engine(empty_db_url)
    try:
        load_seeds(trial, SEEDS)
        cookies = await sign_in(trial, sqlite_url)
        before = await answers(trial, sqlite_url, cookies, [])
        write_backup(trial, tmp_path / "trial.backup")
        read_backup(moved, tmp_path / "trial.backup")
        after = await answers(moved, empty_db_url, cookies, [])
    finally:
        trial.dispose()
        moved.dispose()

    # Full-text search ranks and cuts snippets by each database's own rules.
    for seen in (*before.values(), *after.values()):
        seen[0][1]["data"].pop("searched")
    assert after == before


def test_a_restore_works_the_stored_economics_out_again_from_the_lines(
    demo, empty_db_url, tmp_path
):
    # given a backup whose stored figures of one project are wrong
    with demo.begin() as conn:
        conn.execute(
            sa.update(ProjectEconomics).values(total_cost=1).where(ProjectEconomics.project_id == 1)
        )
    backup = tmp_path / "inset.backup"
    write_backup(demo, backup)

    # when it is restored
    restored = create_db_engine(empty_db_url)
    try:
        read_backup(restored, backup)

        # then the figures are the ones the lines give, as they were before
        assert_current(restored)
        assert kept(restored)[1].total_cost > 1
    finally:
        restored.dispose()
