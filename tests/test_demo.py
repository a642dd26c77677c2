"""`inset serve --demo`'s preparation: migrate a new database and load the demo, all or nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import TEST_DATABASE_URL, is_postgres

from inset.db import normalise_url
from inset.demo import demo_seeds, prepare_demo
from inset.migrate import current_revision, head_revision
from inset.seed import SeedError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a database that does not exist yet: a SQLite file to be, or on PostgreSQL
    a new, empty database of this test's own."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'demo.db'}"
        return
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_demo_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def tables(url: str) -> list[str]:
    """The tables of the database; [] also when a SQLite file is not there at all."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return []
    engine = sa.create_engine(normalise_url(url))
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.fixture
def broken_seeds(tmp_path: Path) -> Path:
    """The demo seeds, but the last project's GO comes before any of its costs."""
    folder = tmp_path / "broken-seeds"
    shutil.copytree(SEEDS, folder)
    path = folder / "projects-workforce-and-data.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for project in data["projects"]:
        project["steps"] = [step for step in project["steps"] if "cost" not in step]
    path.write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_the_demo_is_migrated_and_loaded_into_a_new_database(new_database):
    summary = prepare_demo(new_database, demo_seeds())

    assert summary is not None
    assert summary.startswith("23 organisations, 15 accounts")
    assert current_revision(new_database) == head_revision(new_database)


def test_a_database_with_data_is_only_migrated(new_database):
    prepare_demo(new_database, demo_seeds())

    assert prepare_demo(new_database, demo_seeds()) is None


def test_seeds_that_fail_half_way_leave_no_half_made_database(new_database, broken_seeds):
    with pytest.raises(SeedError, match="GATE_NOT_MET"):
        prepare_demo(new_database, broken_seeds)

    # neither the migrations nor the projects loaded before the failing one are kept
    assert tables(new_database) == []
    # and the same database takes the demo afterwards
    assert prepare_demo(new_database, demo_seeds()) is not None


def test_missing_seeds_are_reported_before_the_database_is_touched(new_database, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "accounts.json").unlink()

    with pytest.raises(SeedError, match=r"accounts\.json: \[Errno 2\] No such file"):
        prepare_demo(new_database, folder)
    with pytest.raises(SeedError, match=r"the seeds folder .* does not exist"):
        prepare_demo(new_database, tmp_path / "nowhere")

    assert tables(new_database) == []


def test_the_demo_seeds_are_the_repositorys_in_a_checkout():
    assert demo_seeds() == SEEDS


def test_serve_demo_that_cannot_load_its_seeds_says_why_and_leaves_no_file(tmp_path, broken_seeds):
    env = {**os.environ, "INSET_SECRET_FILE": str(tmp_path / "secret")}
    env.pop("INSET_DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "-m", "inset", "serve", "--demo", "--seeds", str(broken_seeds)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "GATE_NOT_MET" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken-seeds", "secret"]
