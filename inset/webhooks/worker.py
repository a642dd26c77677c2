"""The delivery loop: `inset worker`, or a thread inside `inset serve`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

import inset.models  # noqa: F401 - every table, so that foreign keys resolve in `inset worker`
from inset.db import transaction
from inset.events import outbox
from inset.webhooks import queue, sender
from inset.webhooks.queue import Job, Result

log = logging.getLogger("inset.webhooks")
POLL_SECONDS = 0.5


class Worker:
    """Offers new events to endpoints, then sends what is due, a project's in order.

    A worker killed at any point loses nothing: a delivery is settled only after its
    request was answered, and one taken but never settled is taken again once its lease
    runs out (so a receiver may see an event twice: it deduplicates by `webhook-id`).
    """

    def __init__(
        self, engine: Engine, *, report: Callable[[Job, Result], None] | None = None
    ) -> None:
        self.engine = engine
        self.report = report
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._client: httpx.Client | None = None

    def run_once(self) -> int:
        """One pass; returns how many requests it made (or events it offered)."""
        with transaction(self.engine) as session:
            offered = queue.offer_events(session)
        with transaction(self.engine) as session:
            groups = queue.take_due(session)
        sent = 0
        for group in groups:
            sent += self._send_in_order(group)
        return offered + sent

    def _send_in_order(self, group: list[Job]) -> int:
        if self._client is None:
            self._client = sender.client()
        # The groups of a pass are sent one after another: renew this one's lease now, so
        # that it does not run out while earlier groups were being sent.
        with transaction(self.engine) as session:
            queue.release(session, group, keep=True)
        for i, job in enumerate(group):
            if self.stopping.is_set():
                self._release(group[i:])
                return i
            with Session(self.engine) as session:
                readable = queue.still_readable(session, job)
            if readable:
                result = sender.send(self._client, job)
            else:
                result = Result(
                    False,
                    None,
                    0,
                    "not sent: no longer readable by the endpoint's organisation",
                    skipped=True,
                )
            with transaction(self.engine) as session:
                queue.settle(session, job, result)
                queue.release(session, group[i + 1 :], keep=True)
            if self.report is not None:
                self.report(job, result)
            if not (result.succeeded or result.skipped):
                self._release(group[i + 1 :])  # the rest wait behind this one's retry
                return i + 1
        return len(group)

    def _release(self, jobs: list[Job]) -> None:
        if jobs:
            with transaction(self.engine) as session:
                queue.release(session, jobs)

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
