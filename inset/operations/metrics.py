"""Prometheus metrics, served at /metrics to the addresses or the token configured.

With several worker processes, set PROMETHEUS_MULTIPROC_DIR to an empty directory
before the server starts (and empty it at each start): every process then writes its
figures there and any of them answers a scrape with the sum (prometheus-client's
multiprocess mode). Without it, a scrape sees the one process that answers.
"""

from __future__ import annotations

import atexit
import hmac
import ipaddress
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_ALLOW = "127.0.0.1,::1"
ANONYMOUS = "anonymous"
OTHER = "other"
# Operation names are chosen by clients: past this many distinct names a process counts
# new ones as OTHER, so that no client can grow the metrics without bound.
MAX_OPERATION_NAMES = 100
MAX_NAME_LENGTH = 64

REGISTRY = CollectorRegistry(auto_describe=True)
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # The pool gauges count live processes only: a process that ends takes its own out.
    atexit.register(lambda: multiprocess.mark_process_dead(os.getpid()))  # type: ignore[no-untyped-call]
else:
    ProcessCollector(registry=REGISTRY)  # memory, CPU, open files; one process only

REQUESTS = Counter(
    "inset_graphql_requests",
    "GraphQL requests by operation name and outcome "
    "(ok, user_error, error, rejected, denied, throttled, internal_error).",
    ["operation", "outcome"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "inset_graphql_request_duration_seconds",
    "Time from the request's arrival to its response, by operation name.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
SIGN_IN_FAILURES = Counter(
    "inset_sign_in_failures",
    "Failed web sign-ins: wrong (email or password) or refused (throttled, empty).",
    ["reason"],
    registry=REGISTRY,
)
POOL_CHECKED_OUT = Gauge(
    "inset_db_pool_checked_out",
    "Database connections in use, summed over live processes.",
    multiprocess_mode="livesum",
    registry=REGISTRY,
)
POOL_SIZE = Gauge(
    "inset_db_pool_size",
    "Database connections the pools keep open at most (overflow excluded), summed over "
    "live processes.",
    multiprocess_mode="livesum",
    registry=REGISTRY,
)

# Read from the database at each scrape, so every process reports the same figure.
WEBHOOK_BACKLOG = Gauge(
    "inset_webhook_backlog",
    "Webhook work still owed: pending deliveries, and events no worker has queued yet "
    "for an enabled endpoint (state=pending or unoffered).",
    ["state"],
    multiprocess_mode="mostrecent",
    registry=REGISTRY,
)
WEBHOOK_OLDEST = Gauge(
    "inset_webhook_oldest_pending_seconds",
    "Age of the oldest pending webhook delivery; 0 when none is pending.",
    multiprocess_mode="mostrecent",
    registry=REGISTRY,
)

_names: set[str] = set()
_names_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    """The operation's name as a label: ANONYMOUS for none, OTHER once too many are known."""
    if not name:
        return ANONYMOUS
    name = name[:MAX_NAME_LENGTH]
    with _names_lock:
        if name in _names:
            return name
        if len(_names) >= MAX_OPERATION_NAMES:
            return OTHER
        _names.add(name)
        return name


def observe_request(*, operation: str | None, outcome: str, seconds: float) -> None:
    label = operation_label(operation)
    REQUESTS.labels(operation=label, outcome=outcome).inc()
    LATENCY.labels(operation=label).observe(seconds)


def observe_pool(engine: Engine) -> None:
    pool = engine.pool
    # QueuePool has both; SQLite in memory and NullPool have neither.
    checked_out, size = getattr(pool, "checkedout", None), getattr(pool, "size", None)
    if callable(checked_out) and callable(size):
        POOL_CHECKED_OUT.set(checked_out())
        POOL_SIZE.set(size())


def observe_webhooks(engine: Engine) -> None:
    """The webhook backlog, left as it was when the database does not answer: a scrape
    must still report the rest (and the readiness probe says the database is down)."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from inset.db import utcnow
    from inset.webhooks.queue import backlog

    try:
        with Session(engine) as session:
            owed = backlog(session)
    except SQLAlchemyError:
        return
    WEBHOOK_BACKLOG.labels(state="pending").set(owed.pending)
    WEBHOOK_BACKLOG.labels(state="unoffered").set(owed.unoffered)
    age = (utcnow() - owed.oldest).total_seconds() if owed.oldest is not None else 0.0
    WEBHOOK_OLDEST.set(max(age, 0.0))


def sign_in_failed(reason: str) -> None:
    SIGN_IN_FAILURES.labels(reason=reason).inc()


def parse_allow(value: str) -> tuple[Network, ...]:
    """`INSET_METRICS_ALLOW`: addresses or networks, comma-separated ("10.0.0.0/8,::1").

    Raises ValueError naming the first entry that is neither.
    """
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"INSET_METRICS_ALLOW: {entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


@dataclass(frozen=True)
class MetricsAccess:
    """Who may read /metrics: a client at an allowed address that came straight to the
    server, or anyone showing the token as a bearer token."""

    allow: Sequence[Network]
    token: str = ""

    def permits(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        if self.token and scheme.lower() == "bearer":
            return hmac.compare_digest(secret.strip().encode(), self.token.encode())
        # A request relayed by a proxy on this machine arrives from 127.0.0.1 whoever sent
        # it: once relayed, only the token opens the metrics.
        if "forwarded" in request.headers or "x-forwarded-for" in request.headers:
            return False
        host = request.client.host if request.client else ""
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.allow)


def metrics_endpoint(engine: Engine, access: MetricsAccess) -> Callable[[Request], Response]:
    """The /metrics route: 404 for those who may not read it, as if it did not exist."""

    def metrics(request: Request) -> Response:
        if not access.permits(request):
            return PlainTextResponse("Not Found", status_code=404)
        observe_pool(engine)
        observe_webhooks(engine)
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
            body = generate_latest(registry)
        else:
            body = generate_latest(REGISTRY)
        return Response(body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return metrics
