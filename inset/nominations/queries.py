from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import col

from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.relay import Connection, connection
from inset.nominations import service
from inset.nominations.models import Nomination as NominationRow
from inset.nominations.models import NominationStatus
from inset.nominations.types import Nomination
from inset.pagination import PageRequest, SortKey, count, fetch_page

NEWEST_FIRST = (
    SortKey(col(NominationRow.created_at), descending=True),
    SortKey(col(NominationRow.id), descending=True),
)


@strawberry.type
class NominationQuery:
    @strawberry.field(
        description="Nominated innovations, newest first (by when nominated): STAFF see "
        "every one, anyone else their own; anonymous readers none."
    )
    def nominations(
        self,
        info: Info,
        status: Annotated[
            list[NominationStatus] | None,
            strawberry.argument(
                description="Only nominations in any of these statuses; null or empty: all."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Nomination]:
        session = info.context.session
        stmt = service.readable_nominations(info.context.actor)
        if status:
            stmt = stmt.where(col(NominationRow.status).in_(status))
        request = PageRequest.from_args(first=first, after=after)
        page = fetch_page(session, stmt, NEWEST_FIRST, request, lambda r: (r.created_at, r.id))

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Nomination.from_model, total)
