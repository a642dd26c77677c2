"""Staff reports: the portfolio and the lessons as CSV or JSON (`inset export`).

Memory stays flat however large the portfolio: each report is a few statements streamed
side by side in one snapshot (server-side cursors on PostgreSQL), all ordered by the same
id, and every row is written as soon as its last piece has arrived. A project's costs and
benefits are read with it, in the same order, to work out its economics exactly as the
API does (`inset.economics.calc` over its live lines, with the configured optimism bias).

The reports run as the system, with staff rights: they hold every live (not archived)
record, private ones included. `public_only` narrows them to what an anonymous reader may
read, with the anonymisation outsiders get. In the full report too, an anonymised lesson
leaves its project and organisation blank, because report files travel beyond Inset; its
organisation's kind and region stay, as readers outside the project see them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from inset.access import ANONYMOUS, SYSTEM, Actor, live_project
from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import utcnow
from inset.economics.calc import BenefitLine, CostLine, compute_economics
from inset.economics.models import Benefit, Cost
from inset.economics.service import live_benefit_lines, live_cost_lines, pounds, share
from inset.ids import to_global_id
from inset.lessons.models import Barrier, Lesson, LessonBarrier
from inset.lessons.service import effective_visibility, lesson_is_readable
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectPartner, ProjectTheme, Visibility
from inset.themes.models import Theme

Report = Literal["portfolio", "lessons"]
Format = Literal["csv", "json"]
Row = dict[str, Any]


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PORTFOLIO_COLUMNS = _names(
    "id title stage status visibility lead_organisation lead_organisation_kind region themes "
    "partner_count evidence_level started_on stage_entered_at days_in_stage last_decision_at "
    "total_cost adjusted_benefit net_benefit benefit_cost_ratio"
)
LESSON_COLUMNS = _names(
    "id project_id organisation organisation_kind region stage kind title body barriers "
    "project_status visibility recorded_on"
)
COLUMNS: dict[Report, tuple[str, ...]] = {
    "portfolio": PORTFOLIO_COLUMNS,
    "lessons": LESSON_COLUMNS,
}
STREAM = {"stream_results": True, "yield_per": 2_000}
PROGRESS_EVERY = 1_000
_PENNY = Decimal("0.01")
_BARRIER_ORDER = {b: n for n, b in enumerate(Barrier)}


def export(
    engine: Engine,
    report: Report,
    fmt: Format,
    out: TextIO,
    *,
    public_only: bool = False,
    optimism_bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> int:
    """Writes the report to `out` and returns how many rows it wrote.

    `total` is called first with the number of rows to come, then `progress` with the
    rows written so far in steps (both for a progress bar). CSV has a header row; JSON
    is one array of objects, written as the rows come. Money is in pounds with two
    decimal places, timestamps are ISO 8601 in UTC, and a blank is an empty CSV field or
    a JSON null; themes and barriers are joined with "; " in CSV and lists in JSON.
    """
    actor = ANONYMOUS if public_only else SYSTEM
    with snapshot(engine) as conn:
        if total is not None:
            total(count_rows(conn, report, actor))
        if report == "portfolio":
            rows = portfolio_rows(conn, actor=actor, optimism_bias=optimism_bias, now=utcnow())
        else:
            rows = lesson_rows(conn, actor=actor)
        write = write_csv if fmt == "csv" else write_json
        return write(_counted(rows, progress), COLUMNS[report], out)


def snapshot(engine: Engine) -> sa.Connection:
    """A connection whose statements all read one snapshot of the database.

    SQLite gives one to every statement of a transaction; PostgreSQL, by default, one per
    statement, so there the transaction is REPEATABLE READ (and read only). Its cursors
    are planned for reading every row, as a report does, not for a quick first page.
    """
    conn = engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        conn.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    return conn


def count_rows(conn: sa.Connection, report: Report, actor: Actor) -> int:
    if report == "portfolio":
        stmt = sa.select(sa.func.count()).select_from(Project).where(live_project(actor))
    else:
        stmt = (
            sa.select(sa.func.count())
            .select_from(Lesson)
            .join(Project, col(Project.id) == col(Lesson.project_id))
            .where(lesson_is_readable(actor))
        )
    return int(conn.execute(stmt).scalar_one())


class _Children:
    """A stream of rows ordered by their parent's id (the first column), handed out one
    parent at a time while the parents stream past in the same order.

    The rows of parents not in the report (archived, or not readable) are passed over, so
    a child stream needs no join to its parents: a plain scan in index order, which no
    stale statistics can turn into a slow plan.
    """

    def __init__(self, rows: Iterator[sa.Row[Any]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def of(self, parent_id: int) -> list[sa.Row[Any]]:
        found: list[sa.Row[Any]] = []
        while self._next is not None and self._next[0] <= parent_id:
            if self._next[0] == parent_id:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _stream(conn: sa.Connection, opened: ExitStack, stmt: sa.Executable) -> Iterator[sa.Row[Any]]:
    """The rows as they come; `opened` closes the cursor, read to its end or not."""
    result = conn.execute(stmt, execution_options=STREAM)
    opened.callback(result.close)
    return iter(result)


def portfolio_rows(
    conn: sa.Connection,
    *,
    actor: Actor,
    optimism_bias: Sequence[Decimal],
    now: datetime,
    selection: sa.Select[Any] | None = None,
) -> Iterator[Row]:
    """One row per live project the actor may read, by id; `days_in_stage` counts to `now`.

    `selection`, a `project_list` select (readable by the actor, filtered), narrows the
    report to those projects.
    """
    with ExitStack() as opened:
        scope = live_project(actor)
        if selection is not None:
            ids = selection.with_only_columns(col(Project.id))
            scope = sa.and_(scope, col(Project.id).in_(ids))
        partners = (
            sa.select(sa.func.count())
            .where(col(ProjectPartner.project_id) == col(Project.id))
            .scalar_subquery()
            .label("partner_count")
        )
        projects = _stream(
            conn,
            opened,
            sa.select(
                col(Project.id),
                col(Project.title),
                col(Project.stage),
                col(Project.status),
                col(Project.visibility),
                col(Organisation.name),
                col(Organisation.kind),
                col(Organisation.region),
                partners,
                col(Project.evidence_level),
                col(Project.started_on),
                col(Project.stage_entered_at),
                col(Project.last_decision_at),
            )
            .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
            .where(scope)
            .order_by(col(Project.id)),
        )
        # The incubator's streams: a short list, whatever the size of the portfolio.
        theme_names = {
            t.id: t.name for t in conn.execute(sa.select(col(Theme.id), col(Theme.name)))
        }
        themes = _Children(
            _stream(
                conn,
                opened,
                sa.select(col(ProjectTheme.project_id), col(ProjectTheme.theme_id)).order_by(
                    col(ProjectTheme.project_id), col(ProjectTheme.theme_id)
                ),
            )
        )
        costs = _Children(
            _stream(
                conn,
                opened,
                live_cost_lines().order_by(
                    col(Cost.project_id), col(Cost.recorded_at), col(Cost.id)
                ),
            )
        )
        benefits = _Children(
            _stream(
                conn,
                opened,
                live_benefit_lines().order_by(
                    col(Benefit.project_id), col(Benefit.recorded_at), col(Benefit.id)
                ),
            )
        )
        for p in projects:
            figures = compute_economics(
                costs=[CostLine(pounds(c.amount_pence), c.confidence) for c in costs.of(p.id)],
                benefits=[_benefit_line(b) for b in benefits.of(p.id)],
                project_start=p.started_on,
                optimism_bias=optimism_bias,
            )
            yield {
                "id": to_global_id("Project", p.id),
                "title": p.title,
                "stage": p.stage,
                "status": p.status,
                "visibility": p.visibility,
                "lead_organisation": p.name,
                "lead_organisation_kind": p.kind,
                "region": p.region,
                "themes": sorted(theme_names[t.theme_id] for t in themes.of(p.id)),
                "partner_count": p.partner_count,
                "evidence_level": p.evidence_level,
                "started_on": p.started_on,
                "stage_entered_at": p.stage_entered_at,
                "days_in_stage": (now - p.stage_entered_at).days,
                "last_decision_at": p.last_decision_at,
                "total_cost": figures.total_cost.quantize(_PENNY),
                "adjusted_benefit": figures.adjusted_benefit.quantize(_PENNY),
                "net_benefit": figures.net_benefit.quantize(_PENNY),
                "benefit_cost_ratio": figures.benefit_cost_ratio,
            }


def _benefit_line(row: sa.Row[Any]) -> BenefitLine:
    """As `inset.economics.service.benefit_line` makes it from a Benefit."""
    return BenefitLine(
        amount=None if row.amount_pence is None else pounds(row.amount_pence),
        kind=row.kind.value,
        deadweight=share(row.deadweight_bp),
        attribution=share(row.attribution_bp),
        confidence=row.confidence,
        period_start=row.period_start,
        period_end=row.period_end,
    )


def lesson_rows(
    conn: sa.Connection, *, actor: Actor, conditions: Sequence[Any] = ()
) -> Iterator[Row]:
    """One row per live lesson the actor may read, by id (module docstring for blanks);
    `conditions` on `lesson` and its `project` narrow them."""
    with ExitStack() as opened:
        readable = sa.and_(lesson_is_readable(actor), *conditions)
        lessons = _stream(
            conn,
            opened,
            sa.select(
                col(Lesson.id),
                col(Lesson.project_id),
                col(Lesson.anonymised),
                col(Lesson.shared_with),
                col(Lesson.stage),
                col(Lesson.kind),
                col(Lesson.title),
                col(Lesson.body),
                col(Lesson.recorded_at),
                col(Project.status),
                col(Project.visibility),
                col(Organisation.name),
                col(Organisation.kind).label("organisation_kind"),
                col(Organisation.region),
            )
            .join(Project, col(Project.id) == col(Lesson.project_id))
            .join(Organisation, col(Organisation.id) == col(Project.lead_organisation_id))
            .where(readable)
            .order_by(col(Lesson.id)),
        )
        barriers = _Children(
            _stream(
                conn,
                opened,
                sa.select(col(LessonBarrier.lesson_id), col(LessonBarrier.barrier)).order_by(
                    col(LessonBarrier.lesson_id)
                ),
            )
        )
        for lesson in lessons:
            # An anonymised lesson names neither, whoever reads the file and whatever the
            # project's visibility (module docstring). Otherwise anonymous readers see the
            # project only when they may read it (it is PUBLIC), as in the API.
            organisation_shown = not lesson.anonymised
            project_shown = organisation_shown and (
                not actor.is_anonymous or lesson.visibility is Visibility.PUBLIC
            )
            tags = sorted(
                (b.barrier for b in barriers.of(lesson.id)), key=_BARRIER_ORDER.__getitem__
            )
            yield {
                "id": to_global_id("Lesson", lesson.id),
                "project_id": to_global_id("Project", lesson.project_id) if project_shown else None,
                "organisation": lesson.name if organisation_shown else None,
                "organisation_kind": lesson.organisation_kind,
                "region": lesson.region,
                "stage": lesson.stage,
                "kind": lesson.kind,
                "title": lesson.title,
                "body": lesson.body,
                "barriers": [b.value for b in tags],
                "project_status": lesson.status,
                "visibility": effective_visibility(lesson.visibility, lesson.shared_with),
                "recorded_on": lesson.recorded_at.date(),
            }


def _counted(rows: Iterator[Row], progress: Callable[[int], None] | None) -> Iterator[Row]:
    if progress is None:
        yield from rows
        return
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if done % PROGRESS_EVERY:
        progress(done % PROGRESS_EVERY)


def text(value: Any) -> str:
    """A value as a CSV field."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _plain(value: Any) -> Any:
    """A value as JSON: money as an exact string, like the API's Decimal."""
    if isinstance(value, (Decimal, date, datetime, Enum)):
        return text(value)
    return value


def write_csv(rows: Iterator[Row], columns: Sequence[str], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    written = 0
    for row in rows:
        writer.writerow([text(row[c]) for c in columns])
        written += 1
    return written


def write_json(rows: Iterator[Row], columns: Sequence[str], out: TextIO) -> int:
    """A JSON array, one object a line, written row by row."""
    out.write("[")
    written = 0
    for row in rows:
        out.write(",\n" if written else "\n")
        out.write(json.dumps({c: _plain(row[c]) for c in columns}, ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written
