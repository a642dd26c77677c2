"""Each project's economics, stored and kept current on write (DESIGN.md section 3).

The API works a project's figures out from its lines whenever they are read: that is the
reference. The same figures, worked out by the same code (`service.economics_for`), are
also kept in `project_economics`, one row a project, so that a read can take them with a
join (a page of projects in one statement) instead of reading every line.

A row is current because every change to what the figures read rewrites it in the
change's own transaction: recording, correcting or archiving a cost or benefit line,
creating a project or changing its start date (each of those services calls
`refresh_project_economics`), and the bulk writers (`inset generate`, `inset restore`,
the migration that made the table) call `refresh_projects` for the projects they wrote.
The project's row is locked before its lines are read, so two changes to one project at
once cannot leave the figures of the first.

The optimism bias is a setting, and can differ from one run to the next. The basis the
stored figures use is kept in the database (`economics_basis`), and every row names the
basis it was worked out on. `inset serve` and `inset db upgrade` call `use_basis` with the
settings' bias before anything is served: it records that basis and recomputes, batch by
batch, every row on another one. Recomputing at start rather than lazily on read keeps
every read a plain read (no write inside a read, nothing to check row by row), and a
setting changes only with a restart. Writers without settings at hand (seeds, the
generator, a restore) then store figures on the same basis as the server. A reader that
must be sure compares a row's `basis` with `basis_of(its own bias)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, col

from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.db import transaction
from inset.economics import calc
from inset.economics.models import Benefit, Cost, EconomicsBasis, ProjectEconomics
from inset.economics.service import economics_for, live_benefit_lines, live_cost_lines
from inset.errors import Invalid
from inset.projects.models import Project

# Raised whenever the arithmetic of `calc` changes, so that the next start recomputes
# every stored row with the new code.
METHOD = 1
BATCH = 1000  # projects a statement

# The money columns are NUMERIC(18, 4) on PostgreSQL: 14 digits of pounds.
_MONEY_LIMIT = Decimal(10) ** 14
_MONEY = (
    "gross_cost",
    "total_cost",
    "gross_benefit",
    "adjusted_benefit",
    "net_benefit",
    "present_value_benefit",
)
_PREFIX = f"method {METHOD}; optimism bias in basis points by grade: "


def basis_of(optimism_bias: Sequence[Decimal]) -> str:
    """The method and optimism bias as one string: equal strings, equal figures.

    "method 1; optimism bias in basis points by grade: 0,500,1000,1500,2500,4000" for
    the default 0%, 5%, 10%, 15%, 25%, 40% (the settings allow whole basis points only).
    """
    return _PREFIX + ",".join(str(int(Decimal(b).scaleb(4))) for b in optimism_bias)


def bias_of(basis: str) -> tuple[Decimal, ...]:
    """The optimism bias a basis names, as fractions: the inverse of `basis_of`."""
    points = basis.rsplit(": ", 1)[-1]
    return tuple(Decimal(int(p)).scaleb(-4) for p in points.split(","))


def current_bias(conn: Connection) -> tuple[Decimal, ...]:
    """The optimism bias the stored figures use: the last server start's setting."""
    stored = conn.execute(
        sa.select(col(EconomicsBasis.basis)).where(col(EconomicsBasis.id) == 1)
    ).scalar()
    return DEFAULT_OPTIMISM_BIAS if stored is None else bias_of(stored)


def refresh_project_economics(*, session: Session, project_id: int) -> None:
    """Rewrites the project's stored figures from its lines as they are in this transaction.

    Every service that changes a line, or the project's start date, calls it before it
    returns, so the row commits (or rolls back) with the change.
    """
    session.flush()  # the change itself, so the lines read below include it
    conn = session.connection()
    refresh_projects(conn, [project_id], current_bias(conn))


