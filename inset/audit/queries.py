from __future__ import annotations

from typing import Annotated

import strawberry

from inset.audit import models, service
from inset.audit.types import AuditEvent, AuditFilter
from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.relay import Connection, connection
from inset.ids import pk_of
from inset.pagination import PageRequest, SortKey, count, fetch_page

NEWEST_FIRST = [SortKey(models.AuditEvent.id, descending=True)]


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The audit trail, newest first. STAFF: all; LEAD: their organisation's. "
        "Anyone else gets the GraphQL error FORBIDDEN."
    )
    async def audit_log(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            AuditFilter | None,
            strawberry.argument(description="Only the events matching it; all if null."),
        ] = None,
    ) -> Connection[AuditEvent]:
        f = filter or AuditFilter()
        stmt = service.audit_list(
            actor=info.context.actor,
            entity_types=f.entity_types,
            actions=f.actions,
            since=f.since,
            account_id=(pk_of(f.account_id, "Account") or -1) if f.account_id else None,
        )
        session = info.context.session
        page = fetch_page(
            session,
            stmt,
            NEWEST_FIRST,
            PageRequest.from_args(first=first, after=after),
            lambda row: (row.id,),
        )

        async def total() -> int:
            return count(session, stmt)

        return connection(page, AuditEvent.from_model, total)
