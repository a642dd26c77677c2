"""Alembic environment: the URL comes from the caller's config or INSET_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inset.models  # noqa: F401  (registers every table on SQLModel.metadata)
from inset.config import Settings
from inset.db import create_db_engine
from inset.migrate import compare_options

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = create_db_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        # The search index exists only in the migrations (it differs by database).
        **compare_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
