"""Two `inset serve` processes on one PostgreSQL database share nothing but the database,
and a client that alternates between them cannot tell them apart: sessions, sign-in
throttling and idempotency keys hold across both, and either reports the metrics of both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import World, is_postgres
from prometheus_client.parser import text_string_to_metric_families

from inset.accounts.models import Role
from inset.ids import to_global_id

pytestmark = pytest.mark.skipif(
    not is_postgres(),
    reason="several processes share state only through PostgreSQL: "
    "set INSET_TEST_DATABASE_URL=postgresql://... to run this test",
)

PASSWORD = "two processes, one database"
SIGN_IN = """mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) {
    account { name } userErrors { message } } }"""
SIGN_OUT = "mutation SignOut { signOut { signedOut } }"
VIEWER = "query Viewer { viewer { name } }"
CREATE_PROJECT = """mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) { project { id title } userErrors { code message } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "inset", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail(f"inset serve did not start:\n{log.read_text()}")
        time.sleep(0.2)


@pytest.fixture
def servers(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two servers, A and B, each its own process with its own pool, on the test database."""
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_KEY": "one key for every process",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
    started = [_start(env, tmp_path / f"{name}.log") for name in ("a", "b")]
    try:
        yield started[0][1], started[1][1]
    finally:
        for server, _ in started:
            server.terminate()
        for server, _ in started:
            server.wait(timeout=30)


def gql(client: httpx.Client, base: str, query: str, **variables: object) -> dict:
    response = client.post(f"{base}/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_a_session_made_on_one_process_is_used_and_ended_on_the_other(world: World, servers):
    a, b = servers
    account = world.account(world.org(), Role.LEAD, password=PASSWORD)
    with httpx.Client(timeout=30) as client:  # cookies are per host, not per port
        signed = gql(client, a, SIGN_IN, email=account.email, password=PASSWORD)
        on_b = gql(client, b, VIEWER)
        gql(client, b, SIGN_OUT)
        on_a = gql(client, a, VIEWER)

    assert signed["signIn"]["account"]["name"] == account.name
    assert on_b["viewer"] == {"name": account.name}
    assert on_a["viewer"] is None


def test_failed_sign_ins_are_counted_across_both_processes(world: World, servers):
    a, b = servers
    account = world.account(world.org(), Role.LEAD, password=PASSWORD)
    with httpx.Client(timeout=30) as client:
        for base in (a, b, a, b, a):
            gql(client, base, SIGN_IN, email=account.email, password="a wrong guess")
        blocked = gql(client, b, SIGN_IN, email=account.email, password=PASSWORD)

    assert blocked["signIn"]["account"] is None
    assert blocked["signIn"]["userErrors"][0]["message"].startswith("Too many failed attempts")


def test_an_idempotency_key_replays_on_the_other_process(world: World, servers):
    a, b = servers
    org = world.org()
    account = world.account(org, Role.LEAD, password=PASSWORD)
    project = {
        "title": "Family group conferences at the front door",
        "summary": "Families meet before any plan is made.",
        "innovationType": "PRACTICE",
        "leadOrganisationId": to_global_id("Organisation", org.id),
        "idempotencyKey": "create-fgc-2026-12",
    }
    with httpx.Client(timeout=30) as client:
        gql(client, a, SIGN_IN, email=account.email, password=PASSWORD)
        first = gql(client, a, CREATE_PROJECT, input=project)["createProject"]
        again = gql(client, b, CREATE_PROJECT, input=project)["createProject"]
        other = gql(client, b, CREATE_PROJECT, input={**project, "title": "Another title"})

    assert first["userErrors"] == []
    assert again == first
    assert [e["code"] for e in other["createProject"]["userErrors"]] == ["DUPLICATE"]


def test_either_process_reports_the_requests_of_both(servers):
    a, b = servers
    with httpx.Client(timeout=30) as client:
        for base in (a, b, b):
            gql(client, base, "query CountedAcross { themes { id } }")
        scrape = client.get(f"{a}/metrics")

    assert scrape.status_code == 200
    counted = {
        (s.labels.get("operation"), s.labels.get("outcome")): s.value
        for family in text_string_to_metric_families(scrape.text)
        for s in family.samples
        if s.name == "inset_graphql_requests_total"
    }
    assert counted[("CountedAcross", "ok")] == 3
