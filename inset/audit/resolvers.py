"""Fields other domains' types show from the audit trail."""

from __future__ import annotations

from inset.audit import activity, models
from inset.audit.types import ActivityEntry
from inset.graphql.context import Info
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest, SortKey, count, fetch_page

NEWEST_FIRST = [SortKey(models.AuditEvent.id, descending=True)]


def _entry(row: models.AuditEvent) -> ActivityEntry:
    return ActivityEntry(
        account_pk=row.account_id, occurred_at=row.occurred_at, summary=activity.describe(row)
    )


async def activity_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[ActivityEntry]:
    """The project's activity, newest first; the project is one the viewer may read."""
    session = info.context.session
    stmt = activity.project_activity(project_pk)
    page = fetch_page(
        session,
        stmt,
        NEWEST_FIRST,
        PageRequest.from_args(first=first, after=after),
        lambda row: (row.id,),
    )

    async def total() -> int:
        return count(session, stmt)

    return connection(page, _entry, total)
