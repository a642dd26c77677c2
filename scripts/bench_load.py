"""The benchmark's client side: bounded loops of requests to 127.0.0.1 and what they measured.

Sequential loops run on one keep-alive connection, one request at a time, so a request's
time is the server's time plus the loopback. Sides measured against each other run in
alternate rounds (A then B, then B then A, ...), each round bounded by a count of requests
and by a time, so that a slow side cannot starve the other and a drift of the machine
(another process waking up) falls on both.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
Send = Callable[[httpx.Client], None]


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return round(statistics.median(self.seconds) * 1000, 2)

    @property
    def p99_ms(self) -> float:
        """The 99th percentile (nearest rank): the slowest request of a hundred."""
        ordered = sorted(self.seconds)
        rank = max(0, -(-99 * len(ordered) // 100) - 1)
        return round(ordered[rank] * 1000, 2)

    @property
    def per_second(self) -> float:
        return round(len(self.seconds) / sum(self.seconds), 2)


def alternate(
    sides: dict[str, Send], *, rounds: int, requests: int, seconds: float, warm: int = 3
) -> dict[str, Timing]:
    """Per side: each request's time over `rounds` rounds of at most `requests` requests
    or `seconds` seconds each."""
    timings = {name: Timing() for name in sides}
    order = list(sides)
    with httpx.Client(timeout=120) as client:
        for send in sides.values():
            for _ in range(warm):  # connections, caches, the first compilations
                send(client)
        for _ in range(rounds):
            for name in order:
                deadline = time.perf_counter() + seconds
                for _ in range(requests):
                    start = time.perf_counter()
                    sides[name](client)
                    end = time.perf_counter()
                    timings[name].seconds.append(end - start)
                    if end > deadline:
                        break
            order.reverse()
    return timings


def concurrent(send: Callable[[httpx.AsyncClient], Any], *, clients: int, seconds: float) -> float:
    """Requests per second that `clients` clients, each one request at a time, complete in
    `seconds` (after half as long, at most 2 seconds, to warm up)."""

    async def run() -> float:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(timeout=120, limits=limits) as client:

            async def loop(until: float, done: list[int]) -> None:
                while time.perf_counter() < until:
                    await send(client)
                    done.append(1)

            async def rate(seconds: float) -> float:
                done: list[int] = []
                start = time.perf_counter()
                await asyncio.gather(*(loop(start + seconds, done) for _ in range(clients)))
                return len(done) / (time.perf_counter() - start)

            await rate(min(seconds / 2, 2.0))  # connections opened, every worker warm
            return round(await rate(seconds), 2)

    return asyncio.run(run())


class Server:
    """scripts/bench_server.py in a subprocess on `port`, serving the database at `url`."""

    def __init__(self, url: str, port: int, workers: int = 1) -> None:
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "INSET_DATABASE_URL": url,
            "INSET_SECRET_KEY": "benchmark",
            # Never throttled, however many clients; each request still pays its charge.
            "INSET_RATE_LIMIT_BUCKET": str(10**12),
            "INSET_RATE_LIMIT_REFILL": str(10**12),
            "PYTHONPATH": f"{ROOT / 'scripts'}:{ROOT}",
        }
        # The server's own complaints, kept to say why it did not start.
        self.log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "bench_server.py"), str(port), str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,  # the request log, a line a request
            stderr=self.log,
        )
        deadline = time.monotonic() + 180  # two workers on a busy machine: slow
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"the benchmark server stopped: exit {self.process.returncode}\n{self._log()}"
                )
            try:
                r = httpx.get(f"{self.base}/floor/ready", timeout=5)
                if r.status_code == 200:
                    return
                last = f"{r.status_code} {r.text[:300]}"
            except httpx.HTTPError as error:
                last = repr(error)
            time.sleep(0.3)
        self.stop()
        raise SystemExit(
            f"the benchmark server did not start within three minutes: {last}\n{self._log()}"
        )

    def _log(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def resident_mb(self) -> float:
        """The server process's resident set (VmRSS), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return round(kb / 1024, 1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Post:
    """A GraphQL request, checked; calling it returns the body."""

    def __init__(self, server: Server, payload: dict[str, Any], token: str | None = None) -> None:
        self.url, self.payload = f"{server.base}/graphql", payload
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __call__(self, client: httpx.Client) -> Any:
        r = client.post(self.url, json=self.payload, headers=self.headers)
        body = r.json()
        if r.status_code != 200 or "errors" in body:
            raise SystemExit(f"graphql failed: {r.text[:500]}")
        return body

    async def send(self, client: httpx.AsyncClient) -> None:
        r = await client.post(self.url, json=self.payload, headers=self.headers)
        if r.status_code != 200 or b'"errors":' in r.content:
            raise SystemExit(f"graphql failed: {r.text[:500]}")


class Get:
    """A floor's request, checked; calling it returns the body."""

    def __init__(self, server: Server, path: str) -> None:
        self.url = f"{server.base}{path}"

    def __call__(self, client: httpx.Client) -> Any:
        r = client.get(self.url)
        if r.status_code != 200:
            raise SystemExit(f"floor failed: {r.text[:500]}")
        return r.json()

    async def send(self, client: httpx.AsyncClient) -> None:
        r = await client.get(self.url)
        if r.status_code != 200:
            raise SystemExit(f"floor failed: {r.text[:500]}")


class Rotation:
    """Requests taken in turn, one at each call (or send)."""

    def __init__(self, requests: Sequence[Post | Get]) -> None:
        self.requests = requests
        self._next: Iterator[Post | Get] = itertools.cycle(requests)

    def __call__(self, client: httpx.Client) -> Any:
        return next(self._next)(client)

    async def send(self, client: httpx.AsyncClient) -> None:
        await next(self._next).send(client)


def data(send: Callable[[httpx.Client], Any]) -> Any:
    """The body of one request, without the request id a GraphQL response carries."""
    with httpx.Client(timeout=120) as client:
        body = send(client)
    body.pop("extensions", None)
    return body


def same(what: str, graphql: Any, floor: Callable[[httpx.Client], Any]) -> None:
    """Stops the benchmark, showing where, unless the floor returns `graphql` exactly."""
    with httpx.Client(timeout=120) as client:
        expected = floor(client)
    if graphql != expected:
        mine, theirs = json.dumps(graphql, sort_keys=True), json.dumps(expected, sort_keys=True)
        at = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), 0)
        raise SystemExit(
            f"{what}: the query and its floor differ near ...{mine[max(0, at - 200) : at + 200]}"
            f"\n  floor: ...{theirs[max(0, at - 200) : at + 200]}"
        )
    print(f"checked: {what} returns the same data as its floor", file=sys.stderr, flush=True)
