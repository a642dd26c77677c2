"""Costs, benefits and economics as fields of `Project` (see inset/projects/types.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import TypeVar

from inset.economics import service
from inset.economics.loaders import (
    benefit_counts_by_project,
    benefit_pages_by_project,
    cost_counts_by_project,
    cost_pages_by_project,
    live_benefits_by_project,
    live_costs_by_project,
)
from inset.economics.types import Benefit, Cost, Economics
from inset.graphql.context import Info
from inset.graphql.loaders import AwaitableOrValue
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest
from inset.projects.models import Project

T = TypeVar("T")


async def costs_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[Cost]:
    """The project's live costs, newest first."""
    loaders = info.context.loaders
    request = PageRequest.from_args(first=first, after=after)
    page = await loaders.load(cost_pages_by_project, (project_pk, request))

    async def total() -> int:
        return await loaders.load(cost_counts_by_project, project_pk)

    return connection(page, Cost.from_model, total)


async def benefits_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[Benefit]:
    """The project's live benefits, newest first."""
    loaders = info.context.loaders
    request = PageRequest.from_args(first=first, after=after)
    page = await loaders.load(benefit_pages_by_project, (project_pk, request))

    async def total() -> int:
        return await loaders.load(benefit_counts_by_project, project_pk)

    return connection(page, Benefit.from_model, total)


def economics_of(info: Info, project: Project) -> AwaitableOrValue[Economics]:
    """Figures from the live lines; for a page of projects, one statement each for all
    their costs and all their benefits (at once when the page has prefetched them)."""
    loaders = info.context.loaders
    project_pk = project.id or 0
    costs = loaders.now(live_costs_by_project, project_pk)
    benefits = loaders.now(live_benefits_by_project, project_pk)
    bias = info.context.settings.optimism_bias

    def figures(
        costs: Sequence[service.CostFigures], benefits: Sequence[service.BenefitFigures]
    ) -> Economics:
        return Economics.from_figures(
            service.economics_for(
                costs=costs,
                benefits=benefits,
                project_start=project.started_on,
                optimism_bias=bias,
            )
        )

    if isinstance(costs, list) and isinstance(benefits, list):
        return figures(costs, benefits)

    async def later() -> Economics:
        both = await asyncio.gather(_awaited(costs), _awaited(benefits))
        return figures(*both)

    return later()


async def _awaited(value: AwaitableOrValue[T]) -> T:
    return await value if isinstance(value, Awaitable) else value
