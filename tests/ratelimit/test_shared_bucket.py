"""Two `inset serve` processes on one PostgreSQL database charge one bucket per
credential: concurrent requests through both pay exactly what the bucket holds."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import World, is_postgres

pytestmark = pytest.mark.skipif(
    not is_postgres(),
    reason="processes share a bucket only through PostgreSQL: "
    "set INSET_TEST_DATABASE_URL=postgresql://... to run this test",
)

BUCKET = 100
EACH = 60  # requests sent through each process, all at once: 120 of cost 1


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
def servers(db_url: str, tmp_path: Path) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": db_url,
        "INSET_SECRET_KEY": "one key for every process",
        "INSET_RATE_LIMIT_BUCKET": str(BUCKET),
        # So slow that nothing leaks back while the test runs: 120 requests, 100 paid.
        "INSET_RATE_LIMIT_REFILL": "0.000001",
    }
    started = [_start(env, tmp_path / f"{name}.log") for name in ("a", "b")]
    try:
        yield [base for _, base in started]
    finally:
        for server, _ in started:
            server.terminate()
        for server, _ in started:
            server.wait(timeout=30)


async def _hammer(bases: list[str], token: str) -> list[httpx.Response]:
    headers = {"authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=2 * EACH)
    async with httpx.AsyncClient(timeout=60, headers=headers, limits=limits) as client:
        requests = [
            client.post(f"{base}/graphql", json={"query": "{ rateLimit { used } }"})
            for base in bases
            for _ in range(EACH)
        ]
        return await asyncio.gather(*requests)


def test_concurrent_requests_through_two_processes_pay_one_bucket_exactly(
    world: World, servers: list[str]
) -> None:
    token = world.token(world.lead())
    responses = asyncio.run(_hammer(servers, token))

    assert Counter(r.status_code for r in responses) == {200: BUCKET, 429: 2 * EACH - BUCKET}
    paid = sorted(r.json()["data"]["rateLimit"]["used"] for r in responses if r.status_code == 200)
    # Each paid request saw the bucket one fuller than the one before: no two read the
    # same level, as a read-then-write would let them.
    assert paid == list(range(1, BUCKET + 1))
    refused = [r for r in responses if r.status_code == 429]
    assert all(r.json()["errors"][0]["extensions"]["code"] == "THROTTLED" for r in refused)
    assert all(r.headers["x-ratelimit-remaining"] == "0" for r in refused)
