"""Full-text search of the learning library: FTS5 on SQLite, a tsvector on PostgreSQL.

The index (migration 0002) covers each lesson's title and body, never its barrier tags
(they are a filter) nor anything about its organisation, so a snippet only ever shows
what the lesson's author wrote. Triggers (SQLite) and a generated column (PostgreSQL)
keep it current in the writing transaction: a lesson is found as soon as it is committed.

What a search matches, on each database:

- SQLite: every word, each a prefix of a word in the lesson after Porter stemming, with
  accents folded: "fund" finds "funding", "families" finds "family", "cafe" finds "Café".
  A word is what the search has between spaces; only words with a letter or digit count
  (`');` is no word). Each is quoted as a phrase, so FTS5's syntax (AND, OR, NOT, NEAR,
  `*`, `^`, column filters, quotes) is never interpreted: "risk AND culture" looks for the
  three words "risk", "and", "culture", and "data-sharing" for "data" just before a word
  starting "sharing". Common words are not dropped. A prefix is a range of the index's
  sorted terms, so it costs little; a word of one letter merges the most (about 0.1 s
  for 20,000 lessons of 150 words), and needs no index of its own at the library's size.
- PostgreSQL: `websearch_to_tsquery('english', search)`: every word after English
  stemming ("texting" finds "texts"), common words ("the", "and") dropped, whole words
  only; "quoted phrases", `or` and `-word` work as on a web search engine. Accents are not
  folded. It never fails, whatever the input.

A search with no word left (only punctuation, or on PostgreSQL only common words) matches
nothing. Rank: higher is more relevant, and a word in the title weighs five times one in
the body. SQLite ranks with bm25 (title column weight 5, body 1), PostgreSQL with
`ts_rank_cd` (weights A 1.0, B 0.2). bm25 depends on the whole index (how rare each word
is), so on SQLite a lesson added or changed between two pages can move others a little,
and a later page may then repeat or miss one near its start; `ts_rank_cd` depends only on
the lesson and the search.

Snippets are plain text: each matched word between MARK_START and MARK_END («, »), CUT
(…) where text is left out. SQLite's `snippet()` takes up to SNIPPET_WORDS words of the
column that matches best; PostgreSQL's `ts_headline` up to two fragments of the title and
body together. Guillemets the author typed are not escaped.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Select, TableValuedAlias

from inset.errors import Invalid

MAX_LENGTH = 200
MARK_START, MARK_END, CUT = "«", "»", "…"
SNIPPET_WORDS = 20

# Objects that migration 0002 makes and no model declares (see include_object).
_TABLES = "lesson_search"  # and its FTS5 shadow tables, lesson_search_*
_COLUMN = ("lesson", "search_vector")
_INDEX = "ix_lesson_search_vector"


def clean_search(text: str | None) -> str | None:
    """The search as it will be run: spaces collapsed, control characters dropped.

    None when there is nothing to search for (no search, or only spaces). INVALID on
    `search` when longer than MAX_LENGTH characters.
    """
    if text is None:
        return None
    # PostgreSQL refuses NUL in text, and no one types a control character on purpose.
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(cleaned) > MAX_LENGTH:
        raise Invalid(f"search must be at most {MAX_LENGTH} characters", ("search",))
    # A minus means "without the next word"; one that negates nothing, or a run of them,
    # means nothing, and PostgreSQL's parser fails on a few dozen in a row.
    cleaned = " ".join(_STRAY_MINUS.sub(" ", _MINUSES.sub("-", cleaned)).split())
    return cleaned or None


_MINUSES = re.compile(r"-{2,}")
_STRAY_MINUS = re.compile(r"-(?![\w\"])")


def fts5_query(search: str) -> str:
    """An FTS5 MATCH expression that cannot be a syntax error: each word a quoted phrase
    matched as a prefix, all of them required.

    >>> fts5_query('risk AND cul"ture* ();')
    '"risk"* "AND"* "cul""ture*"*'

    With no word that has a letter or digit: `""`, an empty phrase, which matches nothing.
    """
    words = [w for w in search.split() if any(c.isalnum() for c in w)]
    if not words:
        return '""'
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


class _lesson_hits(FunctionElement[Any]):  # noqa: N801 - an SQL construct, named like one
    """The matching lessons' (lesson_id, rank); its arguments: the FTS5 expression (used
    on SQLite) and the search as typed (used on PostgreSQL)."""

    name = "lesson_hits"
    inherit_cache = True


class _best_lessons(FunctionElement[Any]):  # noqa: N801 - an SQL construct, named like one
    """As `_lesson_hits`, only the best-ranked; its arguments: as `_lesson_hits`, then how
    many, then (with a cursor) the rank and id the lessons must come after."""

    name = "best_lessons"
    inherit_cache = True


class _lesson_snippets(FunctionElement[Any]):  # noqa: N801 - an SQL construct, named like one
    """The matching lessons' (lesson_id, snippet); arguments as `_lesson_hits`."""

    name = "lesson_snippets"
    inherit_cache = True


