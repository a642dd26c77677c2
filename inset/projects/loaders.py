from __future__ import annotations

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.access import live_project
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id
from inset.projects.models import Project, ProjectPartner, ProjectTheme


def project_by_id(context: Context) -> DataLoader[int, Project | None]:
    """Live projects the viewer may read; anything else loads as None (absent)."""
    return rows_by_id(context, sa.select(Project).where(live_project(context.actor)), Project.id)


def _links(context: Context, column: sa.Column[int], table: type) -> DataLoader[int, list[int]]:
    async def batch(project_ids: list[int]) -> list[list[int]]:
        found: dict[int, list[int]] = {pid: [] for pid in project_ids}
        rows = context.session.execute(
            sa.select(table.project_id, column)  # type: ignore[attr-defined]
            .where(table.project_id.in_(project_ids))  # type: ignore[attr-defined]
            .order_by(table.project_id, column)  # type: ignore[attr-defined]
        ).all()
        for project_id, linked in rows:
            found[project_id].append(linked)
        return [found[pid] for pid in project_ids]

    return DataLoader(load_fn=batch)


def partner_ids_by_project(context: Context) -> DataLoader[int, list[int]]:
    return _links(context, ProjectPartner.organisation_id, ProjectPartner)  # type: ignore[arg-type]


def theme_ids_by_project(context: Context) -> DataLoader[int, list[int]]:
    return _links(context, ProjectTheme.theme_id, ProjectTheme)  # type: ignore[arg-type]


