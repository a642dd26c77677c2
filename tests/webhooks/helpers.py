"""Setting up endpoints and changes for the delivery tests, through the services."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from conftest import World
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from inset.access import Actor
from inset.db import transaction
from inset.economics import service as economics
from inset.economics.models import CostCategory
from inset.events.models import Event
from inset.ids import to_global_id
from inset.webhooks import service
from inset.webhooks.models import WebhookEndpoint
from inset.webhooks.worker import Worker


def endpoint(
    world: World, actor: Actor, url: str, types: list[str] | None = None
) -> WebhookEndpoint:
    with transaction(world.engine) as session:
        return service.create_endpoint(session=session, actor=actor, url=url, event_types=types)


def cost(world: World, actor: Actor, project_id: int, n: int = 1) -> None:
    with transaction(world.engine) as session:
        economics.record_cost(
            session=session,
            actor=actor,
            project_id=project_id,
            category=CostCategory.STAFF,
            description=f"Cost line {n}",
            amount=Decimal(n),
            confidence=2,
        )


def event_ids(engine: Engine, project_id: int | None = None) -> list[str]:
    """The webhook ids of the feed's events (of one project), in feed order."""
    with Session(engine) as session:
        stmt = select(Event.id).order_by(col(Event.id))
        if project_id is not None:
            stmt = stmt.where(Event.project_id == project_id)
        return [to_global_id("Event", i or 0) for i in session.exec(stmt)]


def drain(worker: Worker) -> None:
    """Runs the worker until a pass finds nothing to do."""
    while worker.run_once():
        pass


def eventually(condition: Callable[[], bool], *, within: float = 120.0) -> None:
    """Waits for `condition`, giving up (and failing) only after `within` seconds, a
    bound far above what it takes, so that a slow machine never fails the test."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition was not met in time")
        threading.Event().wait(0.05)


@contextmanager
def running(worker: Worker) -> Iterator[Worker]:
    thread = threading.Thread(target=worker.run, kwargs={"poll_seconds": 0.05}, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(timeout=30)
