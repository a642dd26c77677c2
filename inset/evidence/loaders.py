from __future__ import annotations

from strawberry.dataloader import DataLoader

from inset.evidence import service
from inset.evidence.models import Evidence
from inset.graphql.context import Context
from inset.graphql.loaders import counts_by_parent, pages_by_parent, rows_by_id
from inset.pagination import Page, PageRequest, SortKey

# Newest first; the id breaks ties between items recorded in the same instant.
NEWEST_FIRST = [
    SortKey(Evidence.recorded_at, descending=True),
    SortKey(Evidence.id, descending=True),
]


def evidence_by_id(context: Context) -> DataLoader[int, Evidence | None]:
    """Live evidence of live projects the viewer may read; anything else loads as None."""
    return rows_by_id(context, service.readable_evidence(context.actor), Evidence.id)


def evidence_pages_by_project(context: Context) -> DataLoader[tuple[int, PageRequest], Page]:
    """A page of a project's live evidence, newest first, for each (project id, request).

    The project is already known to be readable: it is the parent being resolved.
    """
    return pages_by_parent(
        context,
        service.live_evidence(),
        Evidence,
        Evidence.project_id,
        NEWEST_FIRST,
        lambda row: (row.recorded_at, row.id),
    )


def evidence_count_by_project(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, service.live_evidence(), Evidence.project_id)
