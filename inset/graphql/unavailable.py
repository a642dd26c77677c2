"""Which database errors mean "the database cannot answer now", not "this request is bad".

The endpoint answers those with HTTP 503 `DATABASE_UNAVAILABLE` and `Retry-After`, and
the next request tries again: SQLAlchemy's pool opens a new connection (PostgreSQL's
checks each one before use), so the service recovers by itself once the database is
back.
"""

from __future__ import annotations

import sqlalchemy.exc

# PostgreSQL's classes of errors that mean "not now" rather than "not this": connection
# exceptions, insufficient resources, operator intervention (shutdown, statement
# timeout), and a database that does not exist (dropped, or not yet created).
PG_SQLSTATE_CLASSES = ("08", "53", "57", "3D")
# SQLite's: the file cannot be opened or read, the disk is full or read-only, or another
# writer held the lock for longer than the busy timeout.
SQLITE_ERRORS = (
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_NOTADB",
)


def is_unavailable(error: BaseException) -> bool:
    """Whether the database failed for want of being reachable, not for the request."""
    if isinstance(error, sqlalchemy.exc.TimeoutError):
        return True  # no connection free in the pool in time
    if not isinstance(error, sqlalchemy.exc.DBAPIError):
        return False
    if error.connection_invalidated or error.statement is None:
        return True  # the connection broke, or none could be made (no statement ran)
    if not isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        return False
    driver_error = error.orig
    sqlite_name = getattr(driver_error, "sqlite_errorname", None)
    if isinstance(sqlite_name, str):
        return sqlite_name.startswith(SQLITE_ERRORS)
    sqlstate = getattr(driver_error, "sqlstate", None)
    # No SQLSTATE: the server never answered (refused, reset, timed out).
    return sqlstate is None or str(sqlstate).startswith(PG_SQLSTATE_CLASSES)