def refresh_projects(
    conn: Connection, project_ids: Sequence[int], optimism_bias: Sequence[Decimal]
) -> None:
    """Works out and stores the figures of these projects (at most a few thousand).

    Locks their rows first (PostgreSQL; a SQLite writer has the whole database), so the
    lines read are the last committed ones and no other writer's refresh can overtake.
    """
    if not project_ids:
        return
    ids = sorted(set(project_ids))
    starts: dict[int, date] = {
        row.id: row.started_on
        for row in conn.execute(
            sa.select(col(Project.id), col(Project.started_on))
            .where(col(Project.id).in_(ids))
            .order_by(col(Project.id))
            .with_for_update()
        )
    }
    costs: dict[int, list[Any]] = defaultdict(list)
    for cost in conn.execute(live_cost_lines().where(col(Cost.project_id).in_(ids))):
        costs[cost.project_id].append(cost)
    benefits: dict[int, list[Any]] = defaultdict(list)
    for benefit in conn.execute(live_benefit_lines().where(col(Benefit.project_id).in_(ids))):
        benefits[benefit.project_id].append(benefit)
    basis = basis_of(optimism_bias)
    rows = [
        stored_values(
            project_id,
            economics_for(
                costs=costs[project_id],
                benefits=benefits[project_id],
                project_start=start,
                optimism_bias=optimism_bias,
            ),
            basis,
        )
        for project_id, start in starts.items()
    ]
    _store(conn, rows)


def stored_values(project_id: int, figures: calc.Economics, basis: str) -> dict[str, Any]:
    """The row of `project_economics` for these figures.

    A figure beyond what the column holds is refused (INVALID), so the change that would
    make it rolls back instead of failing in the database.
    """
    values: dict[str, Any] = {
        "project_id": project_id,
        "gross_cost": figures.gross_cost,
        "total_cost": figures.total_cost,
        "gross_benefit": figures.gross_benefit,
        "adjusted_benefit": figures.adjusted_benefit,
        "net_benefit": figures.net_benefit,
        "benefit_cost_ratio": figures.benefit_cost_ratio,
        "fiscal_roi": figures.fiscal_roi,
        "payback_months": figures.payback_months,
        "present_value_benefit": figures.present_value_benefit,
        "basis": basis,
    }
    for name in _MONEY:
        if abs(values[name]) >= _MONEY_LIMIT:
            raise Invalid(
                f"the project's {name.replace('_', ' ')} would reach £{_MONEY_LIMIT:,.0f}, "
                "more than Inset can hold",
                ("amount", "amount"),
            )
    return values


def _store(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Inserts the rows, or overwrites the ones already there (one statement each way)."""
    if not rows:
        return
    table = SQLModel.metadata.tables[ProjectEconomics.__tablename__]
    insert = postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)
    changed = {c.name: insert.excluded[c.name] for c in table.columns if c.name != "project_id"}
    conn.execute(insert.on_conflict_do_update(index_elements=["project_id"], set_=changed), rows)


def refresh_all(conn: Connection) -> int:
    """Recomputes every project's row on the database's basis; the number of projects.

    For a restore, whose rows come from a file: what is derived from them is worked out
    again rather than trusted.
    """
    bias = current_bias(conn)
    done, last = 0, 0
    while ids := _next_ids(conn, last):
        refresh_projects(conn, ids, bias)
        done, last = done + len(ids), ids[-1]
    return done


def _next_ids(conn: Connection, after: int) -> list[int]:
    query = (
        sa.select(col(Project.id))
        .where(col(Project.id) > after)
        .order_by(col(Project.id))
        .limit(BATCH)
    )
    return [i for i in conn.execute(query).scalars() if i is not None]


def use_basis(engine: Engine, optimism_bias: Sequence[Decimal]) -> int:
    """Makes the settings' bias the stored figures' basis, and recomputes every row on
    another basis (or missing), a batch a transaction; the number of projects recomputed.

    Run before serving: with the basis unchanged it reads one index and writes nothing.
    Stopped half-way, it leaves rows that name their old basis, and the next run goes on.
    """
    basis = basis_of(optimism_bias)
    with transaction(engine) as session:
        session.merge(EconomicsBasis(id=1, basis=basis))
    done = 0
    while True:
        with transaction(engine) as session:
            conn = session.connection()
            ids = _stale_ids(conn, basis)
            if not ids:
                return done
            refresh_projects(conn, ids, optimism_bias)
            done += len(ids)


def _stale_ids(conn: Connection, basis: str) -> list[int]:
    query = (
        sa.select(col(Project.id))
        .outerjoin(ProjectEconomics, col(ProjectEconomics.project_id) == col(Project.id))
        .where(
            sa.or_(
                col(ProjectEconomics.basis).is_(None),
                col(ProjectEconomics.basis) != basis,
            )
        )
        .order_by(col(Project.id))
        .limit(BATCH)
    )
    return [i for i in conn.execute(query).scalars() if i is not None]
