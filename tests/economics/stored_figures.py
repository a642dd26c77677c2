"""Checks that the stored economics are current: shared by the tests of every writer."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.config import DEFAULT_OPTIMISM_BIAS
from inset.economics import calc, service, stored
from inset.economics.models import Benefit, Cost, ProjectEconomics
from inset.projects.models import Project

PENNY = Decimal("0.01")

MONEY = (
    "gross_cost",
    "total_cost",
    "gross_benefit",
    "adjusted_benefit",
    "net_benefit",
    "present_value_benefit",
)


def reference(engine: Engine, bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS) -> dict[int, Any]:
    """Every project's figures as the API works them out: economics_for over its live lines."""
    with Session(engine) as session:
        found = {}
        for project in session.exec(sa.select(Project)).scalars():
            pid = project.id or 0
            costs = session.exec(service.live_costs().where(col(Cost.project_id) == pid))
            benefits = session.exec(service.live_benefits().where(col(Benefit.project_id) == pid))
            found[pid] = service.economics_for(
                costs=list(costs.scalars()),
                benefits=list(benefits.scalars()),
                project_start=project.started_on,
                optimism_bias=bias,
            )
        return found


def kept(engine: Engine) -> dict[int, calc.Economics]:
    """Every stored row, as the same figures."""
    with Session(engine) as session:
        rows = session.exec(sa.select(ProjectEconomics)).scalars()
        return {
            row.project_id: calc.Economics(
                gross_cost=row.gross_cost,
                total_cost=row.total_cost,
                gross_benefit=row.gross_benefit,
                adjusted_benefit=row.adjusted_benefit,
                net_benefit=row.net_benefit,
                benefit_cost_ratio=row.benefit_cost_ratio,
                fiscal_roi=row.fiscal_roi,
                payback_months=row.payback_months,
                present_value_benefit=row.present_value_benefit,
            )
            for row in rows
        }


def assert_current(engine: Engine, bias: Sequence[Decimal] = DEFAULT_OPTIMISM_BIAS) -> None:
    """Every project has its row, equal to the reference, each amount a whole number of pence."""
    expected, found = reference(engine, bias), kept(engine)
    assert found == expected
    for figures in found.values():
        for name in MONEY:
            amount = getattr(figures, name)
            assert amount == amount.quantize(PENNY), (name, amount)
    with Session(engine) as session:
        bases = set(session.exec(sa.select(ProjectEconomics.basis)).scalars())
    assert bases <= {stored.basis_of(bias)}
