from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectPartner, ProjectTheme
from inset.themes.models import Theme


def project_by_id(context: Context) -> DataLoader[int, Project | None]:
    """Live projects the viewer may read; anything else loads as None (absent)."""
    return rows_by_id(context, sa.select(Project).where(live_project(context.actor)), Project.id)


def _linked(
    context: Context, entity: Any, project_column: Mapped[int], linked_column: Mapped[int]
) -> DataLoader[int, list[Any]]:
    """The `entity` rows a link table joins to each project id, in the order of their ids.

    One statement for the link and the rows together: a page's partners (or themes) come
    in one round trip, not one for the links and another for what they point at.
    """

    async def batch(project_ids: list[int]) -> list[list[Any]]:
        found: dict[int, list[Any]] = {pid: [] for pid in project_ids}
        rows = context.session.execute(
            sa.select(project_column, entity)
            .join(entity, entity.id == linked_column)
            .where(project_column.in_(project_ids))
            .order_by(project_column, linked_column)
        ).all()
        for project_id, linked in rows:
            found[project_id].append(linked)
        return [found[pid] for pid in project_ids]

    return DataLoader(load_fn=batch)


def partners_by_project(context: Context) -> DataLoader[int, list[Organisation]]:
    # Organisations are members of a public programme: their names are readable by all.
    return _linked(
        context, Organisation, col(ProjectPartner.project_id), col(ProjectPartner.organisation_id)
    )


def themes_by_project(context: Context) -> DataLoader[int, list[Theme]]:
    return _linked(context, Theme, col(ProjectTheme.project_id), col(ProjectTheme.theme_id))


def replications_by_project(context: Context) -> DataLoader[int, list[Project]]:
    """The live replications of each project that the viewer may read, oldest first."""
    from inset.projects.replication import readable_replications

    async def batch(project_ids: list[int]) -> list[list[Project]]:
        found: dict[int, list[Project]] = {pid: [] for pid in project_ids}
        for row in context.session.scalars(
            readable_replications(actor=context.actor, project_ids=project_ids)
        ):
            found[row.replicated_from_id or 0].append(row)
        return [found[pid] for pid in project_ids]

    return DataLoader(load_fn=batch)
