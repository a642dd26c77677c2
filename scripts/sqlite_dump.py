"""Writes a SQLite database as SQL that sqlite3's `executescript` loads into a new file.

    python scripts/sqlite_dump.py inset.db > dump.sql

Like sqlite3's iterdump, except for the lesson search index (an FTS5 table, migration
0002): iterdump would write its shadow tables through `writable_schema`, which a loader
may refuse. Here the index is created after the rows and rebuilt from them.
"""

from __future__ import annotations

import sqlite3
import sys

SEARCH = "lesson_search"


def dump(path: str) -> str:
    conn = sqlite3.connect(path)
    index = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH,)
    ).fetchone()
    kept = []
    for statement in conn.iterdump():
        # The index, its shadow tables and their rows; its triggers stay.
        if (
            statement.startswith(
                (f"CREATE TABLE '{SEARCH}", f'INSERT INTO "{SEARCH}', "INSERT INTO sqlite_master")
            )
            or "writable_schema" in statement
        ):
            continue
        kept.append(statement)
    commit = kept.pop()  # iterdump ends with COMMIT
    if index is not None:
        kept += [f"{index[0]};", "INSERT INTO lesson_search (lesson_search) VALUES ('rebuild');"]
    return "\n".join([*kept, commit]) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump(sys.argv[1]))
