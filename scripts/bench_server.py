"""The benchmark's server: the real app, plus the floors' routes.

    python scripts/bench_server.py PORT [WORKERS]

Reads INSET_DATABASE_URL like `inset serve`, listens on 127.0.0.1 only. The floors exist
only here, each a bare Starlette route in the same process:

- strict floors (scripts/bench_strict.py), the body being the text of ONE statement's
  JSON document, untouched: GET /floor/page?first=N, /floor/page_economics?first=N (the
  figures stored on write; &from=lines: worked out from the lines in the statement),
  /floor/project?id=PK, /floor/organisations?first=N&projects=M, /floor/search?q=WORDS
  (&staff=1 for STAFF's rule);
- /floor/portfolio: the portfolio's aggregates by several hand-written statements
  (scripts/bench_floor.py), plain JSON from the app's own engine.
"""

from __future__ import annotations

import sys
from typing import Any

import bench_floor
import uvicorn
from bench_strict import Floors
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inset.app import create_app
from inset.config import Settings
from inset.db import utcnow
from inset.portfolio.sql import bias_points


def app() -> Starlette:
    """The app with the floors' routes; a factory, so that each worker process makes one."""
    settings = Settings.from_env()
    inset = create_app(settings)
    engine = inset.state.engine
    bias = bias_points(settings.optimism_bias)

    floors = Floors(settings.database_url, bias, engine)

    # Sync routes: Starlette runs them in its thread pool, as the GraphQL endpoint runs
    # its execution in a worker thread.
    def strict(name: str, **params: Any) -> Response:
        return Response(floors.run(name, params), media_type="application/json")

    def page(request: Request) -> Response:
        return strict("page", first=int(request.query_params.get("first", 100)))

    def page_economics(request: Request) -> Response:
        lines = request.query_params.get("from") == "lines"
        name = "page_economics_from_lines" if lines else "page_economics"
        return strict(name, first=int(request.query_params.get("first", 100)))

    def project(request: Request) -> Response:
        return strict("project", id=int(request.query_params["id"]))

    def organisations(request: Request) -> Response:
        q = request.query_params
        return strict("organisations", first=int(q["first"]), projects=int(q["projects"]))

    def search(request: Request) -> Response:
        staff = request.query_params.get("staff") == "1"
        return strict("search_staff" if staff else "search", q=request.query_params["q"])

    def portfolio(request: Request) -> JSONResponse:
        return JSONResponse(bench_floor.portfolio(engine, bias, utcnow()))

    async def ready(request: Request) -> JSONResponse:
        figures: Any = await run_in_threadpool(floors.run, "page", {"first": 1})
        return JSONResponse({"ready": bool(figures)})

    for path, route in (
        ("/floor/page", page),
        ("/floor/page_economics", page_economics),
        ("/floor/project", project),
        ("/floor/organisations", organisations),
        ("/floor/portfolio", portfolio),
        ("/floor/search", search),
        ("/floor/ready", ready),
    ):
        inset.router.routes.append(Route(path, route))
    return inset


def main() -> None:
    port = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    uvicorn.run(
        "bench_server:app",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