_QUERY = "websearch_to_tsquery('english', {search})"
_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
    f'ShortWord=2, MaxFragments=2, FragmentDelimiter=" {CUT} "'
)
# {expression}: the FTS5 expression's placeholder; {query}: the tsquery of the search's;
# the others: the constants above.
_HITS = {
    # bm25 is lower for better matches: negated, so that higher is better on both databases.
    "sqlite": "SELECT lesson_search.rowid AS lesson_id, -bm25(lesson_search, 5.0, 1.0) AS rank "
    "FROM lesson_search WHERE lesson_search MATCH {expression}",
    # ts_rank_cd is a real: as a double it compares exactly with the rank a cursor holds.
    # Weights: D, C, B (the body), A (the title).
    "postgresql": "SELECT lesson.id AS lesson_id, "
    "CAST(ts_rank_cd('{{0.1, 0.2, 0.2, 1.0}}', lesson.search_vector, {query}) "
    "AS DOUBLE PRECISION) AS rank "
    "FROM lesson WHERE lesson.search_vector @@ {query}",
}
# The best {limit} matches, in the order of `hits`' rank, then id, both descending.
_RANK = {
    "sqlite": "-bm25(lesson_search, 5.0, 1.0)",
    "postgresql": "CAST(ts_rank_cd('{{0.1, 0.2, 0.2, 1.0}}', lesson.search_vector, {query}) "
    "AS DOUBLE PRECISION)",
}
_ID = {"sqlite": "lesson_search.rowid", "postgresql": "lesson.id"}
# `candidates`: how many there are, {limit} or fewer (then they are all the matches left).
_BEST = {
    "sqlite": "SELECT lesson_id, rank, count(*) OVER () AS candidates FROM ("
    "SELECT lesson_search.rowid AS lesson_id, {rank} AS rank FROM lesson_search "
    "WHERE lesson_search MATCH {expression}{after} "
    "ORDER BY {rank} DESC, lesson_search.rowid DESC LIMIT {limit}) AS best",
    "postgresql": "SELECT lesson_id, rank, count(*) OVER () AS candidates FROM ("
    "SELECT lesson.id AS lesson_id, {rank} AS rank FROM lesson "
    "WHERE lesson.search_vector @@ {query}{after} "
    "ORDER BY {rank} DESC, lesson.id DESC LIMIT {limit}) AS best",
}
_SNIPPETS = {
    "sqlite": "SELECT lesson_search.rowid AS lesson_id, "
    "snippet(lesson_search, -1, '{start}', '{stop}', '{cut}', {words}) "
    "AS snippet FROM lesson_search WHERE lesson_search MATCH {expression}",
    "postgresql": "SELECT lesson.id AS lesson_id, "
    "ts_headline('english', lesson.title || E'\\n' || lesson.body, {query}, "
    "'{headline}') AS snippet "
    "FROM lesson WHERE lesson.search_vector @@ {query}",
}


_CONSTANTS = {
    "start": MARK_START,
    "stop": MARK_END,
    "cut": CUT,
    "words": SNIPPET_WORDS,
    "headline": _HEADLINE_OPTIONS,
}


def _subquery(
    templates: dict[str, str], element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any
) -> str:
    expression, search = element.clauses
    # Only the placeholder of a bound parameter goes into the SQL, never a value; and only
    # the one this database uses, so that the other is not sent.
    if compiler.dialect.name == "sqlite":
        values = {"expression": compiler.process(expression, **kw)}
    else:
        values = {"query": _QUERY.format(search=compiler.process(search, **kw))}
    return "(" + templates[compiler.dialect.name].format(**values, **_CONSTANTS) + ")"


@compiles(_lesson_hits, "sqlite")
@compiles(_lesson_hits, "postgresql")
def _hits(element: _lesson_hits, compiler: SQLCompiler, **kw: Any) -> str:
    return _subquery(_HITS, element, compiler, **kw)


@compiles(_best_lessons, "sqlite")
@compiles(_best_lessons, "postgresql")
def _best(element: _best_lessons, compiler: SQLCompiler, **kw: Any) -> str:
    expression, search, limit, *after = (compiler.process(c, **kw) for c in element.clauses)
    dialect = compiler.dialect.name
    values = {"expression": expression, "query": _QUERY.format(search=search)}
    rank = _RANK[dialect].format(**values)
    after_sql = ""
    if after:
        rank_after, id_after = after
        key = _ID[dialect]
        after_sql = (
            f" AND ({rank} < {rank_after} OR ({rank} = {rank_after} AND {key} < {id_after}))"
        )
    return "(" + _BEST[dialect].format(**values, rank=rank, after=after_sql, limit=limit) + ")"


