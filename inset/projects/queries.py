from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Annotated

import sqlalchemy as sa
import strawberry

from inset.access import Actor
from inset.db import pk, utcnow
from inset.graphql.codes import RequestErrorCode
from inset.graphql.context import Info
from inset.graphql.descriptions import After, Before, First, Last
from inset.graphql.errors import graphql_error
from inset.graphql.ids import ids_of
from inset.graphql.relay import Connection, connection, node_fields
from inset.organisations.loaders import organisation_by_id
from inset.pagination import PageRequest, SortKey, count, fetch_page
from inset.projects import filters, models, service
from inset.projects.loaders import partners_by_project, themes_by_project
from inset.projects.period import Period
from inset.projects.types import OrderDirection, Project, ProjectFilter, ProjectOrder


def sort_keys(order: ProjectOrder | None) -> list[SortKey]:
    order = order or ProjectOrder()
    column = getattr(models.Project, str(order.field.value))
    descending = order.direction is OrderDirection.DESC
    return [SortKey(column, descending), SortKey(models.Project.id, descending)]


def filtered_projects(
    info: Info, filter: ProjectFilter | None, *, led_by: int | None = None
) -> sa.Select[models.Project]:
    """The readable projects matching a `ProjectFilter`: one mapping for every caller."""
    return select_projects(info.context.actor, filter, led_by=led_by)


def select_projects(
    actor: Actor, filter: ProjectFilter | None, *, led_by: int | None = None
) -> sa.Select[models.Project]:
    """`filtered_projects` for callers outside GraphQL (downloads)."""
    f = filter or ProjectFilter()
    period = Period.of(f.from_, f.to, ("filter",))
    extra = []
    if f.entered_stage is not None:
        extra.append(filters.entered_stage(f.entered_stage, period))
    if f.gate is not None:
        extra.append(filters.gate_outcome(f.gate.stage, f.gate.outcome))
    if f.with_theme is not None:
        theme = (ids_of([f.with_theme], "Theme") or [-1])[0] if f.with_theme else None
        extra.append(filters.with_theme(theme))
    if f.no_decision_for_days is not None:
        extra.append(filters.no_decision_for(f.no_decision_for_days, utcnow()))
    themes = [t for t in f.themes or [] if t]
    return service.project_list(
        actor=actor,
        stages=f.stages,
        statuses=f.statuses,
        theme_ids=ids_of(themes, "Theme"),
        without_theme="" in (f.themes or []),
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
        external_ids=_external_ids(f.external_ids),
        period=period,
        evidence_levels=f.evidence_levels,
        extra=extra,
    )


def _external_ids(keys: list[str] | None) -> list[str] | None:
    if keys is not None and len(keys) > MAX_EXTERNAL_IDS:
        raise graphql_error(
            f"filter.externalIds takes at most {MAX_EXTERNAL_IDS} keys",
            RequestErrorCode.BAD_USER_INPUT,
        )
    return [k.strip() for k in keys] if keys else None


MAX_EXTERNAL_IDS = 100


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
    keys = sort_keys(order)
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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            ProjectFilter | None,
            strawberry.argument(description="Only the projects matching it; all if null."),
        ] = None,
        order_by: Annotated[
            ProjectOrder | None,
            strawberry.argument(description="Default: CREATED_AT, DESC (newest first)."),
        ] = None,
    ) -> Connection[Project]:
        return await list_projects(
            info, filter=filter, order=order_by, first=first, after=after, last=last, before=before
        )
