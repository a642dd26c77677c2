"""How a page of projects costs against hand-written SQL, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_page.py [--projects 2000] [--requests 200]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

For each database it fills a fresh database with a synthetic portfolio (direct inserts;
this measures reads), then prints one JSON line per figure:

- `statements`: SQL statements one GraphQL request issues for a page of 10 and of 100
  projects with their organisation, partners, themes, evidence level and economics;
- `latency_ms`: median latency of that request for 100 projects, next to the floor: the
  same data by hand-written SQL (one statement per relation) and the same economics
  arithmetic, returned as plain JSON by a bare Starlette route in the same server process;
- `throughput_ratio`: GraphQL requests per second over the floor's.

Both routes run in one uvicorn process started by this script on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE_QUERY = """
query Page($first: Int!) {
  projects(first: $first, orderBy: {field: UPDATED_AT, direction: DESC}) {
    totalCount
    nodes {
      id title stage status evidenceLevel
      leadOrganisation { id name kind region }
      partners { id name kind }
      themes { id name }
      economics {
        totalCost { amount } adjustedBenefit { amount } netBenefit { amount }
        benefitCostRatio fiscalRoi paybackMonths presentValueBenefit { amount }
      }
    }
  }
}
"""


def fill(url: str, projects: int, seed: int = 7) -> None:
    """A portfolio written straight into the tables (valid rows, not through the services)."""
    from inset.db import create_db_engine
    from inset.migrate import upgrade
    from inset.models import (
        Benefit,
        Cost,
        Organisation,
        Project,
        ProjectPartner,
        ProjectTheme,
        Theme,
    )
    from inset.organisations.models import OrganisationKind
    from inset.projects.models import InnovationType, ProjectStatus, Stage, Visibility

    upgrade(url)
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    engine = create_db_engine(url)
    with engine.begin() as conn:
        kinds = list(OrganisationKind)
        conn.execute(
            sa.insert(Organisation),
            [
                {
                    "name": f"Organisation {i}",
                    "kind": kinds[i % len(kinds)],
                    "region": f"Region {i % 9}",
                    "created_at": now,
                }
                for i in range(1, 201)
            ],
        )
        conn.execute(
            sa.insert(Theme), [{"name": f"Theme {i}", "slug": f"theme-{i}"} for i in range(1, 13)]
        )
        rows, partners, themes, costs, benefits = [], [], [], [], []
        for p in range(1, projects + 1):
            changed = now - timedelta(minutes=p)
            rows.append(
                {
                    "title": f"Project {p}",
                    "summary": "A synthetic project.",
                    "stage": rnd.choice(list(Stage)),
                    "status": rnd.choice(list(ProjectStatus)),
                    "visibility": rnd.choice(list(Visibility)),
                    "innovation_type": rnd.choice(list(InnovationType)),
                    "lead_organisation_id": rnd.randint(1, 200),
                    "started_on": date(2023, 1, 1) + timedelta(days=rnd.randint(0, 700)),
                    "evidence_level": rnd.randint(0, 4),
                    "stage_entered_at": changed,
                    "last_decision_at": changed,
                    "created_at": changed,
                    "updated_at": changed,
                    "version": 1,
                }
            )
            for o in rnd.sample(range(1, 201), rnd.randint(0, 2)):
                partners.append({"project_id": p, "organisation_id": o})
            for t in rnd.sample(range(1, 13), rnd.randint(1, 3)):
                themes.append({"project_id": p, "theme_id": t})
            for _ in range(2):
                costs.append(
                    {
                        "project_id": p,
                        "category": "STAFF",
                        "description": "Staff time",
                        "amount_pence": rnd.randint(100_000, 9_000_000),
                        "currency": "GBP",
                        "recurring": False,
                        "stage": "PILOT",
                        "confidence": rnd.randint(1, 6),
                        "recorded_at": changed,
                    }
                )
                start = date(2023, 1, 1) + timedelta(days=rnd.randint(0, 900))
                benefits.append(
                    {
                        "project_id": p,
                        "kind": rnd.choice(["FISCAL", "SOCIAL"]),
                        "description": "Fewer placements",
                        "amount_pence": rnd.randint(100_000, 20_000_000),
                        "currency": "GBP",
                        "beneficiary": "A council",
                        "period_start": start,
                        "period_end": start + timedelta(days=rnd.randint(30, 700)),
                        "deadweight_bp": rnd.randint(0, 4000),
                        "attribution_bp": rnd.randint(5000, 10000),
                        "confidence": rnd.randint(1, 6),
                        "stage": "PILOT",
                        "recorded_at": changed,
                    }
                )
        conn.execute(sa.insert(Project), rows)
        conn.execute(sa.insert(ProjectPartner), partners)
        conn.execute(sa.insert(ProjectTheme), themes)
        conn.execute(sa.insert(Cost), costs)
        conn.execute(sa.insert(Benefit), benefits)
    engine.dispose()


def count_statements(url: str) -> dict[str, int]:
    """Statements per request for pages of 10 and 100, counted in-process."""
    from inset.access import SYSTEM
    from inset.app import create_app
    from inset.config import Settings
    from inset.db import create_db_engine

    engine = create_db_engine(url)
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    app = create_app(Settings(database_url=url, secret_key="bench"), engine)
    counts = {}

    async def run() -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            for size in (10, 100):
                seen.clear()
                response = await client.post(
                    "/graphql", json={"query": PAGE_QUERY, "variables": {"first": size}}
                )
                body = response.json()
                if "errors" in body or len(body["data"]["projects"]["nodes"]) != size:
                    raise SystemExit(f"the page query failed: {str(body)[:500]}")
                counts[str(size)] = len(
                    [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
                )

    asyncio.run(run())
    engine.dispose()
    del SYSTEM
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "INSET_DATABASE_URL": url,
        "INSET_SECRET_KEY": "bench",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "bench_server.py"), str(port)], env=env
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/floor?first=1", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the benchmark server did not start")


def timed(client: httpx.Client, requests: int, send: Any) -> list[float]:
    for _ in range(10):  # warm caches and connection pools
        send(client)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        send(client)
        times.append(time.perf_counter() - start)
    return times


def measure(name: str, url: str, requests: int) -> None:
    print(
        json.dumps(
            {
                "database": name,
                "figure": "statements",
                "page_10": (c := count_statements(url))["10"],
                "page_100": c["100"],
            }
        )
    )
    port = free_port()
    process = serve(url, port)
    try:
        base = f"http://127.0.0.1:{port}"

        def graphql(client: httpx.Client) -> None:
            r = client.post(
                f"{base}/graphql", json={"query": PAGE_QUERY, "variables": {"first": 100}}
            )
            if r.status_code != 200 or "errors" in r.json():
                raise SystemExit(f"graphql failed: {r.text[:300]}")

        def floor(client: httpx.Client) -> None:
            r = client.get(f"{base}/floor?first=100")
            if r.status_code != 200:
                raise SystemExit(f"floor failed: {r.text[:300]}")

        with httpx.Client(timeout=30) as client:
            g = timed(client, requests, graphql)
            f = timed(client, requests, floor)
        gm, fm = statistics.median(g), statistics.median(f)
        print(
            json.dumps(
                {
                    "database": name,
                    "figure": "latency_ms",
                    "graphql": round(gm * 1000, 2),
                    "floor": round(fm * 1000, 2),
                    "ratio": round(gm / fm, 2),
                }
            )
        )
        print(
            json.dumps(
                {
                    "database": name,
                    "figure": "throughput_ratio",
                    "graphql_rps": round(len(g) / sum(g), 1),
                    "floor_rps": round(len(f) / sum(f), 1),
                    "ratio": round(sum(f) / sum(g), 3),
                }
            )
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("INSET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{folder}/bench.db"
        fill(sqlite, args.projects)
        measure("sqlite", sqlite, args.requests)

    if args.postgres:
        server = sa.make_url(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1))
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS inset_bench WITH (FORCE)")
            conn.exec_driver_sql("CREATE DATABASE inset_bench")
        url = server.set(database="inset_bench").render_as_string(hide_password=False)
        try:
            fill(url, args.projects)
            measure("postgresql", url, args.requests)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql("DROP DATABASE IF EXISTS inset_bench WITH (FORCE)")
            admin.dispose()


if __name__ == "__main__":
    main()
