"""Writing a generated portfolio: reference data, then projects in batches of bulk inserts.

Rows go straight to the tables with Core `INSERT`s (executemany), one statement per table
per batch, not through the services one record at a time: 100,000 projects would
otherwise take hours. The rows are built to satisfy every rule the services enforce (see
`inset.generator.records` and `inset.generator.lifecycle`), and the tests check them
against those rules.

Everything is one transaction, so a failure leaves the database as it was. The audit
trail gets ONE event, "portfolio.generate", written by the system and summarising what
was generated (counts, seed, the range of project ids), rather than one event per row:
no person made these records, and a million audit rows would drown the real trail.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import inset.models  # noqa: F401 - every table in the metadata
from inset.db import transaction, utcnow
from inset.economics.stored import current_bias, refresh_projects
from inset.generator import vocabulary as words
from inset.generator.lifecycle import ProjectBuilder
from inset.generator.records import TABLES, Ids, Org, Reference, Rows, weighted
from inset.organisations.models import OrganisationKind
from inset.themes.service import slugify

MAX_PROJECTS = 2_000_000
MAX_ORGANISATIONS = 1_500
BATCH = 1_000  # projects per round of inserts
ORIGIN_DAYS = 3_000  # organisations exist from this long before today; projects are younger
_WITH_IDS = [t for t in TABLES if "id" in SQLModel.metadata.tables[t].c]


LABELS = {
    "project": "projects",
    "organisation": "organisations",
    "theme": "new themes",
    "gate_decision": "gate decisions",
    "evidence": "evidence items",
    "outcome": "outcomes",
    "observation": "observations",
    "cost": "costs",
    "benefit": "benefits",
    "lesson": "lessons",
    "lesson_barrier": "lesson barrier tags",
    "project_theme": "project themes",
    "project_partner": "project partners",
}


def themes_from_file(path: Path) -> list[str]:
    """The names in a themes file shaped like seeds/themes.json: {"themes": [names]}."""
    try:
        names = json.loads(Path(path).read_text(encoding="utf-8"))["themes"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GenerateError(f"cannot read the themes from {path}: {error}") from None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise GenerateError(f'{path}: "themes" must be a list of names')
    return names


class GenerateError(Exception):
    """A portfolio that cannot be generated here; the message says why, in one line."""


@dataclass(frozen=True)
class Summary:
    seed: int
    counts: dict[str, int]  # rows written, by table

    def __str__(self) -> str:
        return ", ".join(f"{self.counts.get(table, 0)} {label}" for table, label in LABELS.items())


def organisation_count(projects: int) -> int:
    """About 1,500 at national scale (100,000 projects); a small portfolio gets fewer."""
    return max(30, min(MAX_ORGANISATIONS, projects // 4))


def generate_portfolio(
    engine: Engine,
    *,
    projects: int,
    seed: int,
    themes: Sequence[str],
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Generates `projects` projects with their organisations and records.

    The same `seed`, `themes` and `today` give the same rows, ids included (on an empty
    database): only the audit event's time differs. Dates are relative to `today` (by
    default the real one), so the portfolio always looks current: every timestamp is
    before midnight UTC at the start of `today`. Themes are reused by name when they
    exist. `progress` is called with the number of projects written after each batch.
    Refuses a database that already has projects (GenerateError).
    """
    if not 1 <= projects <= MAX_PROJECTS:
        raise GenerateError(f"--projects must be from 1 to {MAX_PROJECTS:,}, not {projects}")
    if seed < 0:
        raise GenerateError(f"--seed must be zero or more, not {seed}")
    if not themes:
        raise GenerateError("the themes file names no themes")
    now = datetime.combine(today or utcnow().date(), time(0), UTC)
    with transaction(engine) as session:
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            # Two generators at once would both find the table empty.
            conn.exec_driver_sql("LOCK TABLE project IN EXCLUSIVE MODE")
        if conn.execute(sa.text("SELECT id FROM project LIMIT 1")).first() is not None:
            raise GenerateError(
                "the database already has projects: generate into a new, migrated database"
            )
        counts: dict[str, int] = {}
        # Synthetic data, reproducible from its seed: nothing here is secret.
        ref = _reference(conn, random.Random(seed), projects, themes, now, counts)  # noqa: S311
        first = {t: _next_id(conn, t) for t in _WITH_IDS}
        ids = Ids(first)
        bias = current_bias(conn)
        for start in range(0, projects, BATCH):
            rows = Rows()
            for index in range(start, min(start + BATCH, projects)):
                # One stream per project, so a project's rows depend only on the seed and
                # its number: a change to one kind of record does not reshuffle the rest.
                rng = random.Random(seed << 40 | index)  # noqa: S311
                ProjectBuilder(rng, ref, ids, rows).build()
            _insert(conn, rows, counts)
            # Their figures, kept as every service keeps them (inset.economics.stored).
            refresh_projects(conn, [row["id"] for row in rows.tables["project"]], bias)
            if progress is not None:
                progress(min(BATCH, projects - start))
        _restart_sequences(conn, counts)
        _audit(session, seed, now.date(), counts, first["project"], projects)
    _analyze(engine, counts)
    return Summary(seed=seed, counts=counts)


