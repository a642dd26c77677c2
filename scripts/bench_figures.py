"""The benchmark's figures for one database: the queries, their checks, their JSON lines."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import sqlalchemy as sa
from bench_data import Portfolio, staff_token
from bench_load import Get, Post, Rotation, Server, alternate, concurrent, data, same

from inset.ids import to_global_id

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
    nodes { FIELDS }
  }
}
"""
PAGE_QUERY = _PAGE.replace("FIELDS", _PROJECT_FIELDS)
PAGE_ECONOMICS_QUERY = _PAGE.replace("FIELDS", _PROJECT_FIELDS + _ECONOMICS_FIELDS)
# Page after page, to check the economics floor over more projects than one page holds.
ECONOMICS_PAGES_QUERY = """
query Pages($after: String) {
  projects(first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
    pageInfo { hasNextPage endCursor }
    nodes { id ECONOMICS }
  }
}
""".replace("ECONOMICS", _ECONOMICS_FIELDS)
# How many pages of 100 that check reads.
ECONOMICS_PAGES = 10

PROJECT_QUERY = f"""
query Project($id: ID!) {{
  node(id: $id) {{ ... on Project {{ {_PROJECT_FIELDS} }} }}
}}
"""

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


@dataclass
class Read:
    """A read measured against its strict floor: GraphQL requests and the floor's paths
    for the same data, taken in turn (both sides the same one at a time)."""

    figure: str
    payloads: list[dict[str, Any]]
    paths: list[str]
    staff: bool = False
    share: float | None = None  # the throughput at 16 clients wanted, of the floor's
    within_ms: float | None = None  # the median latency wanted, over the floor's


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
        # The server's resident set at its largest after the API's turns, before the floors'.
        self.resident = 0.0

    def all(self) -> None:
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
        token = staff_token(self.big.url)
        reads = self._reads()
        counts = self._statements(reads, token)
        emit(
            "page_statements",
            db,
            counts["page_100"],
            unit="statements",
            target="the same for 10 and 100 projects",
            meets=counts["page_10"] == counts["page_100"],
            detail={"10": counts["page_10"], "100": counts["page_100"]},
        )
        server = Server(self.big.url, self.port())
        small = Server(self.small.url, self.port())
        try:
            self._economics_pages(server)
            for read in reads:
                self._read(server, read, token, counts[read.figure])
            self._scale(server, small)
            self._portfolio(server, token)
            resident = server.resident_mb()
            emit(
                "memory_mb",
                db,
                self.resident,
                unit="MB",
                target="< 150 MB",
                meets=self.resident < 150,
                detail={"after the floors too": resident},
            )
        finally:
            server.stop()
            small.stop()
        self._workers()

    def _reads(self) -> list[Read]:
        """The reads of issue 13, each with its floor; by id, ten public projects spread
        over the portfolio."""
        from inset.db import create_db_engine

        engine = create_db_engine(self.big.url)
        try:
            with engine.connect() as conn:
                public = (
                    conn.execute(
                        sa.text(
                            "SELECT id FROM project WHERE visibility = 'PUBLIC' "
                            "AND archived_at IS NULL ORDER BY id"
                        )
                    )
                    .scalars()
                    .all()
                )
        finally:
            engine.dispose()
        ids = [public[i * len(public) // 10] for i in range(10)]
        orgs = {"first": 10, "projects": 10}
        return [
            Read("page_100", [_page(100)], ["/floor/page?first=100"], share=0.5),
            Read(
                "page_100_economics",
                [_page(100, economics=True)],
                ["/floor/page_economics?first=100"],
                share=0.4,
            ),
            Read(
                "page_100_economics_from_lines",
                [_page(100, economics=True)],
                ["/floor/page_economics?first=100&from=lines"],
            ),
            Read("page_20", [_page(20)], ["/floor/page?first=20"]),
            Read(
                "project_by_id",
                [_project(pk) for pk in ids],
                [f"/floor/project?id={pk}" for pk in ids],
                share=0.5,
                within_ms=1.5,
            ),
            Read(
                "organisations",
                [{"query": ORGANISATIONS_QUERY, "variables": orgs}],
                [f"/floor/organisations?{urlencode(orgs)}"],
            ),
            Read(
                "search",
                [_search(w) for w in SEARCHES],
                [f"/floor/search?{urlencode({'q': w, 'staff': 1})}" for w in SEARCHES],
                staff=True,
            ),
            Read(
                "search_public",
                [_search(w) for w in SEARCHES],
                [f"/floor/search?{urlencode({'q': w})}" for w in SEARCHES],
            ),
        ]

    def _statements(self, reads: list[Read], token: str) -> dict[str, int]:
        """SQL statements per request, counted in-process on the app's engine, for each
        read its first request: BEGIN, COMMIT and ROLLBACK left out, and so is the rate
        limit's charge where it is a statement of its own (on PostgreSQL before a query
        the resolvers answer; a compiled read's statement carries it)."""
        from inset.app import create_app
        from inset.config import Settings
        from inset.db import create_db_engine

        # The request log's lines would mix with the figures on stdout.
        logging.getLogger("inset.requests").addHandler(logging.NullHandler())
        engine = create_db_engine(self.big.url)
        seen: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
        app = create_app(Settings(database_url=self.big.url, secret_key="bench"), engine)
        asked = [(read.figure, read.payloads[0], read.staff) for read in reads]
        asked.append(("page_10", _page(10), False))
        counts: dict[str, int] = {}

        async def run() -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for figure, payload, staff in asked:
                    headers = {"Authorization": f"Bearer {token}"} if staff else {}
                    seen.clear()
                    body = (await client.post("/graphql", json=payload, headers=headers)).json()
                    if "errors" in body or not body.get("data"):
                        raise SystemExit(f"{figure} failed: {str(body)[:500]}")
                    counts[figure] = len([s for s in seen if not _bookkeeping(s)])

        asyncio.run(run())
        engine.dispose()
        return counts

    def _economics_pages(self, server: Server) -> None:
        """The economics floor's arithmetic against the API's over the first pages of the
        portfolio, not only the page that is timed."""
        nodes: list[Any] = []
        after = None
        with httpx.Client(timeout=120) as client:
            for _ in range(ECONOMICS_PAGES):
                payload = {"query": ECONOMICS_PAGES_QUERY, "variables": {"after": after}}
                projects = Post(server, payload)(client)["data"]["projects"]
                nodes += projects["nodes"]
                if not projects["pageInfo"]["hasNextPage"]:
                    break
                after = projects["pageInfo"]["endCursor"]
        for source in ("stored", "lines"):
            floor = Get(server, f"/floor/page_economics?first={len(nodes)}&from={source}")
            same(
                f"economics of the first {len(nodes):,} projects ({source})",
                {"data": {"projects": {"nodes": nodes}}},
                _economics_of(floor),
            )

    def _read(self, server: Server, read: Read, token: str, statements: int) -> None:
        """Checks each request against its floor, then times both sides: one client,
        one request at a time (median, p99, requests per second), then 16 clients."""
        who = token if read.staff else None
        graphql = Rotation([Post(server, p, who) for p in read.payloads])
        floor = Rotation([Get(server, path) for path in read.paths])
        for g, f in zip(graphql.requests, floor.requests, strict=True):
            same(f"{read.figure} {f.url.split('/floor/')[1]}", data(g), f)
        timing = alternate({"graphql": graphql, "floor": floor}, **self._sequential())
        g1, f1 = timing["graphql"], timing["floor"]
        many = self.loops["concurrent_seconds"]
        g16 = concurrent(graphql.send, clients=16, seconds=many)
        self.resident = max(self.resident, server.resident_mb())  # before the floor's turn
        f16 = concurrent(floor.send, clients=16, seconds=many)
        meets = None
        target = None
        if read.share is not None:
            target = f">= {read.share:g} of the floor at 16 clients"
            meets = g16 >= read.share * f16
            if read.within_ms is not None:
                target += f"; median latency <= the floor's + {read.within_ms:g} ms"
                meets = meets and g1.median_ms <= f1.median_ms + read.within_ms
        emit(
            read.figure,
            self.database,
            g16,
            floor=f16,
            ratio=_ratio(g16, f16),
            unit="requests/s, 16 clients",
            target=target,
            meets=self._at_scale(meets) if meets is not None else None,
            latency_ms={
                "median": g1.median_ms,
                "p99": g1.p99_ms,
                "floor_median": f1.median_ms,
                "floor_p99": f1.p99_ms,
                "ratio": _ratio(g1.median_ms, f1.median_ms),
            },
            one_client={
                "value": g1.per_second,
                "floor": f1.per_second,
                "ratio": _ratio(g1.per_second, f1.per_second),
                "unit": "requests/s",
            },
            statements=statements,
            viewer="STAFF" if read.staff else "anonymous",
            requests=len(g1.seconds),
        )

    def _scale(self, server: Server, small: Server) -> None:
        """The page with economics here over on the small portfolio; in "detail", the same
        of its strict floor, which tells the database's own share of the growth."""
        floor = "/floor/page_economics?first=100"
        scale = alternate(
            {
                "big": Post(server, _page(100, economics=True)),
                "small": Post(small, _page(100, economics=True)),
                "floor_big": Get(server, floor),
                "floor_small": Get(small, floor),
            },
            **self._sequential(),
        )
        b, s = scale["big"], scale["small"]
        fb, fs = scale["floor_big"].median_ms, scale["floor_small"].median_ms
        emit(
            "page_scale",
            self.database,
            b.median_ms,
            floor=s.median_ms,
            ratio=_ratio(b.median_ms, s.median_ms),
            unit="ms",
            target=f"<= 1.2 x the page at {self.small.projects:,} projects",
            meets=self._at_scale(b.median_ms <= 1.2 * s.median_ms),
            projects=self.big.projects,
            detail={"floor": fb, "floor_small": fs, "floor_ratio": _ratio(fb, fs)},
        )

    def _portfolio(self, server: Server, token: str) -> None:
        graphql = Post(server, {"query": PORTFOLIO_QUERY}, token)
        floor = Get(server, "/floor/portfolio")
        same("portfolio", data(graphql), floor)
        timing = alternate({"graphql": graphql, "floor": floor}, **self._sequential(few=True))
        g, f = timing["graphql"], timing["floor"]
        ratio = _ratio(g.median_ms, f.median_ms)
        emit(
            "portfolio",
            self.database,
            g.median_ms,
            floor=f.median_ms,
            ratio=ratio,
            unit="ms",
            target="<= 1.5 x the floor (several hand-written statements)",
            meets=self._at_scale(ratio is not None and ratio <= 1.5),
            requests=len(g.seconds),
        )

    def _workers(self) -> None:
        """The page of 100 at 16 clients on `uvicorn --workers 2` over `--workers 1`."""
        rates = {}
        for count in (1, 2):
            server = Server(self.big.url, self.port(), workers=count)
            try:
                page = Post(server, _page(100))
                rates[count] = concurrent(
                    page.send, clients=16, seconds=self.loops["concurrent_seconds"]
                )
            finally:
                server.stop()
        emit(
            "workers",
            self.database,
            rates[2],
            floor=rates[1],
            ratio=_ratio(rates[2], rates[1]),
            unit="requests/s, 16 clients, page_100",
            detail={"1 worker": rates[1], "2 workers": rates[2]},
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


def _page(first: int, *, economics: bool = False) -> dict[str, Any]:
    query = PAGE_ECONOMICS_QUERY if economics else PAGE_QUERY
    return {"query": query, "variables": {"first": first}}


def _project(pk: int) -> dict[str, Any]:
    return {"query": PROJECT_QUERY, "variables": {"id": to_global_id("Project", pk)}}


def _search(words: str) -> dict[str, Any]:
    return {"query": SEARCH_QUERY, "variables": {"search": words}}


def _economics_of(floor: Get) -> Callable[[httpx.Client], Any]:
    """The floor's page, each project's id and economics only."""

    def send(client: httpx.Client) -> Any:
        nodes = floor(client)["data"]["projects"]["nodes"]
        kept = [{"id": n["id"], "economics": n["economics"]} for n in nodes]
        return {"data": {"projects": {"nodes": kept}}}

    return send


def _bookkeeping(statement: str) -> bool:
    """A transaction's edges, or the rate limit's charge alone. On PostgreSQL a compiled
    read carries its charge in its own statement (`WITH inset_charge ...`): that counts."""
    if statement.lstrip().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
        return True
    charge = "rate_limit_bucket" in statement or "synchronous_commit" in statement
    return charge and "inset_charge" not in statement


def _ratio(value: float, floor: float) -> float | None:
    return round(value / floor, 3) if floor else None
