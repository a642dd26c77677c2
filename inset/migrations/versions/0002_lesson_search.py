"""lesson search: full-text index over lesson title and body

SQLite: an FTS5 table `lesson_search` with `lesson` as its external content (the text is
stored once, in `lesson`), kept in step by three triggers. Porter stemming over unicode61
words, accents folded ("cafe" finds "Café").

PostgreSQL: a generated column `lesson.search_vector` (english configuration; the title
weighted A, the body B) with a GIN index.

Neither is in the models: inset.lessons.search.include_object keeps them out of
autogenerate. A later migration that rebuilds `lesson` on SQLite (batch mode copies the
table) drops its triggers with it and must create them again, then rebuild the index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = [
    """
    CREATE VIRTUAL TABLE lesson_search USING fts5(
        title, body,
        content='lesson', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    # An external-content index forgets a row by being told the text it indexed.
    """
    CREATE TRIGGER lesson_search_insert AFTER INSERT ON lesson BEGIN
        INSERT INTO lesson_search (rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER lesson_search_update AFTER UPDATE OF title, body ON lesson BEGIN
        INSERT INTO lesson_search (lesson_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO lesson_search (rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER lesson_search_delete AFTER DELETE ON lesson BEGIN
        INSERT INTO lesson_search (lesson_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    # Indexes the lessons already there.
    "INSERT INTO lesson_search (lesson_search) VALUES ('rebuild')",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER lesson_search_delete",
    "DROP TRIGGER lesson_search_update",
    "DROP TRIGGER lesson_search_insert",
    "DROP TABLE lesson_search",
]

# A stored generated column fills itself for the rows already there.
POSTGRESQL_UPGRADE = [
    """
    ALTER TABLE lesson ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, body), 'B')
    ) STORED
    """,
    "CREATE INDEX ix_lesson_search_vector ON lesson USING gin (search_vector)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP INDEX ix_lesson_search_vector",
    "ALTER TABLE lesson DROP COLUMN search_vector",
]


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite
    if dialect == "postgresql":
        return postgresql
    raise NotImplementedError(f"lesson search is not written for {dialect}")


def upgrade() -> None:
    for statement in _statements(SQLITE_UPGRADE, POSTGRESQL_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWNGRADE, POSTGRESQL_DOWNGRADE):
        op.execute(statement)
