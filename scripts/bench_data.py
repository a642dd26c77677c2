"""The benchmark's data: a generated portfolio in each database, kept between runs on request.

`inset generate --projects N --seed S` fills a migrated, empty database (timed: one of the
figures). The generator writes about one lesson per project; the search figure wants about
two, so `top_up_lessons` then copies the earliest lessons, each into its own project (same
kind, title, body, stage, sharing and date, no barrier tags), until the count is reached:
the copies obey every rule the originals do, and a search's words keep their proportions.

Where it lives:

- SQLite: `<data dir>/sqlite-<N>-seed<S>.db`, with its key and generation time beside it
  in `...db.json`.
- PostgreSQL: the benchmark's own databases on the server given, `inset_bench` (the
  portfolio measured) and `inset_bench_small` (the small one the page is compared with),
  or another name given with --postgres-name (so two runs on one server keep apart).
  Their key and generation time are the database's COMMENT. No other database is touched.

With `reuse`, a database whose key (projects, seed, lessons wanted) matches is kept as it
is (only migrated to the latest revision); otherwise it is made afresh.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
# The benchmark's databases: NAME (the portfolio measured) and NAME_small.
POSTGRES_NAME = "inset_bench"
STAFF_EMAIL = "bench-staff@inset.invalid"


@dataclass(frozen=True)
class Portfolio:
    """A database ready to measure; `generate_seconds` is None when it could not be known."""

    url: str
    projects: int
    lessons: int
    generate_seconds: float | None
    reused: bool


def prepare_sqlite(
    folder: Path, *, projects: int, seed: int, lessons: int | None, reuse: bool
) -> Portfolio:
    path = folder / f"sqlite-{projects}-seed{seed}.db"
    meta = path.with_suffix(".db.json")
    url = f"sqlite:///{path}"
    key = _key(projects, seed, lessons)
    if reuse and path.exists() and meta.exists():
        known = json.loads(meta.read_text())
        if known.get("key") == key:
            _inset(url, "db", "upgrade")
            return Portfolio(url, projects, _lessons(url), known.get("generate_seconds"), True)
    for stale in (path, meta, *folder.glob(f"{path.name}-*")):
        stale.unlink(missing_ok=True)
    seconds = _generate(url, projects, seed, lessons)
    meta.write_text(json.dumps({"key": key, "generate_seconds": seconds}))
    return Portfolio(url, projects, _lessons(url), seconds, False)


def prepare_postgresql(
    server: str, name: str, *, projects: int, seed: int, lessons: int | None, reuse: bool
) -> Portfolio:
    """`name`: one of the benchmark's two databases (`postgres_names`)."""
    url = _postgres_url(server, name)
    key = _key(projects, seed, lessons)
    with _admin(server) as conn:
        comment = conn.execute(
            sa.text(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"
            ),
            {"n": name},
        ).first()
        if reuse and comment is not None and comment[0]:
            known = json.loads(comment[0])
            if known.get("key") == key:
                _inset(url, "db", "upgrade")
                seconds = known.get("generate_seconds")
                return Portfolio(url, projects, _lessons(url), seconds, True)
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    seconds = _generate(url, projects, seed, lessons)
    with _admin(server) as conn:
        meta = json.dumps({"key": key, "generate_seconds": seconds}).replace("'", "''")
        conn.exec_driver_sql(f"COMMENT ON DATABASE {name} IS '{meta}'")
    return Portfolio(url, projects, _lessons(url), seconds, False)


def postgres_names(name: str) -> dict[str, str]:
    """The portfolio measured and the small one the page is compared with."""
    if not name.isidentifier() or not name.islower():
        raise SystemExit(f"{name!r}: a database name of lower-case letters, digits and _")
    return {"big": name, "small": f"{name}_small"}


def drop_postgresql(server: str, name: str) -> None:
    with _admin(server) as conn:
        for database in postgres_names(name).values():
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def staff_token(url: str) -> str:
    """A new read token of the benchmark's STAFF account (made on first use)."""
    from inset.access import SYSTEM
    from inset.accounts import service as accounts
    from inset.accounts.models import Role, TokenScope
    from inset.db import create_db_engine, transaction

    engine = create_db_engine(url)
    try:
        with transaction(engine) as session:
            account = accounts.find_account(session=session, email=STAFF_EMAIL)
            if account is None:
                first = session.execute(sa.text("SELECT min(id) FROM organisation")).scalar_one()
                account = accounts.create_account(
                    session=session,
                    actor=SYSTEM,
                    email=STAFF_EMAIL,
                    name="Benchmark staff",
                    organisation_id=first,
                    role=Role.STAFF,
                )
            _, secret = accounts.create_api_token(
                session=session,
                actor=SYSTEM,
                name="benchmark",
                scope=TokenScope.READ,
                expires_in_days=1,
                account_id=account.id,
            )
        return secret
    finally:
        engine.dispose()


def top_up_lessons(url: str, wanted: int) -> int:
    """Copies lessons (see the module docstring) until there are `wanted`; returns how many
    were added."""
    from inset.db import create_db_engine

    columns = "project_id, kind, title, body, stage, shared_with, anonymised, recorded_at"
    engine = create_db_engine(url)
    added = 0
    try:
        with engine.begin() as conn:
            have = conn.execute(sa.text("SELECT count(*) FROM lesson")).scalar_one()
            while 0 < have < wanted:
                batch = min(wanted - have, have)
                conn.execute(
                    sa.text(
                        f"INSERT INTO lesson ({columns}) SELECT {columns} FROM lesson "  # noqa: S608
                        "ORDER BY id LIMIT :n"
                    ),
                    {"n": batch},
                )
                have += batch
                added += batch
        if added and engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE lesson")
                conn.commit()
    finally:
        engine.dispose()
    return added


def _generate(url: str, projects: int, seed: int, lessons: int | None) -> float:
    """Migrates, generates (timed, the command alone) and tops lessons up."""
    _inset(url, "db", "upgrade")
    start = time.perf_counter()
    _inset(url, "generate", "--projects", str(projects), "--seed", str(seed))
    seconds = time.perf_counter() - start
    if lessons:
        top_up_lessons(url, lessons)
    _settle(url)
    return round(seconds, 1)


def _settle(url: str) -> None:
    """PostgreSQL: VACUUM ANALYZE after the bulk load, as autovacuum would do soon after,
    so that counts can read the visibility map (index-only scans) from the first request."""
    from inset.db import create_db_engine

    engine = create_db_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()


def _inset(url: str, *arguments: str) -> None:
    env = {**os.environ, "INSET_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "inset", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"inset {' '.join(arguments)} failed: {done.stderr.strip()}")


def _lessons(url: str) -> int:
    from inset.db import create_db_engine

    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM lesson")).scalar_one())
    finally:
        engine.dispose()


def _key(projects: int, seed: int, lessons: int | None) -> str:
    return f"projects={projects} seed={seed} lessons={lessons or 'as generated'}"


def _postgres_url(server: str, name: str) -> str:
    base = sa.make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    return base.set(database=name).render_as_string(hide_password=False)


class _admin:  # noqa: N801 - a context manager, used like a function
    """An AUTOCOMMIT connection to the server's database named in `server`."""

    def __init__(self, server: str) -> None:
        url = sa.make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
        self._engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")

    def __enter__(self) -> sa.Connection:
        self._conn = self._engine.connect()
        return self._conn

    def __exit__(self, *_: object) -> None:
        self._conn.close()
        self._engine.dispose()
