"""/healthz and /readyz, for load balancers and orchestrators.

/healthz says the process answers; it touches no database, so a database outage does
not get every server restarted. /readyz says whether this server can do its work: the
database answers and its schema is at the migration head this code expects. Either
answers with a short JSON body; /readyz with 503 and what is wrong when not ready.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from inset.migrate import revision_of


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readiness(engine: Engine, head: str | None) -> tuple[bool, dict[str, Any]]:
    """Whether the database is reachable and migrated to `head`, and the body to say so."""
    try:
        current = revision_of(engine)
    except Exception as error:
        # The kind of failure only: a driver's message may carry the host or the user.
        reason = f"unreachable ({type(error).__name__})"
        return False, {"status": "not ready", "database": reason}
    if current != head:
        return False, {
            "status": "not ready",
            "database": "reachable",
            "migrations": f"at {current or 'none'}, not at head {head}: run `inset db upgrade`",
        }
    return True, {"status": "ready", "database": "reachable", "migrations": f"at head {head}"}


def readyz_endpoint(
    engine: Engine, head: str | None
) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def readyz(request: Request) -> JSONResponse:
        ready, body = await run_in_threadpool(readiness, engine, head)
        return JSONResponse(body, 200 if ready else 503, headers={"Cache-Control": "no-store"})

    return readyz
