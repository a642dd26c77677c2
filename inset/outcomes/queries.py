from __future__ import annotations

from inset.graphql.context import Info
from inset.outcomes.loaders import outcomes_by_project
from inset.outcomes.types import Outcome


async def outcomes_of(info: Info, project_pk: int) -> list[Outcome]:
    """`Project.outcomes`: the project's live outcomes, in the order they were defined."""
    rows = await info.context.loaders.load(outcomes_by_project, project_pk)
    return [Outcome.from_model(row) for row in rows]
