"""The operator's routes: /healthz, /readyz and /metrics."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.routing import Route

from inset.config import Settings
from inset.migrate import head_revision
from inset.operations.health import healthz, readyz_endpoint
from inset.operations.metrics import MetricsAccess, metrics_endpoint, parse_allow


def operation_routes(engine: Engine, settings: Settings) -> list[Route]:
    access = MetricsAccess(parse_allow(settings.metrics_allow), settings.metrics_token)
    head = head_revision(str(engine.url))
    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz_endpoint(engine, head), methods=["GET"]),
        Route("/metrics", metrics_endpoint(engine, access), methods=["GET"]),
    ]
