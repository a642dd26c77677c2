"""`inset backup` and `inset restore`: every table, in one portable file.

One format for SQLite and PostgreSQL alike, so that a backup restores with the same code
on either (a SQLite trial moves to PostgreSQL by a backup and a restore) and needs no
`pg_dump` of the server's major version on the machine. The file is gzip-compressed JSON
lines:

    {"format": "inset-backup", "version": 1, "revision": "0003", "database": "sqlite", ...}
    {"table": "organisation", "columns": ["id", "name", ...]}
    [1, "Northmoor Borough Council", ...]            one line a row, by primary key
    {"table": "account", "columns": [...]}           tables in dependency order
    ...
    {"end": true, "tables": 19, "rows": 1234}        a file without it is refused

Values are JSON, except timestamps and dates (ISO 8601, UTC), decimals (strings, every
digit kept) and enums (their names). The rows are read in one read-only transaction, a
consistent snapshot while the server keeps writing (SQLite's WAL lets a reader and the
writer run together; PostgreSQL reads at REPEATABLE READ). What the migrations derive
from the rows (the lesson search index) is not in the file: it is rebuilt as the rows
go in. The stored economics are in the file, but worked out again from the restored
lines once the rows are in (inset.economics.stored), rather than trusted, on the optimism
bias of the database restored into: its `economics_basis` is a setting, not in the file.

A restore goes into an empty database only, in one transaction: it migrates a new
database to the backup's revision, loads the rows, moves PostgreSQL's id sequences past
them, and migrates on to this version's head, so that a backup made by an older Inset
restores into a newer one.
"""

from __future__ import annotations

import enum
import gzip
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import inset.models  # noqa: F401  (every table on SQLModel.metadata)
from inset.db import WRITE, ExactDecimal, UTCDateTime
from inset.economics.stored import refresh_all
from inset.migrate import alembic_config, head_revision

FORMAT = "inset-backup"
VERSION = 1
BATCH = 1000
# Tables of the installation, not of its data: the optimism bias the stored economics
# use follows the settings of the server it is restored to, whatever the server it came from.
SETTINGS = frozenset({"economics_basis"})


class BackupError(Exception):
    """A backup or restore refused or failed, with the reason in one line."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    revision: str

    def __str__(self) -> str:
        return f"{self.rows} rows in {self.tables} tables at revision {self.revision}"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    return value


def _decoder(kind: sa.types.TypeEngine[Any]) -> Callable[[Any], Any] | None:
    """How a column's JSON value becomes what its type binds; None when it is already."""
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, ExactDecimal | sa.Numeric):
        return Decimal
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        members: Any = kind.enum_class
        return lambda name: members[name]
    return None


def write_backup(engine: Engine, out: Path) -> Summary:
    """Writes the whole database to `out`, which appears only once complete.

    Refuses a database that is not at this version's migration head (its tables would
    not be the ones this code reads).
    """
    head = head_revision(str(engine.url))
    partial = out.with_name(f".{out.name}.partial")
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            revision = revision_of_connection(conn)
            if revision != head:
                raise BackupError(
                    f"the database is at revision {revision or 'none'}, not {head}: "
                    "run `inset db upgrade` first"
                )
            # Readable by its owner only: it holds password hashes and every PRIVATE record.
            partial.unlink(missing_ok=True)
            partial.touch(mode=0o600)
            with gzip.open(partial, "wt", encoding="utf-8") as file:
                summary = _write(conn, file, str(revision))
            conn.rollback()
        with partial.open("rb") as done:
            os.fsync(done.fileno())
        os.replace(partial, out)
        return summary
    finally:
        partial.unlink(missing_ok=True)


def revision_of_connection(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _write(conn: Connection, file: IO[str], revision: str) -> Summary:
    def line(value: Any) -> None:
        file.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")

    line(
        {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "database": conn.dialect.name,
            "created_at": datetime.now(UTC).isoformat(),
        }
    )
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in SETTINGS]
    rows = 0
    for table in tables:
        columns = list(table.columns)
        line({"table": table.name, "columns": [c.name for c in columns]})
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        for row in conn.execution_options(yield_per=BATCH).execute(query):
            line([_encode(value) for value in row])
            rows += 1
    line({"end": True, "tables": len(tables), "rows": rows})
    return Summary(len(tables), rows, revision)


@dataclass(frozen=True)
class _Header:
    revision: str
    database: str


def _lines(file: IO[str]) -> Iterator[Any]:
    for number, text in enumerate(file, start=1):
        try:
            yield json.loads(text)
        except ValueError:
            raise BackupError(
                f"line {number} of the backup is not JSON: the file is damaged"
            ) from None


def _read_header(lines: Iterator[Any], engine: Engine) -> _Header:
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("the file is not an Inset backup")
    if header.get("version") != VERSION:
        raise BackupError(f"the backup's format version {header.get('version')} is not known")
    revision = str(header.get("revision"))
    scripts = ScriptDirectory.from_config(alembic_config(str(engine.url)))
    if revision not in {s.revision for s in scripts.walk_revisions()}:
        raise BackupError(
            f"the backup is at revision {revision}, which this version of Inset does not "
            "know: restore it with a version at least as new as the one that made it"
        )
    return _Header(revision, str(header.get("database")))


