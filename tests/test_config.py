"""Settings are checked before any command runs: a bad one is one line and exit code 2."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from inset.cli import build_parser
from inset.config import ConfigError, Settings

# Every command with arguments it accepts, so that only the setting can be at fault.
COMMANDS = {
    "serve": ["serve", "--port", "1"],
    "db upgrade": ["db", "upgrade"],
    "db check": ["db", "check"],
    "worker": ["worker", "--until-idle"],
    "backup": ["backup", "--out", "backup.inset"],
    "restore": ["restore", "backup.inset"],
    "seed": ["seed"],
    "org create": ["org", "create", "--name", "N", "--kind", "CHARITY"],
    "account create": [
        "account",
        "create",
        "--email",
        "a@b.example",
        "--name",
        "A",
        "--org",
        "N",
        "--role",
        "LEAD",
    ],
    "token create": ["token", "create", "--email", "a@b.example", "--scope", "read"],
    "integration create": ["integration", "create", "--org", "N", "--name", "Sync"],
    "export-schema": ["export-schema"],
    "generate": ["generate", "--projects", "1"],
    "export": ["export", "portfolio", "--format", "csv"],
    "notify send-digests": ["notify", "send-digests"],
    "digest": ["digest", "--year", "2026", "--format", "html", "--out", "digest.html"],
}


def leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= leaf_commands(sub, f"{prefix} {name}".strip())
    return found or {prefix}


def run(tmp_path: Path, argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "INSET_DATABASE_URL": f"sqlite:///{tmp_path / 'inset.db'}",
        "INSET_SECRET_FILE": str(tmp_path / "secret"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "inset", *argv],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )


def test_the_table_of_commands_names_every_command():
    assert set(COMMANDS) == leaf_commands(build_parser())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_an_optimism_bias_that_is_not_numbers(tmp_path, command):
    result = run(tmp_path, COMMANDS[command], INSET_OPTIMISM_BIAS="0,5,ten,15,25,40")

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "inset: INSET_OPTIMISM_BIAS must be six numbers such as 0,5,10,15,25,40, "
        "not '0,5,ten,15,25,40'"
    ]
    assert not (tmp_path / "inset.db").exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0,5,10,15,25", "needs six percentages for grades 1 to 6, separated by commas, not 5"),
        ("0;5;10;15;25;40", "needs six percentages for grades 1 to 6, separated by commas, not 1"),
        ("0,5,10,15,25,201", "percentages must be from 0 to 200"),
        ("0,5,10,15,-1,40", "percentages must be from 0 to 200"),
        ("0,5,10,15,25,nan", "percentages must be from 0 to 200"),
        ("0,5,10,15,25,40.005", "at most two decimal places"),
    ],
)
def test_a_bad_optimism_bias_is_one_line_naming_what_is_wrong(tmp_path, value, reason):
    result = run(tmp_path, ["db", "upgrade"], INSET_OPTIMISM_BIAS=value)

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "inset.db").exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "INSET_DATABASE_URL is not a database URL"),
        ("mysql://root:hunter2@db/inset", "must be a SQLite or PostgreSQL URL, not mysql://"),
        ("postgresql+asyncpg://u@h/db", "uses the driver 'postgresql+asyncpg'"),
        ("postgresql://u:hunter2@h", "names no database"),
        ("sqlite:///no/such/folder/inset.db", "no/such/folder/, which does not exist"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "db upgrade", "export"])
def test_a_bad_database_url_is_one_line_without_its_password(tmp_path, url, reason, command):
    result = run(tmp_path, COMMANDS[command], INSET_DATABASE_URL=url)

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert reason in result.stderr
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bias_of_up_to_two_hundred_percent_is_accepted(monkeypatch, tmp_path):
    monkeypatch.setenv("INSET_OPTIMISM_BIAS", " 0, 5.5, 10, 50, 150, 200 ")
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))

    settings = Settings.from_env()

    assert settings.optimism_bias == tuple(
        Decimal(p) for p in ("0", "0.055", "0.10", "0.50", "1.50", "2.00")
    )


def test_the_settings_refuse_a_bad_url_before_anything_connects(monkeypatch, tmp_path):
    monkeypatch.setenv("INSET_DATABASE_URL", "oracle://scott@db/orcl")
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))

    with pytest.raises(ConfigError, match="not oracle://"):
        Settings.from_env()


def test_no_gate_requires_a_review_panel_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("INSET_REVIEW_REQUIRED_GATES", raising=False)
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))

    assert Settings.from_env().review_required_gates == frozenset()


def test_review_required_gates_are_named_by_the_stage_they_lead_out_of(monkeypatch, tmp_path):
    monkeypatch.setenv("INSET_REVIEW_REQUIRED_GATES", " evaluation, PILOT ")
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))

    assert Settings.from_env().review_required_gates == {"EVALUATION", "PILOT"}


def test_a_review_gate_with_no_gate_after_it_is_one_line_naming_the_setting(tmp_path):
    result = run(tmp_path, ["db", "upgrade"], INSET_REVIEW_REQUIRED_GATES="EVALUATION,SCALE")

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "INSET_REVIEW_REQUIRED_GATES" in result.stderr
    assert "not SCALE" in result.stderr
    assert not (tmp_path / "inset.db").exists()


def test_the_rate_limit_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("INSET_RATE_LIMIT_BUCKET", "500")
    monkeypatch.setenv("INSET_RATE_LIMIT_REFILL", "2.5")
    settings = Settings.from_env()
    assert (settings.rate_limit_bucket, settings.rate_limit_refill) == (500, 2.5)


def test_without_settings_the_rate_limit_is_the_documented_default(monkeypatch, tmp_path):
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.delenv("INSET_RATE_LIMIT_BUCKET", raising=False)
    monkeypatch.delenv("INSET_RATE_LIMIT_REFILL", raising=False)
    settings = Settings.from_env()
    assert (settings.rate_limit_bucket, settings.rate_limit_refill) == (100_000, 10_000)


@pytest.mark.parametrize(
    ("bucket", "refill", "reason"),
    [
        ("many", "10", "INSET_RATE_LIMIT_BUCKET must be a number of points, not 'many'"),
        ("-5", "10", "INSET_RATE_LIMIT_BUCKET must be 0 or more"),
        ("10.5", "10", "INSET_RATE_LIMIT_BUCKET must be whole points"),
        ("100", "nan", "INSET_RATE_LIMIT_REFILL must be 0 or more"),
        ("100", "0", "INSET_RATE_LIMIT_REFILL must be more than 0 with a bucket"),
    ],
)
def test_a_bad_rate_limit_is_refused_naming_the_variable(
    monkeypatch, tmp_path, bucket, refill, reason
):
    monkeypatch.setenv("INSET_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("INSET_RATE_LIMIT_BUCKET", bucket)
    monkeypatch.setenv("INSET_RATE_LIMIT_REFILL", refill)
    with pytest.raises(ConfigError, match=re.escape(reason)):
        Settings.from_env()
