from __future__ import annotations

from typing import Annotated

import strawberry

from inset.db import utcnow
from inset.graphql.context import Info
from inset.portfolio.types import Portfolio
from inset.projects.period import Period
from inset.projects.queries import filtered_projects
from inset.projects.types import ProjectFilter


@strawberry.type
class PortfolioQuery:
    @strawberry.field(
        description="Figures over the projects you may read that match the filter (the "
        "same filter and the same projects as `projects`). A period (filter.from/to) "
        "selects the projects under way in it; of the figures, entries, topBarriers, "
        "topEnablers and successStories also count only what happened in it, and the "
        "rest are as of now (asOf). Anyone may ask: anonymous callers get figures over "
        "PUBLIC projects, members over what their role lets them read, STAFF over all."
    )
    def portfolio(
        self,
        info: Info,
        filter: Annotated[
            ProjectFilter | None,
            strawberry.argument(
                description="Which projects to count, as `projects` takes it; none: every "
                "live project you may read."
            ),
        ] = None,
    ) -> Portfolio:
        projects = filtered_projects(info, filter)
        period = Period.of(filter.from_, filter.to, ("filter",)) if filter else None
        return Portfolio(projects=projects, memo={}, period=period, as_of=utcnow())