@compiles(_lesson_snippets, "sqlite")
@compiles(_lesson_snippets, "postgresql")
def _snippets(element: _lesson_snippets, compiler: SQLCompiler, **kw: Any) -> str:
    return _subquery(_SNIPPETS, element, compiler, **kw)


def _arguments(search: str) -> tuple[Any, Any]:
    return sa.literal(fts5_query(search), sa.String), sa.literal(search, sa.String)


def hits(search: str) -> TableValuedAlias:
    """Lessons matching `search` (a `clean_search` result), as a FROM with the columns
    `lesson_id` and `rank` (a float, higher for a better match). Every lesson is in the
    index, archived or not: readability is the caller's join."""
    return (
        _lesson_hits(*_arguments(search))
        .table_valued(sa.column("lesson_id", sa.Integer), sa.column("rank", sa.Float))
        .alias("lesson_hits")
    )


def best_hits(search: str, limit: int, after: tuple[float, int] | None = None) -> TableValuedAlias:
    """As `hits`, only the `limit` matches it ranks highest (after the (rank, id) of a
    cursor): found by the index alone, as cheaply as any `limit` of them. A third column,
    `candidates`, says how many there are: fewer than `limit` when no other match is left."""
    ranked = [*_arguments(search), sa.literal(limit, sa.Integer)]
    if after is not None:
        ranked += [sa.literal(after[0], sa.Float), sa.literal(after[1], sa.Integer)]
    return (
        _best_lessons(*ranked)
        .table_valued(
            sa.column("lesson_id", sa.Integer),
            sa.column("rank", sa.Float),
            sa.column("candidates", sa.Integer),
        )
        .alias("lesson_hits")
    )


def among(stmt: Select[Any], best: TableValuedAlias) -> Select[Any]:
    """`stmt`, a select that joins `hits(...)` and selects its `rank`, joining `best` (a
    `best_hits`) in its stead, columns and conditions included, and selecting its
    `candidates` last."""

    def swap(element: Any, **_: Any) -> Any:
        if isinstance(element, TableValuedAlias) and isinstance(element.element, _lesson_hits):
            return best
        table = getattr(element, "table", None)
        if (
            isinstance(element, ColumnClause)
            and isinstance(table, TableValuedAlias)
            and isinstance(table.element, _lesson_hits)
        ):
            return best.c[element.key]
        return None

    swapped = visitors.replacement_traverse(stmt, {}, swap)
    if not isinstance(swapped, Select):  # pragma: no cover - a traversal keeps the kind
        raise TypeError(f"expected a Select, not {type(swapped).__name__}")
    # The traversal copies what it meets: take the column from the copy in the FROM list.
    joined = swapped.selected_columns.rank.element.table
    return swapped.add_columns(joined.c.candidates)


def snippets(search: str) -> TableValuedAlias:
    """As `hits`, with the column `snippet` instead of `rank`: the text around the match,
    matched words between MARK_START and MARK_END, CUT where text is left out.

    Costly (each lesson's text is read again): ask only for the lessons on a page.
    """
    return (
        _lesson_snippets(*_arguments(search))
        .table_valued(sa.column("lesson_id", sa.Integer), sa.column("snippet", sa.String))
        .alias("lesson_snippets")
    )


def ranked_cursor(rank: float, lesson_id: int, search: str) -> tuple[float, int, str]:
    """A search result's cursor values: its rank and id, then a fingerprint of the search,
    so that a cursor serves only the search it came from."""
    return (rank, lesson_id, _fingerprint(search))


def cursor_after(search: str | None, after: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """The keyset values of an `after` cursor for a list searched by `search` (cleaned;
    None: not searched): (rank, id) for a search, (recorded_at, id) otherwise.

    INVALID on `after` for a cursor of another list, or of another search: its rank would
    be on another scale, and the values must bind as the SQL expects.
    """
    if after is None:
        return None
    if search is None:
        if len(after) == 2 and isinstance(after[0], datetime) and _whole(after[1]):
            return after
    elif (
        len(after) == 3
        and isinstance(after[0], int | float)
        and not isinstance(after[0], bool)
        and _whole(after[1])
        and after[2] == _fingerprint(search)
    ):
        return (float(after[0]), after[1])
    raise Invalid("after is not a cursor from this list", ("after",))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fingerprint(search: str) -> str:
    return hashlib.sha256(search.encode()).hexdigest()[:12]


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's `include_object` filter: False for the search index that migration 0002
    made in the database and no model declares (the FTS5 table and its shadow tables on
    SQLite, the generated column and its index on PostgreSQL), so that autogenerate does
    not offer to drop them."""
    if not reflected or compare_to is not None or name is None:
        return True
    if type_ == "table":
        return not (name == _TABLES or name.startswith(_TABLES + "_"))
    if type_ == "column":
        return (getattr(getattr(obj, "table", None), "name", None), name) != _COLUMN
    if type_ == "index":
        return name != _INDEX
    return True