def _analyze(engine: Engine, counts: dict[str, int]) -> None:
    """Gives PostgreSQL's planner statistics of the tables just filled, as after any bulk
    load: without them (autovacuum off, or not yet run) it takes them for near empty and
    may plan a join as a nested loop over every row of both sides.

    SQLite is left alone: its planner needs no statistics to use these indexes, and
    `ANALYZE` there would change the plans of every other query for good.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        tables = [*(t for t in counts if counts[t]), "project_economics"]
        conn.execute(sa.text(f"ANALYZE {', '.join(tables)}"))
        conn.commit()


def _next_id(conn: sa.Connection, table: str) -> int:
    current = conn.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar()  # noqa: S608
    return int(current or 0) + 1


def _insert(conn: sa.Connection, rows: Rows, counts: dict[str, int]) -> None:
    for table in TABLES:
        batch = rows.tables[table]
        if batch:
            conn.execute(sa.insert(SQLModel.metadata.tables[table]), batch)
            counts[table] = counts.get(table, 0) + len(batch)


def _reference(
    conn: sa.Connection,
    rng: random.Random,
    projects: int,
    themes: Sequence[str],
    now: datetime,
    counts: dict[str, int],
) -> Reference:
    """Themes (reused by slug when they exist) and organisations."""
    found: dict[str, int] = {}
    for slug, theme_id in conn.execute(sa.text("SELECT slug, id FROM theme")):
        found[slug] = theme_id
    theme_rows: list[dict[str, Any]] = []
    theme_ids: list[tuple[int, str]] = []
    next_theme = _next_id(conn, "theme")
    for name in dict.fromkeys(n.strip() for n in themes if n.strip()):
        slug = slugify(name)
        if slug not in found:
            found[slug] = next_theme
            theme_rows.append({"id": next_theme, "name": name, "slug": slug})
            next_theme += 1
        theme_ids.append((found[slug], name))
    if theme_rows:
        conn.execute(sa.insert(SQLModel.metadata.tables["theme"]), theme_rows)
    counts["theme"] = len(theme_rows)
    taken = {n.lower() for (n,) in conn.execute(sa.text("SELECT name FROM organisation"))}
    orgs = _organisations(rng, organisation_count(projects), _next_id(conn, "organisation"), taken)
    origin = now - timedelta(days=ORIGIN_DAYS)
    conn.execute(
        sa.insert(SQLModel.metadata.tables["organisation"]),
        [
            {
                "id": org.id,
                "name": org.name,
                "kind": org.kind,
                "region": region,
                "created_at": origin + timedelta(seconds=rng.randrange(30 * 86_400)),
                "archived_at": None,
            }
            for org, region in orgs
        ],
    )
    counts["organisation"] = len(orgs)
    total, weights = 0.0, []
    for org, _ in orgs:
        total += words.KINDS[org.kind].leads * rng.lognormvariate(0, 0.8)
        weights.append(total)
    return Reference(tuple(o for o, _ in orgs), tuple(weights), tuple(theme_ids), now)


def _organisations(
    rng: random.Random, count: int, first_id: int, taken: set[str]
) -> list[tuple[Org, str]]:
    """Named from made-up places; a name already in the database is never reused."""
    kinds = {kind: k.share for kind, k in words.KINDS.items()}
    regions = dict(words.REGIONS)
    made: list[tuple[Org, str]] = []
    while len(made) < count:
        kind, region = weighted(rng, kinds), weighted(rng, regions)
        place = rng.choice(words.PLACES)
        template = rng.choice(words.KINDS[kind].names)
        if kind is OrganisationKind.LOCAL_AUTHORITY and region == "London":
            template = words.LONDON_COUNCIL
        name = template.format(p=place)
        if name.lower() in taken:
            continue
        taken.add(name.lower())
        made.append((Org(first_id + len(made), kind, place, name), region))
    return made


def _restart_sequences(conn: sa.Connection, counts: dict[str, int]) -> None:
    """PostgreSQL's id sequences do not see ids written explicitly: move them past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("organisation", "theme", *_WITH_IDS):
        if counts.get(table):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )


def _audit(
    session: Session, seed: int, today: date, counts: dict[str, int], first: int, projects: int
) -> None:
    from inset.audit.models import AuditEvent

    changes: dict[str, Any] = {"seed": [None, seed], "today": [None, today.isoformat()]}
    changes |= {table: [None, n] for table, n in counts.items()}
    changes["project_ids"] = [None, [first, first + projects - 1]]
    session.add(
        AuditEvent(
            action="portfolio.generate",
            entity_type="Portfolio",
            entity_id=0,  # no one record: the event covers everything generated
            organisation_id=None,
            changes=changes,
        )
    )
