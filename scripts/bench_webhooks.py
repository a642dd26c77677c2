"""Webhook figures: throughput of one worker, commit-to-delivery latency, mutation cost.

    .venv/bin/python scripts/bench_webhooks.py [--events 2000] [--databases sqlite,postgresql]

On a new SQLite file (and PostgreSQL at INSET_BENCH_POSTGRES, default
postgresql://postgres@127.0.0.1:5432/test, in a database of its own, inset_bench_webhooks,
created and dropped here), with a receiver on 127.0.0.1 that answers 204, it prints one
JSON line per figure:

- throughput: events delivered per second by one worker draining a backlog of --events
  events of 20 projects (each request waits for the answer before the next of its
  project; up to 20 a project are taken at once);
- latency_in_process: commit-to-delivery latency, median and p99, of changes made one at a
  time while a worker runs in the same process (as in `inset serve`: woken at commit);
- latency_worker_process: the same with `inset worker` in its own process (it polls);
- mutation_ms: median and p99 latency of `recordCost` over HTTP against `inset serve`
  (with its in-process worker) with no endpoint, one, and ten, all receiving.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from inset.access import Actor
from inset.accounts import service as accounts
from inset.accounts.models import Role, TokenScope
from inset.db import create_db_engine, normalise_url, transaction
from inset.economics import service as economics
from inset.economics.models import CostCategory
from inset.ids import to_global_id
from inset.migrate import upgrade
from inset.organisations.models import Organisation, OrganisationKind
from inset.projects import service as projects
from inset.projects.models import InnovationType
from inset.webhooks import service as webhooks
from inset.webhooks.worker import Worker

PROJECTS = 20


class Receiver:
    """Answers 204 and notes when each event (by the id of its record) arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                now = time.perf_counter()
                record = json.loads(body)["data"]["id"]
                receiver.arrived.setdefault(record, now)
                receiver.count += 1
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Portfolio:
    """An organisation, its lead and projects, made through the services."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        with transaction(self.engine) as session:
            org = Organisation(name="Bench Council", kind=OrganisationKind.LOCAL_AUTHORITY)
            session.add(org)
            session.flush()
            account = accounts.create_account(
                session=session,
                actor=Actor(role=Role.STAFF),
                email="lead@bench.example",
                name="Bench Lead",
                organisation_id=org.id or 0,
                role=Role.LEAD,
            )
            self.lead = accounts.actor_for(account)
            _, self.token = accounts.create_api_token(
                session=session, actor=self.lead, name="bench", scope=TokenScope.READ_WRITE
            )
        self.projects = []
        for n in range(PROJECTS):
            with transaction(self.engine) as session:
                self.projects.append(
                    projects.create_project(
                        session=session,
                        actor=self.lead,
                        title=f"Bench project {n}",
                        summary="Benchmark",
                        innovation_type=InnovationType.PRACTICE,
                        lead_organisation_id=self.lead.organisation_id or 0,
                    ).id
                    or 0
                )

    def endpoint(self, url: str) -> None:
        with transaction(self.engine) as session:
            webhooks.create_endpoint(session=session, actor=self.lead, url=url)

    def cost(self, n: int) -> str:
        with transaction(self.engine) as session:
            row = economics.record_cost(
                session=session,
                actor=self.lead,
                project_id=self.projects[n % PROJECTS],
                category=CostCategory.STAFF,
                description=f"Line {n}",
                amount=Decimal(n + 1),
                confidence=2,
            )
            return to_global_id("Cost", row.id or 0)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def emit(figure: str, database: str, **values: Any) -> None:
    print(json.dumps({"figure": figure, "database": database, **values}), flush=True)


def throughput(url: str, database: str, events: int) -> None:
    receiver, portfolio = Receiver(), Portfolio(url)
    portfolio.endpoint(receiver.url)
    for n in range(events):
        portfolio.cost(n)
    worker = Worker(portfolio.engine)
    started = time.perf_counter()
    while worker.run_once():
        pass
    took = time.perf_counter() - started
    emit(
        "throughput",
        database,
        value=round(receiver.count / took, 1),
        unit="events/s",
        delivered=receiver.count,
        seconds=round(took, 2),
    )


def _latency(portfolio: Portfolio, receiver: Receiver, changes: int) -> list[float]:
    committed: dict[str, float] = {}
    for n in range(changes):
        committed[portfolio.cost(n)] = time.perf_counter()
        time.sleep(0.02)  # one change at a time, as people make them
    deadline = time.monotonic() + 120
    while not set(committed) <= set(receiver.arrived) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [(receiver.arrived[k] - t) * 1000 for k, t in committed.items()]


def latency_in_process(url: str, database: str, changes: int) -> None:
    receiver, portfolio = Receiver(), Portfolio(url)
    portfolio.endpoint(receiver.url)
    worker = Worker(portfolio.engine)
    threading.Thread(target=worker.run, daemon=True).start()
    values = _latency(portfolio, receiver, changes)
    worker.stop()
    emit(
        "latency_in_process",
        database,
        median_ms=round(statistics.median(values), 1),
        p99_ms=round(_percentile(values, 0.99), 1),
        changes=changes,
    )


def latency_worker_process(url: str, database: str, changes: int) -> None:
    receiver, portfolio = Receiver(), Portfolio(url)
    portfolio.endpoint(receiver.url)
    with _process(url, "worker"):
        values = _latency(portfolio, receiver, changes)
    emit(
        "latency_worker_process",
        database,
        median_ms=round(statistics.median(values), 1),
        p99_ms=round(_percentile(values, 0.99), 1),
        changes=changes,
    )


@contextmanager
def _process(url: str, *command: str) -> Iterator[subprocess.Popen[bytes]]:
    """`inset <command>` in its own process, once it has said it is ready (and, for
    `serve`, answers)."""
    env = {
        **os.environ,
        "INSET_DATABASE_URL": url,
        "INSET_SECRET_KEY": "bench",
        "INSET_WEBHOOK_ALLOW_LOOPBACK": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "inset", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        if process.stdout is None or not process.stdout.readline():
            raise SystemExit(f"inset {command[0]} did not start")
        if command[0] == "serve":
            port = command[command.index("--port") + 1]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/graphql?query={{__typename}}")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def mutation_cost(url: str, database: str, requests: int) -> None:
    for endpoints in (0, 1, 10):
        fresh(url)
        receiver, portfolio = Receiver(), Portfolio(url)
        for _ in range(endpoints):
            portfolio.endpoint(receiver.url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        document = (
            "mutation ($input: RecordCostInput!) "
            "{ recordCost(input: $input) { userErrors { code } } }"
        )
        times = []
        with (
            _process(url, "serve", "--port", str(port)),
            httpx.Client(
                base_url=f"http://127.0.0.1:{port}",
                headers={"Authorization": f"Bearer {portfolio.token}"},
            ) as client,
        ):
            for n in range(requests + 20):
                variables = {
                    "input": {
                        "projectId": to_global_id("Project", portfolio.projects[n % PROJECTS]),
                        "category": "STAFF",
                        "description": f"Line {n}",
                        "amount": {"amount": "10.00"},
                        "confidence": 2,
                    }
                }
                started = time.perf_counter()
                answer = client.post("/graphql", json={"query": document, "variables": variables})
                if n >= 20:  # the first ones warm the server up
                    times.append((time.perf_counter() - started) * 1000)
                if answer.json()["data"]["recordCost"]["userErrors"]:
                    raise SystemExit(answer.text)
                time.sleep(0.01)
        emit(
            "mutation_ms",
            database,
            endpoints=endpoints,
            median_ms=round(statistics.median(times), 2),
            p99_ms=round(_percentile(times, 0.99), 2),
            requests=requests,
        )


def _drop(url: str, *, create: bool = False) -> None:
    server = sa.make_url(normalise_url(url))
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{server.database}" WITH (FORCE)')
        if create:
            conn.exec_driver_sql(f'CREATE DATABASE "{server.database}"')
    admin.dispose()


def fresh(url: str) -> None:
    """An empty database at head."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        _drop(url, create=True)
    upgrade(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    os.environ["INSET_WEBHOOK_ALLOW_LOOPBACK"] = "1"
    postgres = os.environ.get("INSET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
    with tempfile.TemporaryDirectory() as folder:
        urls = {
            "sqlite": f"sqlite:///{Path(folder) / 'bench-webhooks.db'}",
            "postgresql": sa.make_url(normalise_url(postgres))
            .set(database="inset_bench_webhooks")
            .render_as_string(hide_password=False),
        }
        for database in args.databases.split(","):
            url = urls[database]
            for figure in (throughput, latency_in_process, latency_worker_process):
                fresh(url)
                size = args.events if figure is throughput else args.changes
                figure(url, database, size)
            mutation_cost(url, database, args.changes)
            if database == "postgresql":
                _drop(url)


if __name__ == "__main__":
    main()
