from __future__ import annotations

from typing import Any

from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.economics import service
from inset.economics.models import Benefit, Cost
from inset.graphql.context import Context
from inset.graphql.loaders import counts_by_parent, pages_by_parent, records_by_parent, rows_by_id
from inset.pagination import Page, PageRequest, SortKey
from inset.projects.models import Project

# Newest first; the id breaks ties between lines recorded in the same instant.
COSTS_NEWEST_FIRST = [SortKey(Cost.recorded_at, descending=True), SortKey(Cost.id, descending=True)]
BENEFITS_NEWEST_FIRST = [
    SortKey(Benefit.recorded_at, descending=True),
    SortKey(Benefit.id, descending=True),
]


def cost_by_id(context: Context) -> DataLoader[int, Cost | None]:
    """Live costs of live projects the viewer may read; anything else loads as None."""
    stmt = (
        service.live_costs()
        .join(Project, col(Project.id) == Cost.project_id)
        .where(live_project(context.actor))
    )
    return rows_by_id(context, stmt, Cost.id)


def benefit_by_id(context: Context) -> DataLoader[int, Benefit | None]:
    """Live benefits of live projects the viewer may read; anything else loads as None."""
    stmt = (
        service.live_benefits()
        .join(Project, col(Project.id) == Benefit.project_id)
        .where(live_project(context.actor))
    )
    return rows_by_id(context, stmt, Benefit.id)


# The loaders by project serve fields of a Project already resolved for the viewer, so
# they need no access check of their own.


def cost_pages_by_project(context: Context) -> DataLoader[tuple[int, PageRequest], Page]:
    return pages_by_parent(
        context,
        service.live_costs(),
        Cost,
        Cost.project_id,
        COSTS_NEWEST_FIRST,
        lambda row: (row.recorded_at, row.id),
    )


def cost_counts_by_project(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, service.live_costs(), Cost.project_id)


def benefit_pages_by_project(context: Context) -> DataLoader[tuple[int, PageRequest], Page]:
    return pages_by_parent(
        context,
        service.live_benefits(),
        Benefit,
        Benefit.project_id,
        BENEFITS_NEWEST_FIRST,
        lambda row: (row.recorded_at, row.id),
    )


def benefit_counts_by_project(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, service.live_benefits(), Benefit.project_id)


# The lines of a project's economics are read for nothing but its figures, and a page of
# projects reads hundreds of them: plain rows of the columns the figures need (see
# service.CostFigures), which cost a fraction of ORM objects to build.


def live_costs_by_project(context: Context) -> DataLoader[int, list[Any]]:
    """Every live cost of each project, oldest first: the lines of its economics."""
    stmt = service.live_cost_lines().order_by(col(Cost.recorded_at), col(Cost.id))
    return records_by_parent(context, stmt, Cost.project_id)


def live_benefits_by_project(context: Context) -> DataLoader[int, list[Any]]:
    """Every live benefit of each project, oldest first: the lines of its economics."""
    stmt = service.live_benefit_lines().order_by(col(Benefit.recorded_at), col(Benefit.id))
    return records_by_parent(context, stmt, Benefit.project_id)
