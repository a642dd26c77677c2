"""Fields other domains' types call: `Project.reviewPanel`, `Project.reviewerCandidates`,
`Account.reviewsToDo`, `GateDecision.panel`."""

from __future__ import annotations

from typing import Any

from inset.accounts.types import Account
from inset.db import pk
from inset.graphql.context import Info
from inset.projects.models import Project
from inset.reviews import reads
from inset.reviews.loaders import open_reviews_by_project
from inset.reviews.panels import panel_stage, state_of
from inset.reviews.types import DecisionPanel, GateReview, PanelStatus, ReviewPanel

MAX_CANDIDATES = 50


async def review_panel_of(info: Info, project: Project) -> ReviewPanel | None:
    target = panel_stage(project)
    if target is None:
        return None
    rows = await info.context.loaders.load(open_reviews_by_project, pk(project))
    panel = [r for r in rows if r.to_stage is target]
    if not panel:
        return None
    state = state_of(panel)
    return ReviewPanel(
        review_pks=[pk(r) for r in panel],
        to_stage=target,
        appointed=state.appointed,
        submitted=state.submitted,
        status=PanelStatus.COMPLETE if state.complete else PanelStatus.IN_PROGRESS,
        required=project.stage.value in info.context.settings.review_required_gates,
    )


def reviewer_candidates_of(
    info: Info, project: Project, search: str | None, first: int
) -> list[Account]:
    rows = reads.reviewer_candidates(
        session=info.context.session,
        actor=info.context.actor,
        project=project,
        search=search,
        limit=max(1, min(first, MAX_CANDIDATES)),
    )
    return [Account.from_model(r) for r in rows]


def reviews_to_do_of(info: Info, account_pk: int) -> list[GateReview]:
    if info.context.actor.account_id != account_pk:
        return []
    rows = reads.reviews_to_do(session=info.context.session, actor=info.context.actor)
    return [GateReview.from_model(r) for r in rows]


def decision_panel_of(snapshot: dict[str, Any] | None) -> DecisionPanel | None:
    return DecisionPanel.from_snapshot(snapshot) if snapshot else None
