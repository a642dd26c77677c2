"""The benchmark's server: the real app, plus a bare `/floor` route for comparison.

The floor fetches the same page as the GraphQL query of bench_page.py (anonymous viewer:
PUBLIC projects, newest change first) with one hand-written statement per relation, does
the same economics arithmetic, and returns plain JSON. It exists only here.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inset.app import create_app
from inset.config import Settings
from inset.economics.calc import BenefitLine, CostLine, compute_economics
from inset.ids import to_global_id

PAGE = sa.text(
    """
    SELECT p.id, p.title, p.stage, p.status, p.evidence_level, p.started_on,
           o.id AS org_id, o.name AS org_name, o.kind AS org_kind, o.region AS org_region
    FROM project p JOIN organisation o ON o.id = p.lead_organisation_id
    WHERE p.visibility = 'PUBLIC' AND p.archived_at IS NULL
    ORDER BY p.updated_at DESC, p.id DESC LIMIT :first
    """
)
TOTAL = sa.text("SELECT count(*) FROM project WHERE visibility = 'PUBLIC' AND archived_at IS NULL")
PARTNERS = sa.text(
    "SELECT pp.project_id, o.id, o.name, o.kind FROM project_partner pp "
    "JOIN organisation o ON o.id = pp.organisation_id WHERE pp.project_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
THEMES = sa.text(
    "SELECT pt.project_id, t.id, t.name FROM project_theme pt JOIN theme t ON t.id = pt.theme_id "
    "WHERE pt.project_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
COSTS = sa.text(
    "SELECT project_id, amount_pence, confidence FROM cost "
    "WHERE archived_at IS NULL AND project_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
BENEFITS = sa.text(
    "SELECT project_id, amount_pence, kind, deadweight_bp, attribution_bp, confidence, "
    "period_start, period_end FROM benefit WHERE archived_at IS NULL AND project_id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))


def day(value: Any) -> date | None:
    """SQLite hands raw SQL dates back as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def money(value: Decimal) -> dict[str, str]:
    return {"amount": str(value)}


def floor_page(engine: Any, first: int) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(PAGE, {"first": first}).mappings().all()
        total = conn.execute(TOTAL).scalar_one()
        ids = [r["id"] for r in rows] or [0]
        partners, themes = defaultdict(list), defaultdict(list)
        costs, benefits = defaultdict(list), defaultdict(list)
        for pid, oid, name, kind in conn.execute(PARTNERS, {"ids": ids}):
            partners[pid].append(
                {"id": to_global_id("Organisation", oid), "name": name, "kind": kind}
            )
        for pid, tid, name in conn.execute(THEMES, {"ids": ids}):
            themes[pid].append({"id": to_global_id("Theme", tid), "name": name})
        for pid, pence, grade in conn.execute(COSTS, {"ids": ids}):
            costs[pid].append(CostLine(amount=Decimal(pence) / 100, confidence=grade))
        for pid, pence, kind, dw, at, grade, start, end in conn.execute(BENEFITS, {"ids": ids}):
            benefits[pid].append(
                BenefitLine(
                    amount=None if pence is None else Decimal(pence) / 100,
                    kind=kind,
                    deadweight=Decimal(dw) / 10_000,
                    attribution=Decimal(at) / 10_000,
                    confidence=grade,
                    period_start=day(start),
                    period_end=day(end),
                )
            )
    nodes = []
    for r in rows:
        e = compute_economics(
            costs=costs[r["id"]], benefits=benefits[r["id"]], project_start=day(r["started_on"])
        )
        nodes.append(
            {
                "id": to_global_id("Project", r["id"]),
                "title": r["title"],
                "stage": r["stage"],
                "status": r["status"],
                "evidenceLevel": r["evidence_level"],
                "leadOrganisation": {
                    "id": to_global_id("Organisation", r["org_id"]),
                    "name": r["org_name"],
                    "kind": r["org_kind"],
                    "region": r["org_region"],
                },
                "partners": partners[r["id"]],
                "themes": themes[r["id"]],
                "economics": {
                    "totalCost": money(e.total_cost),
                    "adjustedBenefit": money(e.adjusted_benefit),
                    "netBenefit": money(e.net_benefit),
                    "benefitCostRatio": e.benefit_cost_ratio,
                    "fiscalRoi": e.fiscal_roi,
                    "paybackMonths": e.payback_months,
                    "presentValueBenefit": money(e.present_value_benefit),
                },
            }
        )
    return {"data": {"projects": {"totalCount": total, "nodes": nodes}}}


def main() -> None:
    settings = Settings.from_env()
    app = create_app(settings)
    engine = app.state.engine

    def floor(request: Request) -> JSONResponse:
        return JSONResponse(floor_page(engine, int(request.query_params.get("first", "100"))))

    app.router.routes.append(Route("/floor", floor))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")


if __name__ == "__main__":
    main()
