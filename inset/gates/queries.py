from __future__ import annotations

from inset.db import pk
from inset.gates.loaders import (
    gate_decision_count_by_project,
    gate_decision_pages_by_project,
    gate_facts_by_project,
)
from inset.gates.service import evaluate
from inset.gates.types import GateDecision, GateReadiness
from inset.graphql.context import Info
from inset.graphql.relay import Connection, connection
from inset.pagination import PageRequest
from inset.projects.models import Project, Stage


async def readiness_of(info: Info, project: Project, to_stage: Stage | None) -> GateReadiness:
    """`Project.readiness`: batched over a page of projects by `gate_facts_by_project`."""
    facts = await info.context.loaders.load(gate_facts_by_project, pk(project))
    if facts is None:  # pragma: no cover - the project is the readable parent
        return GateReadiness(to_stage=to_stage or project.stage, ready=False, criteria=[])
    return GateReadiness.from_result(
        evaluate(
            stage=project.stage,
            to_stage=to_stage,
            facts=facts,
            review_required=info.context.settings.review_required_gates,
        )
    )


async def decisions_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[GateDecision]:
    """`Project.decisions`: the project's history, oldest first."""
    request = PageRequest.from_args(first=first, after=after)
    page = await info.context.loaders.load(gate_decision_pages_by_project, (project_pk, request))

    async def total() -> int:
        return await info.context.loaders.load(gate_decision_count_by_project, project_pk)

    return connection(page, GateDecision.from_model, total)
