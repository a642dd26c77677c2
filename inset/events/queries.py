from __future__ import annotations

from typing import Annotated

import strawberry

from inset.events import models, service
from inset.events.mapping import EVENT_TYPES
from inset.events.types import Event
from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.relay import Connection, connection
from inset.ids import pk_of
from inset.pagination import PageRequest, SortKey, count, fetch_page

COMMIT_ORDER = [SortKey(models.Event.id)]


@strawberry.type
class EventQuery:
    @strawberry.field(
        description="Every change you may read, oldest first, in commit order. Keep the "
        "last `endCursor` and resume `after` it: no event is ever skipped or repeated. "
        "Anyone may ask; anonymous callers see the events of PUBLIC projects and of lessons "
        "shared publicly. "
        "Types: " + ", ".join(EVENT_TYPES) + "."
    )
    async def events(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        types: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Only events of these types (any of them); null or empty: "
                "every type. A name that is not one of the types fails the field with code "
                "INVALID, so that a typo is not an empty feed."
            ),
        ] = None,
        project_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only events of this project (its records' events included). "
                "An id that is not a project, or a project you may not read, gives an "
                "empty list."
            ),
        ] = None,
    ) -> Connection[Event]:
        project_pk = None
        if project_id is not None:
            project_pk = pk_of(project_id, "Project") or -1  # not a project: no events
        stmt = service.events_for(actor=info.context.actor, types=types, project_id=project_pk)
        session = info.context.session
        page = fetch_page(
            session,
            stmt,
            COMMIT_ORDER,
            PageRequest.from_args(first=first, after=after),
            lambda row: (row.id,),
        )

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Event.from_model, total)
