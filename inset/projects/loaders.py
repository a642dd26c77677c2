from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.projects.models import Project, ProjectPartner, ProjectTheme


def project_by_id(context: Context) -> DataLoader[int, Project | None]:
    """Live projects the viewer may read; anything else loads as None (absent)."""
    return rows_by_id(context, sa.select(Project).where(live_project(context.actor)), Project.id)


def _links(
    context: Context, project_column: Mapped[int], linked_column: Mapped[int]
) -> DataLoader[int, list[int]]:
    """The `linked_column` values of a link table's rows, for each project id."""

    async def batch(project_ids: list[int]) -> list[list[int]]:
        found: dict[int, list[int]] = {pid: [] for pid in project_ids}
        rows = context.session.execute(
            sa.select(project_column, linked_column)
            .where(project_column.in_(project_ids))
            .order_by(project_column, linked_column)
        ).all()
        for project_id, linked in rows:
            found[project_id].append(linked)
        return [found[pid] for pid in project_ids]

    return DataLoader(load_fn=batch)


def partner_ids_by_project(context: Context) -> DataLoader[int, list[int]]:
    return _links(context, col(ProjectPartner.project_id), col(ProjectPartner.organisation_id))


def theme_ids_by_project(context: Context) -> DataLoader[int, list[int]]:
    return _links(context, col(ProjectTheme.project_id), col(ProjectTheme.theme_id))
