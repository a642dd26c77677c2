"""The command line, run as a real process the way scripts and runbooks run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from inset.ids import from_global_id
from inset.migrate import head_revision


def inset(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "INSET_SECRET_FILE": str(tmp_path / "secret"),
    }
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def migrated(tmp_path: Path) -> Path:
    result = inset(tmp_path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return tmp_path


def test_db_upgrade_prints_the_revision_reached(tmp_path: Path):
    result = inset(tmp_path, "db", "upgrade")

    assert result.returncode == 0, result.stderr
    assert last_line(result) == head_revision("sqlite://")


def test_an_organisation_account_and_token_are_created_in_turn(migrated: Path):
    org = inset(
        migrated,
        "org",
        "create",
        "--name",
        "Northmoor Council",
        "--kind",
        "local_authority",
        "--region",
        "North West",
    )
    assert org.returncode == 0, org.stderr
    assert from_global_id(last_line(org)) == ("Organisation", 1)

    account = inset(
        migrated,
        "account",
        "create",
        "--email",
        "Lead@Northmoor.example",
        "--name",
        "Lee Lead",
        "--org",
        "Northmoor Council",
        "--role",
        "LEAD",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert account.returncode == 0, account.stderr
    assert from_global_id(last_line(account)) == ("Account", 1)

    token = inset(
        migrated,
        "token",
        "create",
        "--email",
        "lead@northmoor.example",
        "--scope",
        "read_write",
        "--expires-days",
        "30",
    )
    assert token.returncode == 0, token.stderr
    assert last_line(token).startswith("inset_")


def test_a_failing_command_says_why_in_one_line_and_changes_nothing(migrated: Path):
    inset(migrated, "org", "create", "--name", "Northmoor Council", "--kind", "LOCAL_AUTHORITY")

    again = inset(
        migrated, "org", "create", "--name", "northmoor council", "--kind", "LOCAL_AUTHORITY"
    )
    bad_kind = inset(migrated, "org", "create", "--name", "X", "--kind", "CASTLE")
    no_org = inset(
        migrated,
        "account",
        "create",
        "--email",
        "a@b.example",
        "--name",
        "A",
        "--org",
        "Nowhere",
        "--role",
        "LEAD",
    )
    weak = inset(
        migrated,
        "account",
        "create",
        "--email",
        "a@b.example",
        "--name",
        "A",
        "--org",
        "Northmoor Council",
        "--role",
        "LEAD",
        "--password-stdin",
        stdin="short\n",
    )

    for result, reason in [
        (again, "already exists"),
        (bad_kind, "--kind must be one of"),
        (no_org, "no organisation"),
        (weak, "12 characters"),
    ]:
        assert result.returncode != 0
        assert len(result.stderr.strip().splitlines()) == 1
        assert reason in result.stderr
    engine = sa.create_engine(f"sqlite:///{migrated / 'cli.db'}")
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from organisation")).scalar() == 1
        assert conn.execute(sa.text("select count(*) from account")).scalar() == 0
    engine.dispose()


def test_commands_refuse_a_database_that_is_not_migrated(tmp_path: Path):
    result = inset(tmp_path, "org", "create", "--name", "X", "--kind", "CHARITY")

    assert result.returncode != 0
    assert "inset db upgrade" in result.stderr


def test_export_schema_prints_the_checked_in_schema():
    result = subprocess.run(
        [sys.executable, "-m", "inset", "export-schema"], capture_output=True, text=True, check=True
    )
    checked_in = (Path(__file__).parent.parent / "schema.graphql").read_text()

    assert result.stdout.strip() == checked_in.strip()


def test_an_integration_and_its_token_are_created_for_an_organisation(migrated: Path):
    org = inset(migrated, "org", "create", "--name", "Harbourlight", "--kind", "charity")
    assert org.returncode == 0, org.stderr

    made = inset(migrated, "integration", "create", "--org", "Harbourlight", "--name", "Sync")
    assert made.returncode == 0, made.stderr
    integration = last_line(made)
    assert from_global_id(integration) == ("Integration", 1)

    token = inset(
        migrated, "token", "create", "--integration", integration, "--scope", "read_write"
    )
    assert token.returncode == 0, token.stderr
    assert last_line(token).startswith("inset_")
    engine = sa.create_engine(f"sqlite:///{migrated / 'cli.db'}")
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT account_id, integration_id FROM api_token")).one()
    engine.dispose()
    assert tuple(row) == (None, 1)


def test_a_token_names_either_a_person_or_an_integration(migrated: Path):
    neither = inset(migrated, "token", "create", "--scope", "read")
    unknown = inset(migrated, "token", "create", "--integration", "nonsense", "--scope", "read")

    assert neither.returncode != 0
    assert "--email" in neither.stderr
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "inset: 'nonsense' is not an integration's id"
