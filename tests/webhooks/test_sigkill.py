"""A live `inset serve` killed with SIGKILL in the middle of a burst of changes loses no
event: after a restart, every event reaches the receiver, none out of order per project."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from conftest import World

from inset.ids import to_global_id
from inset.projects.models import Project
from tests.webhooks.helpers import endpoint, event_ids, eventually
from tests.webhooks.receiver import in_feed_order, receiving

CHANGES = 1000
PROJECTS = 5
CLIENTS = 4
KILL_AFTER = 300  # changes answered before the server is killed

RECORD_COST = """
mutation ($input: RecordCostInput!) { recordCost(input: $input) { userErrors { code } } }
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _server(db_url: str, port: int, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_KEY": "test-secret-key",
        "INSET_WEBHOOK_ALLOW_LOOPBACK": "1",
        "INSET_WEBHOOK_TIMEOUT_SECONDS": "2",
        "INSET_WEBHOOK_RETRY_SCHEDULE": ",".join(["0.2"] * 50),
    }
    log = (tmp_path / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "inset", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=log,
    )
    try:
        eventually(lambda: _answers(port))
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        log.close()


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/graphql?query={{__typename}}").is_success
    except httpx.TransportError:
        return False


def test_a_server_killed_mid_burst_delivers_every_event_after_restart(
    world: World, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSET_WEBHOOK_ALLOW_LOOPBACK", "1")
    lead = world.lead()
    token = world.token(lead)
    port = _free_port()
    answered = threading.Semaphore(0)
    killed = threading.Event()
    failures: list[BaseException] = []
    made: list[Project] = []

    def burst(client_number: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for n in range(client_number, CHANGES, CLIENTS):
                project = made[n % PROJECTS]
                variables = {
                    "input": {
                        "projectId": to_global_id("Project", project.id or 0),
                        "category": "STAFF",
                        "description": f"Change {n}",
                        "amount": {"amount": "10.00"},
                        "confidence": 2,
                    }
                }
                while True:  # as a partner's sync job would: try again while the server is down
                    try:
                        response = client.post(
                            "/graphql",
                            json={"query": RECORD_COST, "variables": variables},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                    except httpx.TransportError:
                        threading.Event().wait(0.1)
                        continue
                    if response.status_code != 200:
                        failures.append(AssertionError(response.text))
                        return
                    answered.release()
                    break

    with receiving() as receiver:
        receiver.secret = endpoint(world, lead, receiver.url).secret
        made.extend(world.project(lead) for _ in range(PROJECTS))
        clients = [threading.Thread(target=burst, args=(c,)) for c in range(CLIENTS)]
        with _server(db_url, port, tmp_path) as first:
            for thread in clients:
                thread.start()
            for _ in range(KILL_AFTER):
                answered.acquire()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
            killed.set()
        delivered_before_restart = len(set(receiver.ids()))
        with _server(db_url, port, tmp_path):
            for thread in clients:
                thread.join()
            every = event_ids(world.engine)
            eventually(lambda: set(receiver.ids()) >= set(every), within=600)

        assert failures == [], (tmp_path / "server.log").read_text()[-3000:]
        assert killed.is_set()
        assert 0 < delivered_before_restart < len(every)
        assert len(every) >= CHANGES + PROJECTS
        assert receiver.bad_signatures == []
        for project in made:
            arrived = receiver.by_project()[to_global_id("Project", project.id or 0)]
            first_arrivals = list(dict.fromkeys(arrived))
            assert first_arrivals == event_ids(world.engine, project.id)
            assert in_feed_order(first_arrivals)
