from __future__ import annotations

from typing import Annotated

import strawberry

from inset.collective.digest import build_digest
from inset.collective.service import check_year
from inset.collective.types import Collective
from inset.graphql.context import Info


@strawberry.type
class CollectiveQuery:
    @strawberry.field(
        description="The Collective digest of a year (2000..2100), as anyone may read it, "
        "whoever asks: the same for anonymous callers and STAFF."
    )
    def collective(
        self,
        info: Info,
        year: Annotated[
            int,
            strawberry.argument(
                description="The calendar year, 2000..2100 inclusive; outside it the field "
                "fails with code INVALID."
            ),
        ],
    ) -> Collective:
        digest = build_digest(
            session=info.context.session,
            year=check_year(year),
            optimism_bias=info.context.settings.optimism_bias,
        )
        return Collective.of(digest)
