"""The README's sync job (docs/sync_job.py), run with the `gql` client against a real
`inset serve`, with an integration's token made by the command line: it pages, upserts by
its own keys, corrects a cost, survives a CONFLICT, waits out THROTTLED and converges after
losing its state."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

QUERY_COUNTS = "{ projects(first: 5) { totalCount nodes { costs(first: 1) { totalCount } } } }"
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


@contextmanager
def serving(db_url: str, tmp_path: Path, **settings: str) -> Iterator[tuple[str, dict[str, str]]]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_FILE": str(tmp_path / "s"),
        **settings,
    }
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


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with serving(db_url, tmp_path) as running:
        yield running


def integration_token(env: dict[str, str]) -> tuple[str, str, str]:
    """The organisation, a person's token and the sync job's integration token."""
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
    return org, person, token


def test_the_sync_job_upserts_by_its_own_keys_and_converges(
    served: tuple[str, dict[str, str]],
) -> None:
    base, env = served
    org, person, token = integration_token(env)
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


def test_the_sync_job_waits_out_the_rate_limit(db_url: str, tmp_path: Path) -> None:
    """A bucket of 110 points refilled at 40 a second: a page of projects with their costs
    costs 101 points (1 project + 100 costs), so the creation that follows it is refused
    (THROTTLED, HTTP 429); the job waits the Retry-After seconds and carries on, and every
    record arrives once."""
    with serving(db_url, tmp_path, INSET_RATE_LIMIT_BUCKET="110", INSET_RATE_LIMIT_REFILL="40") as (
        base,
        env,
    ):
        org, person, token = integration_token(env)
        module = sync_job()
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            time.sleep(seconds)

        job = module.SyncJob(
            url=f"{base}/graphql",
            token=token,
            organisation_id=org,
            projects={"N-1": ("Family time", "Evening visits."), "N-2": ("Kinship", "Support.")},
            costs={"C-1": ("N-1", "Support workers", "40000.00")},
            page_size=1,
            sleep=sleep,
        )
        stats = job.run()
        assert (stats.created, stats.corrected, stats.unchanged) == (1, 0, 0)
        assert stats.throttled == len(slept) >= 1
        assert all(seconds >= 1 for seconds in slept)  # Retry-After, in whole seconds

        # run again, throttled or not: nothing is created twice
        again = module.SyncJob(
            url=f"{base}/graphql",
            token=token,
            organisation_id=org,
            projects=job.projects,
            costs=job.costs,
            page_size=1,
        ).run()
        assert (again.created, again.corrected, again.unchanged) == (0, 0, 1)
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": QUERY_COUNTS},
            headers={"Authorization": f"Bearer {person}"},  # a bucket of its own
        )
        projects = answer.json()["data"]["projects"]
        assert projects["totalCount"] == 2
        assert sorted(p["costs"]["totalCount"] for p in projects["nodes"]) == [0, 1]
