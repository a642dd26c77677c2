"""The benchmark's figures for one database: the queries, their checks, their JSON lines."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import sqlalchemy as sa
from bench_data import Portfolio, staff_token
from bench_load import Get, Post, Server, Timing, alternate, concurrent, data, Rotation, same

_PROJECT_FIELDS = """
      id title stage status evidenceLevel
      leadOrganisation { id name kind region }
      partners { id name kind }
      themes { id name }
"""
_ECONOMICS_FIELDS = """
      economics {
        totalCost { amount } adjustedBenefit { amount } netBenefit { amount }
        benefitCostRatio fiscalRoi paybackMonths presentValueBenefit { amount }
      }
"""
_PAGE = """
query Page($first: Int!) {
  projects(first: $first, orderBy: {field: UPDATED_AT, direction: DESC}) {
    totalCount
    nodes { %s }
  }
}
"""
PAGE_QUERY = _PAGE % _PROJECT_FIELDS
PAGE_ECONOMICS_QUERY = _PAGE % (_PROJECT_FIELDS + _ECONOMICS_FIELDS)

PROJECT_QUERY = """
query Project($id: ID!) {
  node(id: $id) { ... on Project { %s } }
}
""" % _PROJECT_FIELDS

ORGANISATIONS_QUERY = """
query Organisations($first: Int!, $projects: Int!) {
  organisations(first: $first) {
    totalCount
    nodes {
      id name kind region
      projects(first: $projects) { totalCount nodes { id title stage status } }
    }
  }
}
"""

PORTFOLIO_QUERY = """
query Portfolio {
  portfolio {
    projectCount
    byStage { stage count active onHold stopped }
    byTheme { key label count }
    byOrganisationKind { key label count }
    byRegion { key label count }
    evidenceLevels { key label count }
    conversion {
      fromStage toStage entered passed passedCount stopped stoppedCount
      recycled recycledCount onHold onHoldCount stillThere stillThereCount everRecycledCount
    }
    medianDaysInStage { stage completedStays completedCount openStays openCount }
    grossCost { amount } totalCost { amount } grossBenefit { amount }
    adjustedBenefit { amount } netBenefit { amount } benefitCostRatio
    stalled(days: 90, first: 10) { totalCount nodes { id title } }
    topBarriers(first: 10) { key label count }
  }
}
"""

SEARCH_QUERY = """
query Search($search: String!) {
  lessons(search: $search, first: 20) { nodes { id title kind stage } }
}
"""

# The portfolio size the targets of generate, page_scale, portfolio and search are set for.
SCALE = 100_000

# From common to rare in the generated lessons; both sides take them in turn.
SEARCHES = [
    "approach",
    "regular reviews",
    "costs",
    "national",
    "senior managers",
    "sponsorship",
    "eligibility",
    "goalposts",
]


def emit(figure: str, database: str, value: Any, **more: Any) -> None:
    line = {"figure": figure, "database": database, "value": value}
    line |= {"floor": None, "ratio": None, "target": None, "meets": None} | more
    print(json.dumps(line), flush=True)


class Run:
    def __init__(
        self,
        database: str,
        big: Portfolio,
        small: Portfolio,
        loops: dict[str, Any],
        port: Callable[[], int],
    ) -> None:
        self.database = database
        self.big, self.small = big, small
        self.loops = loops
        self.port = port

    def all(self, *, workers: bool) -> None:
        db = self.database
        seconds = self.big.generate_seconds
        fast = None  # the target is for SQLite
        if db == "sqlite" and seconds is not None:
            fast = self._at_scale(seconds < 180)
        emit(
            "generate",
            db,
            seconds,
            unit="s",
            target="< 180 s" if db == "sqlite" else None,
            meets=fast,
            projects=self.big.projects,
            lessons=self.big.lessons,
            reused=self.big.reused,
        )
        counts = self._statements()
        emit(
            "page_statements",
            db,
            counts[100],
            unit="statements",
            target="the same for 10 and 100 projects",
            meets=counts[10] == counts[100],
            detail={"10": counts[10], "100": counts[100]},
        )
        token = staff_token(self.big.url)
        server = Server(self.big.url, self.port())
        small = Server(self.small.url, self.port())
        try:
            self._page(server, small)
            self._portfolio(server, token)
            self._search(server, token)
            resident = server.resident_mb()
            emit("memory_mb", db, resident, unit="MB", target="< 250 MB", meets=resident < 250)
        finally:
            server.stop()
            small.stop()
        if workers:
            self._workers()

    def _statements(self) -> dict[int, int]:
        """Statements per request, counted in-process on the app's engine."""
        from inset.app import create_app
        from inset.config import Settings
        from inset.db import create_db_engine

        engine = create_db_engine(self.big.url)
        seen: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        app = create_app(Settings(database_url=self.big.url, secret_key="bench"), engine)
        counts: dict[int, int] = {}

        async def run() -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for size in (10, 100):
                    seen.clear()
                    body = (await client.post("/graphql", json=_page(size))).json()
                    if "errors" in body or len(body["data"]["projects"]["nodes"]) != size:
                        raise SystemExit(f"the page query failed: {str(body)[:500]}")
                    counts[size] = len(
                        [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
                    )

        asyncio.run(run())
        engine.dispose()
        return counts

    def _page(self, server: Server, small: Server) -> None:
        db = self.database
        graphql = Post(server, _page(100))
        floor = Get(server, "/floor/page?first=100")
        same("page", data(graphql), floor)
        timing = alternate({"graphql": graphql, "floor": floor}, **self._sequential())
        g, f = timing["graphql"], timing["floor"]
        emit(
            "page_latency_ms",
            db,
            g.median_ms,
            floor=f.median_ms,
            ratio=_ratio(g.median_ms, f.median_ms),
            unit="ms",
        )
        emit(
            "page_throughput",
            db,
            g.per_second,
            floor=f.per_second,
            ratio=_ratio(g.per_second, f.per_second),
            unit="requests/s",
            target=">= 0.25 of the floor",
            meets=g.per_second >= 0.25 * f.per_second,
        )
        scale = alternate({"big": graphql, "small": Post(small, _page(100))}, **self._sequential())
        b, s = scale["big"], scale["small"]
        emit(
            "page_scale",
            db,
            b.median_ms,
            floor=s.median_ms,
            ratio=_ratio(b.median_ms, s.median_ms),
            unit="ms",
            target=f"<= 1.2 x the page at {self.small.projects:,} projects",
            meets=self._at_scale(b.median_ms <= 1.2 * s.median_ms),
            projects=self.big.projects,
        )

    def _portfolio(self, server: Server, token: str) -> None:
        graphql = Post(server, {"query": PORTFOLIO_QUERY}, token)
        floor = Get(server, "/floor/portfolio")
        same("portfolio", data(graphql), floor)
        timing = alternate({"graphql": graphql, "floor": floor}, **self._sequential(few=True))
        self._median("portfolio", timing, "<= 1.5 x the floor", 1.5)

    def _search(self, server: Server, token: str) -> None:
        for words in SEARCHES:
            same(
                f"search {words!r}",
                data(Post(server, _search(words), token)),
                Get(server, f"/floor/search?q={words}"),
            )
        for figure, who in (("search", token), ("search_public", None)):

            def asked(words: str, who: str | None = who) -> Post:
                return Post(server, _search(words), who)

            graphql = rotating(asked, SEARCHES)
            floor = rotating(lambda words: Get(server, f"/floor/search?q={words}"), SEARCHES)
            timing = alternate({"graphql": graphql, "floor": floor}, **self._sequential())
            self._median(figure, timing, "<= 1.5 x the raw full-text query", 1.5)

    def _workers(self) -> None:
        rates = {}
        for count in (1, 2):
            server = Server(self.big.url, self.port(), workers=count)
            try:

                async def send(client: httpx.AsyncClient, base: str = server.base) -> None:
                    r = await client.post(f"{base}/graphql", json=_page(100))
                    r.raise_for_status()

                rates[count] = concurrent(
                    send, clients=16, seconds=self.loops["concurrent_seconds"]
                )
            finally:
                server.stop()
        emit(
            "workers",
            self.database,
            rates[2],
            floor=rates[1],
            ratio=_ratio(rates[2], rates[1]),
            unit="requests/s, 16 clients",
            detail={"1 worker": rates[1], "2 workers": rates[2]},
        )

    def _median(self, figure: str, timing: dict[str, Timing], target: str, limit: float) -> None:
        g, f = timing["graphql"], timing["floor"]
        ratio = _ratio(g.median_ms, f.median_ms)
        emit(
            figure,
            self.database,
            g.median_ms,
            floor=f.median_ms,
            ratio=ratio,
            unit="ms",
            target=target,
            meets=self._at_scale(ratio is not None and ratio <= limit),
            requests=len(g.seconds),
        )

    def _at_scale(self, meets: bool) -> bool | None:
        """Targets set for 100,000 projects say nothing of a smaller run (--quick): there
        the fixed cost of a request, not the SQL, decides the ratio."""
        return meets if self.big.projects >= SCALE else None

    def _sequential(self, few: bool = False) -> dict[str, Any]:
        loops = self.loops
        return {
            "rounds": loops["rounds"],
            "requests": 5 if few else loops["requests"],
            "seconds": loops["seconds"],
        }


def _page(first: int) -> dict[str, Any]:
    return {"query": PAGE_QUERY, "variables": {"first": first}}


def _search(words: str) -> dict[str, Any]:
    return {"query": SEARCH_QUERY, "variables": {"search": words}}


def _ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 3) if floor else None
