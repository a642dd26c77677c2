"""`inset db check`, `inset backup` and `inset restore` as an operator runs them."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from inset.migrate import head_revision, upgrade
from inset.seed import load_seeds
from tests.operations.reads import SEEDS


def inset(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSET_DATABASE_URL": url, "INSET_SECRET_KEY": "test-secret-key"}
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_db_check_exits_0_at_head_and_prints_the_revisions(db_url):
    result = inset(db_url, "db", "check")

    head = head_revision(db_url)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [f"database: {head}", f"head: {head}", "at head"]


def test_db_check_exits_1_behind_head(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0002")

    result = inset(url, "db", "check")

    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == ["database: 0002", f"head: {head_revision(url)}"]


@pytest.fixture
def backup(engine, db_url, tmp_path):
    load_seeds(engine, SEEDS)
    out = tmp_path / "inset.backup"
    result = inset(db_url, "backup", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ")
    assert out.stat().st_mode & 0o777 == 0o600  # password hashes, PRIVATE records
    return out


def test_restore_into_a_new_database_says_what_it_loaded(backup, empty_db_url):
    result = inset(empty_db_url, "restore", str(backup))

    assert result.returncode == 0, result.stderr
    assert re.match(r"restored \d+ rows in \d+ tables at revision \w+ from ", result.stdout)
    assert inset(empty_db_url, "db", "check").returncode == 0


def test_restore_into_a_database_with_rows_is_one_line_and_a_failure(backup, db_url):
    result = inset(db_url, "restore", str(backup))

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("inset: the database is not empty (")
    assert result.stdout == ""
