"""The README's sync job (docs/sync_job.py), run with the `gql` client against a real
`inset serve`, with an integration's token made by the command line: it pages, upserts by
its own keys, corrects a cost, survives a CONFLICT and converges after losing its state."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

UPDATE_COST = """
mutation($input: UpdateCostInput!) { updateCost(input: $input) { userErrors { code } } }
"""


def sync_job() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sync_job", ROOT / "docs" / "sync_job.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sync_job"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "inset", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**os.environ, "INSET_DATABASE_URL": db_url, "INSET_SECRET_FILE": str(tmp_path / "s")}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "inset", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("inset serve did not start")
                time.sleep(0.2)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_the_sync_job_upserts_by_its_own_keys_and_converges(
    served: tuple[str, dict[str, str]],
) -> None:
    base, env = served
    org = cli(
        env, "org", "create", "--name", "Northmoor Borough Council", "--kind", "LOCAL_AUTHORITY"
    )
    cli(env, "account", "create", "--email", "lead@northmoor.example", "--name", "Lee",
        "--org", org, "--role", "LEAD")  # fmt: skip
    person = cli(
        env, "token", "create", "--email", "lead@northmoor.example", "--scope", "read_write"
    )
    integration = cli(env, "integration", "create", "--org", org, "--name", "Case system sync")
    token = cli(env, "token", "create", "--integration", integration, "--scope", "read_write")
    module = sync_job()
    projects = {"N-1": ("Family time", "Evening visits."), "N-2": ("Kinship care", "Support.")}
    costs: dict[str, tuple[str, str, str]] = {
        "C-1": ("N-1", "Support workers", "40000.00"),
        "C-2": ("N-1", "Training", "2500.00"),
        "C-3": ("N-2", "Licences", "1200.00"),
    }

    def job(**changes: Any) -> Any:
        return module.SyncJob(
            url=f"{base}/graphql",
            token=token,
            organisation_id=org,
            projects=projects,
            costs={**costs, **changes},
            page_size=1,  # two projects: two pages
        )

    # the first run creates everything
    first = job().run()
    assert (first.created, first.corrected, first.unchanged) == (3, 0, 0)

    # a run with a changed amount corrects that cost only, reading both pages
    second = job(**{"C-1": ("N-1", "Support workers", "42000.00")})
    assert second.run() == module.Stats(created=0, corrected=1, unchanged=2, conflicts=0)
    assert set(second.found_projects) == {"N-1", "N-2"}

    # someone corrects a cost between the job's read and its write: CONFLICT, read, retry
    third = job(
        **{"C-1": ("N-1", "Support workers", "42000.00"), "C-2": ("N-1", "Training", "3000.00")}
    )
    third.read()
    changed = httpx.post(
        f"{base}/graphql",
        json={
            "query": UPDATE_COST,
            "variables": {
                "input": {
                    "id": third.found_costs["C-2"]["id"],
                    "expectedVersion": third.found_costs["C-2"]["version"],
                    "description": "Training (corrected by hand)",
                }
            },
        },
        headers={"Authorization": f"Bearer {person}"},
    )
    assert changed.json()["data"]["updateCost"]["userErrors"] == []
    third.push()
    assert third.stats == module.Stats(created=0, corrected=1, unchanged=2, conflicts=1)

    # a job that lost all it knew (no read at all) converges through DUPLICATE's existingId
    amnesiac = job(
        **{"C-1": ("N-1", "Support workers", "42000.00"), "C-2": ("N-1", "Training", "3000.00")}
    )
    amnesiac.push()
    assert amnesiac.stats == module.Stats(created=0, corrected=0, unchanged=3, conflicts=0)
