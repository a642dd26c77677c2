from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from inset.db import pk
from inset.events import models
from inset.graphql.context import Info
from inset.graphql.relay import Node
from inset.ids import to_global_id


@strawberry.type(
    description="A change, as partners are told of it: in commit order, never edited. "
    "`type` is one of the documented types, e.g. `project.stage_changed`. You see an "
    "event when you may read its record's project now, or its lesson is shared widely "
    "enough for you (STAFF: all); an event about an "
    "anonymised lesson only when you are STAFF or in one of its project's organisations; "
    "an event with no project (webhook_endpoint.disabled) only within its "
    "organisation."
)
class Event(Node):
    pk: strawberry.Private[int]
    subject_type: strawberry.Private[str]
    subject_pk: strawberry.Private[int]
    type: str = strawberry.field(
        description="What happened, as `<record>.<change>`, e.g. `project.stage_changed` or "
        "`cost.recorded`; one of the types listed on Query.events. The same name as the "
        "webhook's `type`."
    )
    occurred_at: datetime = strawberry.field(
        description="When the change was made (UTC), in its transaction; events are "
        "ordered by commit, which may differ from this by a transaction's length."
    )
    data: JSON = strawberry.field(
        description="What changed, in the API's field names with global ids; an update "
        "also carries `previous`, the values it replaced."
    )

    @classmethod
    def from_model(cls, row: models.Event) -> Event:
        data: Any = row.data
        return cls(
            pk=pk(row),
            subject_type=row.subject_type,
            subject_pk=row.subject_id,
            type=row.type,
            occurred_at=row.occurred_at,
            data=data,
        )

    @strawberry.field(
        description="The record the event is about, as it is now; null once archived or "
        "no longer readable (`data.id` still names it)."
    )
    async def subject(self, info: Info) -> Node | None:
        from inset.graphql.node import resolve_node

        return await resolve_node(info, to_global_id(self.subject_type, self.subject_pk))