def _refuse_unless_empty(conn: Connection, revision: str) -> bool:
    """Whether the database needs migrating first (it has no tables); raises BackupError
    when it holds rows or is at another revision."""
    names = set(sa.inspect(conn).get_table_names())
    current = revision_of_connection(conn) if "alembic_version" in names else None
    if current is None:
        if names - {"alembic_version"}:
            raise BackupError(
                "the database has tables but no Inset migrations: restore into an empty one"
            )
        return True
    for name in sorted(names & set(SQLModel.metadata.tables) - SETTINGS):
        count = conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar()
        if count:
            raise BackupError(
                f"the database is not empty ({count} rows in {name}): "
                "restore only into an empty database"
            )
    if current != revision:
        raise BackupError(
            f"the database is at revision {current} and the backup at {revision}: "
            "restore into a new database with no tables"
        )
    return False


def read_backup(engine: Engine, source: Path) -> Summary:
    """Restores `source` into the empty database of `engine`, all or nothing."""
    try:
        return _restore(engine, source)
    except (gzip.BadGzipFile, EOFError, UnicodeDecodeError) as error:
        raise BackupError(f"the file is not a whole Inset backup ({error})") from None


def _restore(engine: Engine, source: Path) -> Summary:
    with gzip.open(source, "rt", encoding="utf-8") as file:
        lines = _lines(file)
        header = _read_header(lines, engine)
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn = conn.execution_options(**WRITE)
            new = _refuse_unless_empty(conn, header.revision)
            conn.rollback()  # the checks' read transaction; the restore is the next one
            with conn.begin():
                if new:
                    _migrate(conn, header.revision)
                loaded = _load(conn, lines)
                _continue_sequences(conn, loaded.tables)
                _migrate(conn, "head")
                refresh_all(conn)
    return Summary(len(loaded.tables), loaded.rows, header.revision)


@dataclass
class _Loaded:
    tables: list[str]
    rows: int = 0


def _migrate(conn: Connection, revision: str) -> None:
    config = alembic_config(str(conn.engine.url))
    config.attributes["connection"] = conn  # inside the restore's transaction
    command.upgrade(config, revision)


def _load(conn: Connection, lines: Iterator[Any]) -> _Loaded:
    loaded = _Loaded([])
    insert: sa.Insert | None = None
    columns: list[str] = []
    decoders: list[tuple[int, Callable[[Any], Any]]] = []
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if batch and insert is not None:
            conn.execute(insert, batch)
            loaded.rows += len(batch)
            batch.clear()

    for item in lines:
        if isinstance(item, list):
            if insert is None or len(item) != len(columns):
                raise BackupError("the backup has a row that fits no table: the file is damaged")
            for index, decode in decoders:
                if item[index] is not None:
                    item[index] = decode(item[index])
            batch.append(dict(zip(columns, item, strict=True)))
            if len(batch) >= BATCH:
                flush()
        elif isinstance(item, dict) and "table" in item:
            flush()
            columns = item["columns"]
            insert, kinds = _insert_for(conn, item["table"], columns)
            decoders = [(i, d) for i, k in enumerate(kinds) if (d := _decoder(k)) is not None]
            loaded.tables.append(item["table"])
        elif isinstance(item, dict) and item.get("end"):
            flush()
            if item.get("rows") != loaded.rows:
                raise BackupError("the backup's row count does not match: the file is damaged")
            return loaded
        else:
            raise BackupError("the backup has a line that is no row and no table")
    raise BackupError("the backup ends before its last line: the file is incomplete")


def _insert_for(
    conn: Connection, name: str, columns: list[str]
) -> tuple[sa.Insert, list[sa.types.TypeEngine[Any]]]:
    """An INSERT into `name`, and its columns' types: this code's where the model has the
    column (they bind our timestamps and decimals), the database's own elsewhere."""
    model = SQLModel.metadata.tables.get(name)
    reflected = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns(name)}
    missing = [c for c in columns if c not in reflected]
    if missing:
        raise BackupError(f"the backup's table {name} has columns the database lacks: {missing}")
    kinds = [
        model.c[c].type if model is not None and c in model.c else reflected[c] for c in columns
    ]
    table = sa.table(name, *(sa.column(c, k) for c, k in zip(columns, kinds, strict=True)))
    return sa.insert(table), kinds


def _continue_sequences(conn: Connection, tables: list[str]) -> None:
    """PostgreSQL hands out ids from sequences that the rows, given their ids, did not move."""
    if conn.dialect.name != "postgresql":
        return  # SQLite takes the next id after the largest, AUTOINCREMENT or not
    for name in tables:
        if "id" not in {c["name"] for c in sa.inspect(conn).get_columns(name)}:
            continue
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608
            f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{name}"'
        )
