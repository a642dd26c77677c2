"""The command line goes through the same guard: one line on stderr, a non-zero exit, and
nothing stored. Runs on the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.accounts.models import Account, ApiToken
from inset.organisations.models import Organisation


def inset(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_FILE": str(tmp_path / "secret"),
    }
    return subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def rows(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.fixture
def with_account(db_url: str, tmp_path: Path) -> str:
    """An organisation and a lead account made through the command line; their email."""
    org = inset(db_url, tmp_path, "org", "create", "--name", "Northmoor", "--kind", "CHARITY")
    assert org.returncode == 0, org.stderr
    account = inset(
        db_url, tmp_path, "account", "create", "--email", "lead@northmoor.example",
        "--name", "Lee Lead", "--org", "Northmoor", "--role", "LEAD",
    )  # fmt: skip
    assert account.returncode == 0, account.stderr
    return "lead@northmoor.example"


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["org", "create", "--name", "Call 07700 900123", "--kind", "CHARITY"], "phone number"),
        (
            ["org", "create", "--name", "Hillside", "--kind", "CHARITY", "--region", "LS1 4AB"],
            "postcode",
        ),
        (
            ["org", "create", "--name", "jo (at) example (dot) org", "--kind", "CHARITY"],
            "email address",
        ),
    ],
)
def test_an_organisation_with_personal_data_is_refused_in_one_line(
    db_url: str, tmp_path: Path, engine: Engine, args: list[str], kind: str
) -> None:
    result = inset(db_url, tmp_path, *args)

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "PERSONAL_DATA" not in line  # a sentence for people, not a code
    assert kind in line
    assert rows(engine, Organisation) == 0


def test_an_account_name_with_a_national_insurance_number_is_refused(
    db_url: str, tmp_path: Path, engine: Engine, with_account: str
) -> None:
    result = inset(
        db_url, tmp_path, "account", "create", "--email", "new@northmoor.example",
        "--name", "Jo AB-12-34-56-C", "--org", "Northmoor", "--role", "MEMBER",
    )  # fmt: skip

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "name looks like it contains a National Insurance number" in line
    assert rows(engine, Account) == 1


def test_a_token_name_with_an_nhs_number_is_refused(
    db_url: str, tmp_path: Path, engine: Engine, with_account: str
) -> None:
    result = inset(
        db_url, tmp_path, "token", "create", "--email", with_account,
        "--scope", "read", "--name", "for 943\u00a0476\u00a05919",
    )  # fmt: skip

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "NHS number" in line
    assert result.stdout == ""  # no secret was shown
    assert rows(engine, ApiToken) == 0
