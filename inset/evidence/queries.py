from __future__ import annotations

from inset.evidence.loaders import evidence_count_by_project, evidence_pages_by_project
from inset.evidence.types import Evidence
from inset.graphql.context import Info
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest


async def evidence_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[Evidence]:
    """`Project.evidence`: the project's live evidence, newest first."""
    request = PageRequest.from_args(first=first, after=after)
    page = await info.context.loaders.load(evidence_pages_by_project, (project_pk, request))

    async def total() -> int:
        return await info.context.loaders.load(evidence_count_by_project, project_pk)

    return connection(page, Evidence.from_model, total)
