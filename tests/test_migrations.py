"""Alembic is the only way the schema changes, and it must match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from inset.migrate import compare_options, head_revision, revision_of


def test_the_test_database_is_migrated_to_the_latest_revision(engine: Engine, db_url: str) -> None:
    assert revision_of(engine) == head_revision(db_url)


def test_autogenerate_finds_nothing_left_to_migrate(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=compare_options())
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
