"""End to end, on the wire: an empty database set up only with the command line, a real
`inset serve`, and a partner's script doing a project's whole life over GraphQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from inset.migrate import head_revision

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def service_env(tmp_path: Path, db_url: str) -> dict[str, str]:
    """The test's own empty database (SQLite file or PostgreSQL), migrated by the CLI."""
    from inset.db import create_db_engine

    # The fixture database is already migrated; start from nothing to prove the CLI alone works.
    engine = create_db_engine(db_url)
    with engine.begin() as conn:
        from sqlmodel import SQLModel

        SQLModel.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        if conn.dialect.name == "sqlite":  # the search index (migration 0002) is no model
            conn.exec_driver_sql("DROP TABLE IF EXISTS lesson_search")
    engine.dispose()
    return {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_FILE": str(tmp_path / "secret"),
    }


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "inset", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_partner_runs_a_project_through_its_whole_life_over_the_wire(service_env, tmp_path):
    env = service_env
    assert cli(env, "db", "upgrade") == head_revision(env["INSET_DATABASE_URL"])
    council = cli(
        env,
        "org",
        "create",
        "--name",
        "Northmoor Borough Council",
        "--kind",
        "LOCAL_AUTHORITY",
        "--region",
        "North West",
    )
    cli(
        env,
        "org",
        "create",
        "--name",
        "Safe Harbour Trust",
        "--kind",
        "CHARITY",
        "--region",
        "North West",
    )
    cli(
        env,
        "org",
        "create",
        "--name",
        "Westfield County Council",
        "--kind",
        "LOCAL_AUTHORITY",
        "--region",
        "South West",
    )
    cli(env, "org", "create", "--name", "Inset Incubator", "--kind", "OTHER")
    people = {
        "lead": ("lead@northmoor.example", council, "LEAD"),
        "member": ("member@northmoor.example", "Northmoor Borough Council", "MEMBER"),
        "partner_lead": ("lead@safeharbour.example", "Safe Harbour Trust", "LEAD"),
        "outsider": ("lead@westfield.example", "Westfield County Council", "LEAD"),
        "staff": ("staff@inset.example", "Inset Incubator", "STAFF"),
    }
    tokens = {}
    for role, (email, org, account_role) in people.items():
        cli(
            env,
            "account",
            "create",
            "--email",
            email,
            "--name",
            role.title(),
            "--org",
            org,
            "--role",
            account_role,
        )
        tokens[role] = cli(env, "token", "create", "--email", email, "--scope", "read_write")
    tokens_file = tmp_path / "tokens.json"
    tokens_file.write_text(json.dumps(tokens))

    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "inset", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/graphql", params={"query": "{ themes { id } }"}, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("inset serve did not start")
                time.sleep(0.2)

        walk = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "walkthrough.py"), base, str(tokens_file)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()

    server_log = (tmp_path / "serve.log").read_text()
    assert walk.returncode == 0, walk.stdout + walk.stderr + server_log
    assert "walkthrough complete" in walk.stdout
    assert "outsider does not see the PRIVATE project" in walk.stdout
