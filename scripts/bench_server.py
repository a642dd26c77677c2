"""The benchmark's server: the real app, plus the floors' routes (scripts/bench_floor.py).

    python scripts/bench_server.py PORT [WORKERS]

Reads INSET_DATABASE_URL like `inset serve`, listens on 127.0.0.1 only. The floors exist
only here: GET /floor/page?first=N, /floor/portfolio, /floor/search?q=WORDS, each plain
JSON from a bare Starlette route on the app's own engine.
"""

from __future__ import annotations

import sys
from typing import Any

import bench_floor
import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
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

    # Sync routes: Starlette runs them in its thread pool, as the GraphQL endpoint runs
    # its execution in a worker thread.
    def page(request: Request) -> JSONResponse:
        return JSONResponse(bench_floor.page(engine, int(request.query_params.get("first", 100))))

    def portfolio(request: Request) -> JSONResponse:
        return JSONResponse(bench_floor.portfolio(engine, bias, utcnow()))

    def search(request: Request) -> JSONResponse:
        return JSONResponse(bench_floor.search(engine, request.query_params["q"]))

    async def ready(request: Request) -> JSONResponse:
        figures: Any = await run_in_threadpool(bench_floor.page, engine, 1)
        return JSONResponse({"ready": bool(figures)})

    for path, route in (
        ("/floor/page", page),
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
