"""What the embedded SQLite database needs that PostgreSQL does not: pragmas and a writers' queue.

SQLite has one writer at a time. Its own wait for the write lock (the busy timeout) polls
with sleeps of up to 100 ms and serves nobody in turn, so under a burst of writes one
thread can keep missing the moment the lock is free and fail with "database is locked"
once the timeout has passed. This process's writers therefore queue on `WriterQueue`,
which hands the lock to the longest waiter as soon as a writer finishes; writers in other
processes still wait through SQLite's busy timeout.
"""

from __future__ import annotations

import base64
import threading
from collections import deque
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

BUSY_SECONDS = 10
_HOLDS_LOCK = "inset_holds_write_lock"
# Connections a process keeps open to a database file, and requests it runs at once. On a
# 2-core machine, 16 clients reading 100,000 projects were served fastest by 2 to 4 (more
# only queue for the cores and the interpreter's lock), while every connection, and every
# thread with its own malloc arena and event loop, holds on to memory: with anyio's 40
# threads and SQLAlchemy's 5 connections plus 10 opened and closed at each peak, the server
# grew to 210 MB, against 135 MB with 4 of each.
CONNECTIONS = 4
# Beyond them, for what holds a connection outside a request's thread (a CSV download keeps
# one while it streams): each closed again when handed back.
EXTRA_CONNECTIONS = 10


class WriterQueue:
    """A lock granted first come, first served: a release hands it to the oldest waiter."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    @property
    def waiting(self) -> int:
        with self._mutex:
            return len(self._waiting)

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # stays held, now by the next writer
            else:
                self._held = False


def pool_options(url: str) -> dict[str, int]:
    """`create_engine`'s pool arguments for a SQLite URL: CONNECTIONS and EXTRA_CONNECTIONS
    for a file; none for a database in memory, which lives in its one connection (SQLAlchemy
    keeps one a thread)."""
    parsed = sa.make_url(url)
    if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        return {}
    return {"pool_size": CONNECTIONS, "max_overflow": EXTRA_CONNECTIONS}


def configure(engine: Engine) -> None:
    """Pragmas on every connection; BEGIN for reads and BEGIN IMMEDIATE, in turn, for writes."""
    writers = WriterQueue()

    def begin(conn: sa.Connection) -> None:
        # pysqlite would start transactions only at the first write, so a mutation's
        # reads (the version check) would not share its snapshot. We issue BEGIN
        # ourselves, and BEGIN IMMEDIATE for writes, so that writers queue, not race.
        if not conn.get_execution_options().get("inset_write", False):
            conn.exec_driver_sql("BEGIN")
            return
        if not writers.acquire(BUSY_SECONDS):
            raise sa.exc.OperationalError(
                "BEGIN IMMEDIATE", None, TimeoutError("database is locked: waited too long")
            )
        conn.info[_HOLDS_LOCK] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release(conn.info)
            raise

    def release(info: dict[Any, Any]) -> None:
        if info.pop(_HOLDS_LOCK, False):
            writers.release()

    sa.event.listen(engine, "connect", _pragmas)
    sa.event.listen(engine, "begin", begin)
    # The turn ends with the transaction, however it ends: commit, rollback, or the pool's
    # reset of a connection handed back in the middle of one.
    sa.event.listen(engine, "commit", lambda conn: release(conn.info))
    sa.event.listen(engine, "rollback", lambda conn: release(conn.info))
    sa.event.listen(engine.pool, "checkin", lambda _dbapi, record: release(record.info))


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite has no base64: compiled reads write global ids and cursors with this one.
    dbapi_connection.create_function("inset_base64url", 1, _base64url, deterministic=True)


def _base64url(text: str | None) -> str | None:
    """Unpadded URL-safe base64 of the UTF-8 text, as `inset.ids` writes global ids."""
    if text is None:
        return None
    return base64.urlsafe_b64encode(str(text).encode()).decode().rstrip("=")
