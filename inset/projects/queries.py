from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence

import sqlalchemy as sa
import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.ids import ids_of
from inset.graphql.relay import Connection, connection, node_fields
from inset.organisations.loaders import organisation_by_id
from inset.pagination import PageRequest, SortKey, count, fetch_page
from inset.projects import models, service
from inset.projects.loaders import partners_by_project, themes_by_project
from inset.projects.types import OrderDirection, Project, ProjectFilter, ProjectOrder


def _order(order: ProjectOrder | None) -> list[SortKey]:
    order = order or ProjectOrder()
    column = getattr(models.Project, str(order.field.value))
    descending = order.direction is OrderDirection.DESC
    return [SortKey(column, descending), SortKey(models.Project.id, descending)]


def filtered_projects(
    info: Info, filter: ProjectFilter | None, *, led_by: int | None = None
) -> sa.Select[models.Project]:
    """The readable projects matching a `ProjectFilter`: one mapping for every caller."""
    f = filter or ProjectFilter()
    return service.project_list(
        actor=info.context.actor,
        stages=f.stages,
        statuses=f.statuses,
        theme_ids=ids_of(f.themes, "Theme"),
        organisation_ids=ids_of(f.organisations, "Organisation"),
        organisation_kinds=f.organisation_kinds,
        sectors=f.sectors,
        regions=f.regions,
        innovation_types=f.innovation_types,
        min_evidence_level=f.min_evidence_level,
        visibility=f.visibility,
        search=f.search,
        updated_since=f.updated_since,
        led_by=led_by,
    )


async def list_projects(
    info: Info,
    *,
    filter: ProjectFilter | None,
    order: ProjectOrder | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    organisation_pk: int | None = None,
) -> Connection[Project]:
    stmt = filtered_projects(info, filter, led_by=organisation_pk)
    keys = _order(order)
    session = info.context.session
    page = fetch_page(
        session,
        stmt,
        keys,
        PageRequest.from_args(first=first, after=after, last=last, before=before),
        lambda row: tuple(getattr(row, k.column.key) for k in keys),
    )

    async def total() -> int:
        return count(session, stmt)

    await prefetch(info, page.rows)
    return connection(page, Project.from_model, total)


async def prefetch(info: Info, rows: Sequence[models.Project]) -> None:
    """Loads the relations that the query asks of each project for the whole page at
    once, so that those fields resolve without waiting (see inset.graphql.loaders).

    The same statements as the fields would issue themselves, only sooner: the count of
    statements stays that of the query's shape, whatever the page size.
    """
    from inset.economics.loaders import live_benefits_by_project, live_costs_by_project

    if not rows:  # nothing to load: and no coroutine made that nobody would await
        return
    asked = node_fields(info)
    loaders = info.context.loaders
    ids = [pk(row) for row in rows]
    loads: list[Awaitable[None]] = []
    if "themes" in asked:
        loads.append(loaders.prefetch(themes_by_project, ids))
    if "partners" in asked:
        loads.append(loaders.prefetch(partners_by_project, ids))
    if "leadOrganisation" in asked:
        leads = [row.lead_organisation_id for row in rows]
        loads.append(loaders.prefetch(organisation_by_id, leads))
    if "economics" in asked:
        loads.append(loaders.prefetch(live_costs_by_project, ids))
        loads.append(loaders.prefetch(live_benefits_by_project, ids))
    if loads:
        await asyncio.gather(*loads)


async def projects_of_organisation(
    info: Info, organisation_pk: int, *, first: int | None, after: str | None
) -> Connection[Project]:
    return await list_projects(
        info, filter=None, first=first, after=after, organisation_pk=organisation_pk
    )


@strawberry.type
class ProjectQuery:
    @strawberry.field(
        description="Projects you may read; newest first by default (`orderBy` CREATED_AT, "
        "DESC), an order in which paging never skips or repeats a project however others "
        "edit meanwhile (see ProjectOrderField for the orders that are not)."
    )
    async def projects(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProjectFilter | None = None,
        order_by: ProjectOrder | None = None,
    ) -> Connection[Project]:
        return await list_projects(
            info, filter=filter, order=order_by, first=first, after=after, last=last, before=before
        )
