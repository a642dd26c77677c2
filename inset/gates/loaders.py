from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.gates.criteria import Facts, gather_facts
from inset.gates.models import GateDecision
from inset.graphql.context import Context
from inset.graphql.loaders import counts_by_parent, pages_by_parent, rows_by_id
from inset.pagination import Page, PageRequest, SortKey
from inset.projects.models import Project

# Oldest first: a project's decisions read as its history.
OLDEST_FIRST = [SortKey(col(GateDecision.decided_at)), SortKey(col(GateDecision.id))]


def gate_decision_by_id(context: Context) -> DataLoader[int, GateDecision | None]:
    """Decisions of live projects the viewer may read; anything else loads as None."""
    stmt = (
        sa.select(GateDecision)
        .join(Project, col(Project.id) == col(GateDecision.project_id))
        .where(live_project(context.actor))
    )
    return rows_by_id(context, stmt, col(GateDecision.id))


def gate_decision_pages_by_project(
    context: Context,
) -> DataLoader[tuple[int, PageRequest], Page]:
    """A page of a project's decisions, oldest first. The project is the parent being
    resolved, so it is already known to be readable."""
    return pages_by_parent(
        context,
        sa.select(GateDecision),
        GateDecision,
        col(GateDecision.project_id),
        OLDEST_FIRST,
        lambda row: (row.decided_at, row.id),
    )


def gate_decision_count_by_project(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, sa.select(GateDecision), col(GateDecision.project_id))


def gate_facts_by_project(context: Context) -> DataLoader[int, Facts | None]:
    """What the gate criteria look at, for every project of a page in a fixed number of
    statements; None for a project the viewer may not read."""

    async def batch(project_ids: list[int]) -> list[Facts | None]:
        projects = list(
            context.session.scalars(
                sa.select(Project).where(
                    col(Project.id).in_(project_ids),
                    live_project(context.actor),
                )
            )
        )
        facts = gather_facts(
            session=context.session,
            projects=projects,
            optimism_bias=context.settings.optimism_bias,
        )
        return [facts.get(pid) for pid in project_ids]

    return DataLoader(load_fn=batch)
