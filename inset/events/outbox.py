"""Writing events in the change's transaction, so that ids become visible in commit order.

A sequence alone does not give commit order on PostgreSQL: a transaction that took id 5
can commit after one that took id 6, and a reader that saw 6 and resumes after it would
never see 5. So events are held back until the transaction commits; just before the
commit, after the change's own rows are flushed (and their row locks taken), the
transaction takes one transaction-level advisory lock, inserts its events and commits,
which releases the lock. Ids are therefore drawn, and become visible, one transaction
at a time: a reader that sees id N sees every event below N that will ever exist.
The lock is held only for the inserts and the commit, never while waiting on anything
else, so it cannot deadlock. SQLite needs no lock: it has one writer at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inset.events.models import Event

_PENDING = "inset_pending_events"
_WRITTEN = "inset_events_written"
# An arbitrary constant that names the lock; no other advisory lock in Inset uses it.
EVENT_LOCK_KEY = 0x1A5E7_0E5

_on_commit: list[Callable[[], None]] = []


def enqueue(session: Session, event: Event) -> None:
    """Adds `event` to be written when (and only if) the session's transaction commits."""
    session.info.setdefault(_PENDING, []).append(event)


def when_events_committed(callback: Callable[[], None]) -> None:
    """Calls `callback` after each commit that wrote events in this process (to wake a
    worker without waiting for its next poll)."""
    _on_commit.append(callback)


def _write_pending(session: Session) -> None:
    pending: list[Event] = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()  # the change first: its row locks are taken before the event lock
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(EVENT_LOCK_KEY)))
    session.add_all(pending)
    session.flush()
    session.info[_WRITTEN] = True


def _discard(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WRITTEN, None)


def _after_commit(session: Session) -> None:
    if session.info.pop(_WRITTEN, False):
        for callback in _on_commit:
            callback()


sa.event.listen(Session, "before_commit", _write_pending)
sa.event.listen(Session, "after_commit", _after_commit)
sa.event.listen(Session, "after_rollback", _discard)
