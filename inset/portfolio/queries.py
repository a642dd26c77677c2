from __future__ import annotations

import strawberry

from inset.db import utcnow
from inset.graphql.context import Info
from inset.portfolio.types import Portfolio
from inset.projects.queries import filtered_projects
from inset.projects.types import ProjectFilter


@strawberry.type
class PortfolioQuery:
    @strawberry.field(
        description="Figures over the projects you may read that match the filter (the "
        "same filter and the same projects as `projects`)."
    )
    def portfolio(self, info: Info, filter: ProjectFilter | None = None) -> Portfolio:
        projects = filtered_projects(info, filter)
        return Portfolio(projects=projects, memo={}, as_of=utcnow())
