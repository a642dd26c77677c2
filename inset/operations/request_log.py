"""One JSON line a request on stdout, and the request's figures for /metrics.

A line holds the request id, method, the route (the path's template), the GraphQL
operation's name and type, status, outcome, duration and the kind of viewer. Nothing a
client wrote goes in beyond a name the GraphQL grammar allows: no query string, no
variables, no headers, no cookie, so no token, password, email or free text. Example:

    {"time": "2026-12-06T11:02:03.123Z", "event": "request", "request_id": "3f2c...",
     "method": "POST", "route": "/graphql", "operation": "SignIn",
     "operation_type": "mutation", "status": 200, "outcome": "user_error",
     "duration_ms": 41.7, "viewer": "anonymous"}

The GraphQL endpoint leaves what it knows in the request's state (scope["state"]):
`operation` (the operation run), `outcome` (how it ended) and, from the context
factory, `actor`.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inset.operations import metrics

logger = logging.getLogger("inset.requests")

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_QUIET = frozenset({"/healthz", "/readyz", "/metrics"})  # probes and scrapes, every few seconds


class _StdoutHandler(logging.Handler):
    """Writes to whatever sys.stdout is at the time, a line at a time."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def install_handler() -> None:
    """Sends the request log to stdout, once per process, unless someone configured it."""
    if not logger.handlers:
        logger.addHandler(_StdoutHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False  # the lines are JSON already; no second copy as text


def viewer_kind(actor: Any) -> str:
    """anonymous, member, lead, staff, or token for any request made with an API token."""
    if actor is None or actor.role is None:
        return "anonymous"
    if actor.token_id is not None:
        return "token"
    return str(actor.role.value).lower()


def route_of(scope: Scope) -> str:
    """The template of the route that answered ("/projects/{project_id}"), which holds
    nothing the client typed; "(none)" when no route matched."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else "(none)"


def _outcome_from_status(status: int) -> str:
    return "ok" if status < 400 else "internal_error" if status >= 500 else "rejected"


class RequestLog:
    """ASGI middleware: times each HTTP request, then logs it and counts it."""

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        response: dict[str, Any] = {"status": 500, "request_id": None}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"x-request-id":
                        response["request_id"] = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - start
            self._record(scope, state, response, seconds)

    def _record(
        self, scope: Scope, state: dict[str, Any], response: dict[str, Any], seconds: float
    ) -> None:
        route = route_of(scope)
        operation = state.get("operation")
        name = operation.name.value if operation is not None and operation.name else None
        outcome = state.get("outcome") or _outcome_from_status(response["status"])
        if "outcome" in state:  # a GraphQL request
            metrics.observe_request(operation=name, outcome=outcome, seconds=seconds)
            metrics.observe_pool(self.engine)
        if route in _QUIET and response["status"] < 400:
            return
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "event": "request",
            "request_id": response["request_id"],
            "method": method if (method := scope.get("method")) in _METHODS else "OTHER",
            "route": route,
            "operation": name[: metrics.MAX_NAME_LENGTH] if name else None,
            "operation_type": operation.operation.value if operation is not None else None,
            "status": response["status"],
            "outcome": outcome,
            "duration_ms": round(seconds * 1000, 1),
            "viewer": viewer_kind(state.get("actor")),
        }
        logger.info(json.dumps(line, ensure_ascii=True))
