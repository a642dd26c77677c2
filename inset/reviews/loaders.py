from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.graphql.context import Context
from inset.projects.models import Project
from inset.reviews.models import GateReview
from inset.reviews.panels import is_open
from inset.reviews.reads import readable_reviews


def gate_review_by_id(context: Context) -> DataLoader[int, GateReview | None]:
    """Reviews whose contents the viewer may read (inset.reviews.reads), of live projects
    they may read; anything else loads as None."""

    async def batch(ids: list[int]) -> list[GateReview | None]:
        rows = list(
            context.session.scalars(
                sa.select(GateReview)
                .join(Project, col(Project.id) == col(GateReview.project_id))
                .where(col(GateReview.id).in_(ids), live_project(context.actor))
            )
        )
        found = {
            row.id: row
            for row in readable_reviews(session=context.session, actor=context.actor, rows=rows)
        }
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=batch)


def open_reviews_by_project(context: Context) -> DataLoader[int, list[GateReview]]:
    """Every open place on a project's panels, oldest first, whatever the viewer may read
    of them: the panel's counts are for every reader of the project (the parent)."""

    async def batch(project_ids: list[int]) -> list[list[GateReview]]:
        found: dict[int, list[GateReview]] = {pid: [] for pid in project_ids}
        for row in context.session.scalars(
            sa.select(GateReview)
            .where(col(GateReview.project_id).in_(project_ids), is_open())
            .order_by(col(GateReview.id))
        ):
            found[row.project_id].append(row)
        return [found[pid] for pid in project_ids]

    return DataLoader(load_fn=batch)
