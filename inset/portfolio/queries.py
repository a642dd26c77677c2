from __future__ import annotations

import strawberry

from inset.db import utcnow
from inset.graphql.context import Info
from inset.graphql.ids import ids_of
from inset.portfolio.types import Portfolio
from inset.projects import service
from inset.projects.types import ProjectFilter


@strawberry.type
class PortfolioQuery:
    @strawberry.field(
        description="Figures over the projects you may read that match the filter (the "
        "same filter and the same projects as `projects`)."
    )
    def portfolio(self, info: Info, filter: ProjectFilter | None = None) -> Portfolio:
        f = filter or ProjectFilter()
        projects = service.project_list(
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
        )
        return Portfolio(projects=projects, memo={}, as_of=utcnow())
