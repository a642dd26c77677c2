from __future__ import annotations

from typing import Annotated

import strawberry

from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.relay import Connection, connection
from inset.organisations import models, service
from inset.organisations.types import Organisation, OrganisationFilter
from inset.pagination import PageRequest, SortKey, count, fetch_page

ORDER = [SortKey(models.Organisation.name), SortKey(models.Organisation.id)]


@strawberry.type
class OrganisationQuery:
    @strawberry.field(
        description="Member organisations (not archived), ordered by name then id; readable "
        "by anyone, signed in or not."
    )
    async def organisations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            OrganisationFilter | None,
            strawberry.argument(description="Only the organisations matching it; all if null."),
        ] = None,
    ) -> Connection[Organisation]:
        session = info.context.session
        f = filter or OrganisationFilter()
        stmt = service.organisation_list(
            kinds=f.kinds, sectors=f.sectors, regions=f.regions, search=f.search
        )
        request = PageRequest.from_args(first=first, after=after)
        page = fetch_page(session, stmt, ORDER, request, lambda row: (row.name, row.id))

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Organisation.from_model, total)
