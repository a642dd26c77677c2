"""Throughput of one and of two `inset serve` processes on one PostgreSQL database.

    scripts/load [--projects 2000] [--clients 16] [--seconds 15] [--rounds 2]

Makes its own database `inset_load` beside `INSET_BENCH_POSTGRES` (default
postgresql://postgres@127.0.0.1:5432/test), fills it with `inset generate`, and gives a
member organisation's account a read token. Then, for one process and for two
(each its own `inset serve`, sharing nothing but the database), it sends the web client's
project list (a page of 20 with organisation, partners and themes) from `--clients`
concurrent clients, each one request at a time, the requests dealt to the processes in
turn as a load balancer would. One and two processes take turns for `--rounds` rounds,
so that a drift of a shared machine falls on both. It prints a JSON line per count of
processes (the mean of its rounds, and each round) and the ratio. The database is dropped
at the end.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from bench_load import concurrent

from inset.db import normalise_url

ROOT = Path(__file__).resolve().parent.parent
NAME = "inset_load"
PAGE = """query Projects($first: Int!) {
  projects(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id title stage status evidenceLevel daysInStage updatedAt
      leadOrganisation { id name }
      partners { id }
      themes { id name }
    }
  }
}"""


def inset(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "inset", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"inset {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "inset", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,  # the request log: a line a request
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("inset serve did not get ready within a minute")


def throughput(env: dict[str, str], processes: int, token: str, args: Any) -> float:
    started = [start(env) for _ in range(processes)]
    try:
        targets = itertools.cycle([f"{base}/graphql" for _, base in started])
        body = {"query": PAGE, "variables": {"first": 20}}
        headers = {"Authorization": f"Bearer {token}"}

        async def send(client: httpx.AsyncClient) -> None:
            response = await client.post(next(targets), json=body, headers=headers)
            if response.status_code != 200 or "errors" in response.json():
                raise SystemExit(f"the page failed: {response.text[:300]}")

        return concurrent(send, clients=args.clients, seconds=args.seconds)
    finally:
        for server, _ in started:
            server.terminate()
        for server, _ in started:
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    server = os.environ.get("INSET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
    admin = sa.create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    url = sa.make_url(normalise_url(server)).set(database=NAME)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{NAME}"')
    env = {
        **os.environ,
        "INSET_DATABASE_URL": url.render_as_string(hide_password=False),
        "INSET_SECRET_KEY": "load test",
    }
    try:
        inset(env, "db", "upgrade")
        inset(env, "generate", "--projects", str(args.projects), "--themes", "seeds/themes.json")
        org = inset(
            env, "org", "create", "--name", "Load Test Council", "--kind", "LOCAL_AUTHORITY"
        )
        inset(env, "account", "create", "--email", "member@load.example", "--name", "Load",
              "--org", org, "--role", "MEMBER")  # fmt: skip
        token = inset(env, "token", "create", "--email", "member@load.example", "--scope", "read")
        rates: dict[int, list[float]] = {1: [], 2: []}
        for turn in range(args.rounds):
            for processes in (1, 2) if turn % 2 == 0 else (2, 1):
                rates[processes].append(throughput(env, processes, token, args))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        admin.dispose()
    mean = {n: round(sum(each) / len(each), 1) for n, each in rates.items()}
    for processes, rate in mean.items():
        figure = {"processes": processes, "clients": args.clients, "requests_per_second": rate}
        print(json.dumps({"figure": "project page", **figure, "rounds": rates[processes]}))
    print(json.dumps({"figure": "two processes over one", "ratio": round(mean[2] / mean[1], 2)}))


if __name__ == "__main__":
    main()
