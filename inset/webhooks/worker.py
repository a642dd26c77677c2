"""The delivery loop: `inset worker`, or a thread inside `inset serve`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

import inset.models  # noqa: F401 - every table, so that foreign keys resolve in `inset worker`
from inset.db import transaction as _transaction
from inset.events import outbox
from inset.webhooks import queue, sender
from inset.webhooks.queue import Job, Result
from inset.webhooks.settings import retry_schedule

log = logging.getLogger("inset.webhooks")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A worker's unit of work. On PostgreSQL it does not wait for its commit to reach
    the disk: if the database crashed just after, what it recorded would be undone and
    done again (a delivery sent twice, never one lost), which at-least-once allows, and
    every pass is spared a flush to disk per step."""
    with _transaction(engine) as session:
        if engine.dialect.name == "postgresql":
            session.execute(sa.text("SET LOCAL synchronous_commit = off"))
        yield session


POLL_SECONDS = 0.5
SETTLE_SECONDS = 1.0
NOT_READABLE = "not sent: no longer readable by the endpoint's organisation"


class Worker:
    """Offers new events to endpoints, then sends what is due, a project's in order.

    A worker killed at any point loses nothing: a delivery is settled only after its
    request was answered, and one taken but never settled is taken again once its lease
    runs out (so a receiver may see an event twice: it deduplicates by `webhook-id`).
    """

    def __init__(
        self, engine: Engine, *, report: Callable[[Job, Result], None] | None = None
    ) -> None:
        retry_schedule()  # a malformed INSET_WEBHOOK_RETRY_SCHEDULE fails here, at start
        self.engine = engine
        self.report = report
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._client: httpx.Client | None = None

    def run_once(self) -> int:
        """One pass; returns how many requests it made (or events it offered)."""
        with transaction(self.engine) as session:
            offered = queue.offer_events(session)
            groups = queue.take_due(session)
            readable = queue.readable_now(session, groups[0]) if groups else set()
        sent = 0
        for n, group in enumerate(groups):
            sent += self._send_in_order(group, readable if n == 0 else None)
        return offered + sent

    def _send_in_order(self, group: list[Job], readable: set[int] | None) -> int:
        """Sends a project's deliveries in order, stopping at the first failure.

        Results are settled (and the rest's lease renewed, and what the endpoint may read
        decided again) at least every SETTLE_SECONDS and after a failure, in one
        transaction: a worker killed in between sends those requests again (at least
        once), never skips one.
        """
        if self._client is None:
            self._client = sender.client()
        if readable is None:
            # The groups of a pass are sent one after another: renew this one's lease now,
            # so that it does not run out while earlier groups were being sent.
            with transaction(self.engine) as session:
                queue.release(session, group, keep=True)
                readable = queue.readable_now(session, group)
        unsettled: list[tuple[Job, Result]] = []
        settled_at = time.monotonic()
        for i, job in enumerate(group):
            if self.stopping.is_set():
                self._settle(unsettled, group[i:], failed=True)
                return i
            if job.event_id in readable:
                result = sender.send(self._client, job)
            else:
                result = Result(False, None, 0, NOT_READABLE, skipped=True)
            unsettled.append((job, result))
            if self.report is not None:
                self.report(job, result)
            failed = not (result.succeeded or result.skipped)
            last = i == len(group) - 1
            if failed or last or time.monotonic() - settled_at > SETTLE_SECONDS:
                readable = self._settle(unsettled, group[i + 1 :], failed=failed)
                unsettled, settled_at = [], time.monotonic()
            if failed:  # the rest wait behind this one's retry
                return i + 1
        return len(group)

    def _settle(
        self, results: list[tuple[Job, Result]], rest: list[Job], *, failed: bool
    ) -> set[int]:
        """Records the results; holds the rest for this worker or, after a failure,
        gives them back. Returns which of the rest the endpoint may read now."""
        with transaction(self.engine) as session:
            done = [(j, r) for j, r in results if r.succeeded or r.skipped]
            queue.settle_done(session, done)
            for job, result in results:
                if not (result.succeeded or result.skipped):
                    queue.settle(session, job, result)
            queue.release(session, rest, keep=not failed)
            return queue.readable_now(session, rest) if rest and not failed else set()

    def run(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        """Until `stop()`: work while there is work, else wait for a commit or a poll."""
        outbox.when_events_committed(self.wake.set)
        while not self.stopping.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database may be restarting: log, wait, go on
                log.exception("webhook delivery pass failed")
                busy = 0
            if not busy:
                self.wake.wait(poll_seconds)
                self.wake.clear()
        if self._client is not None:
            self._client.close()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()


def start_in_process(database_url: str) -> Worker:
    """A worker on a daemon thread, for `inset serve`: the embedded default needs no
    second command."""
    from inset.db import create_db_engine

    worker = Worker(create_db_engine(database_url))
    threading.Thread(target=worker.run, name="inset-webhooks", daemon=True).start()
    return worker
