"""SQLite writes global ids itself, exactly as `inset.ids.to_global_id` does."""

from __future__ import annotations

import base64
import random
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from inset.graphql.compiled.global_ids import global_id
from inset.ids import to_global_id


def test_every_key_length_and_type_gives_the_python_id() -> None:
    connection = sqlite3.connect(":memory:")
    # keys past DIGITS digits go to the function `inset.sqlite` registers
    connection.create_function(
        "inset_base64url",
        1,
        lambda text: base64.urlsafe_b64encode(text.encode()).decode().rstrip("="),
    )
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    edges = [1, 9, 10, 99, 100, 12_345, 2**31 - 1, 9_999_999_999, 10**10, 2**62]
    keys = edges + random.Random(7).sample(range(1, 10**9), 500)
    connection.executemany("INSERT INTO t VALUES (?)", [(k,) for k in keys])
    table = sa.table("t", sa.column("id"))
    for type_name in ("Project", "Organisation", "Theme", "Lesson", "X"):
        statement = sa.select(global_id(type_name, table.c.id), table.c.id)
        sql = str(statement.compile(dialect=sqlite.dialect()))
        written = {key: found for found, key in connection.execute(sql)}
        assert written == {key: to_global_id(type_name, key) for key in keys}, type_name


def test_a_name_that_is_not_a_type_is_refused() -> None:
    table = sa.table("t", sa.column("id"))
    for bad in ("Project'", "a b", ""):
        with pytest.raises(ValueError, match="not a type name"):
            global_id(bad, table.c.id)


def _base64url(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
