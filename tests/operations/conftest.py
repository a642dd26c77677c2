"""A second database for the operations tests: new and empty, of the same kind as the
test database (a SQLite file, or a PostgreSQL database of its own beside the test one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import TEST_DATABASE_URL, is_postgres

from inset.db import normalise_url


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_test_{os.getpid()}_empty"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
