"""Alembic, driven from code: `inset db upgrade` and the tests use the same path."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from inset.db import normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


def compare_options() -> dict[str, object]:
    """How Alembic compares models and database, in env.py and in the tests alike.

    The lesson search index differs by database and is made by migration 0002 alone,
    so autogenerate must not see it as something to drop.
    """
    from inset.lessons.search import include_object

    return {"compare_type": True, "include_object": include_object}


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> str:
    """Applies migrations up to `revision` and returns the revision reached."""
    command.upgrade(alembic_config(url), revision)
    return current_revision(url)


def upgrade_on(conn: Connection, revision: str = "head") -> None:
    """Applies migrations on `conn` within its open transaction, which the caller commits
    or rolls back (both databases change their schema transactionally)."""
    config = alembic_config(conn.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def current_revision(url: str) -> str:
    from inset.db import create_db_engine

    engine = create_db_engine(url)
    try:
        return revision_of(engine) or "base"
    finally:
        engine.dispose()


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()
