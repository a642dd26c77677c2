"""What a panel is, from its rows: shared by the reviews service, the gate criteria and the
loaders (it imports no service, so the gates may use it without a cycle).

A panel is the open rows (not withdrawn, not closed by a decision) of a project's gate
into its next stage. It is complete when at least one reviewer is appointed and every one
of them has submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inset.db import pk
from inset.projects.models import Project, ProjectStatus, Stage
from inset.reviews.models import GateReview


@dataclass(frozen=True)
class PanelState:
    appointed: int
    submitted: int

    @property
    def complete(self) -> bool:
        return self.appointed > 0 and self.submitted == self.appointed


def panel_stage(project: Project) -> Stage | None:
    """The gate a panel may review: into the next stage, for a project not stopped."""
    if project.status is ProjectStatus.STOPPED:
        return None
    return project.stage.next()


def is_open() -> ColumnElement[bool]:
    return sa.and_(
        col(GateReview.withdrawn_at).is_(None), col(GateReview.closed_by_decision_id).is_(None)
    )


def state_of(rows: Sequence[GateReview]) -> PanelState:
    """The state of a panel from its open rows."""
    return PanelState(
        appointed=len(rows), submitted=sum(1 for r in rows if r.submitted_at is not None)
    )


def open_reviews(*, session: Session, project_id: int, to_stage: Stage) -> list[GateReview]:
    return list(
        session.scalars(
            sa.select(GateReview)
            .where(
                col(GateReview.project_id) == project_id,
                col(GateReview.to_stage) == to_stage,
                is_open(),
            )
            .order_by(col(GateReview.id))
        )
    )


def complete_panels(*, session: Session, projects: Sequence[Project]) -> set[int]:
    """Ids of the projects whose panel for their next gate is complete, in one statement."""
    next_stage = {pk(p): p.stage.next() for p in projects if panel_stage(p) is not None}
    if not next_stage:
        return set()
    counts: dict[int, list[int]] = {}
    for project_id, to_stage, appointed, submitted in session.execute(
        sa.select(
            col(GateReview.project_id),
            col(GateReview.to_stage),
            sa.func.count(),
            sa.func.count(col(GateReview.submitted_at)),
        )
        .where(col(GateReview.project_id).in_(list(next_stage)), is_open())
        .group_by(col(GateReview.project_id), col(GateReview.to_stage))
    ):
        if next_stage.get(project_id) is to_stage:
            counts[project_id] = [appointed, submitted]
    return {pid for pid, (a, s) in counts.items() if PanelState(a, s).complete}
