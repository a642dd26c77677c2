"""The demo: migrate a new database and load the demo portfolio into it, all or nothing.

The portfolio ships inside the package (`inset/seeds/`, copied there from the repository's
`seeds/` folder when the wheel is built), so `inset serve --demo` works from any folder.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from inset.db import WRITE, create_db_engine
from inset.migrate import upgrade_on
from inset.seed import has_data, load_into, read_seeds

PACKAGE = Path(__file__).resolve().parent


def demo_seeds() -> Path:
    """The demo portfolio: the package's copy when installed from a wheel, otherwise (a
    source checkout) the repository's `seeds/` folder beside the package."""
    packaged = PACKAGE / "seeds"
    return packaged if packaged.is_dir() else PACKAGE.parent / "seeds"


def prepare_demo(url: str, seeds_path: Path) -> str | None:
    """Migrates the database and, when it has no data, loads the seeds; says what it loaded,
    or None when the database already had data (then it is only migrated).

    The seeds are read before the database is touched, and the migrations and the seeds run
    in one transaction, so a failure leaves the database as it was; a SQLite file that did
    not exist before is removed again.
    """
    seeds = read_seeds(seeds_path)
    created = _new_sqlite_file(url)
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            conn.execution_options(**WRITE)  # BEGIN IMMEDIATE on SQLite: no other writer
            with conn.begin():
                upgrade_on(conn)
                with Session(bind=conn, expire_on_commit=False) as session:
                    summary = None if has_data(session) else load_into(session, seeds)
                    session.flush()
    except BaseException:
        engine.dispose()  # the file is closed before it is removed
        if created is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{created}{suffix}").unlink(missing_ok=True)
        raise
    engine.dispose()
    return summary


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file that `url` names, when it does not exist yet."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
