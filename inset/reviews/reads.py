"""Who reads what of a review panel (the rule the loaders apply).

- STAFF read every review; a reviewer reads their own.
- The project's team (accounts of its lead organisation and of its partners) read the
  reviews once the panel is complete, or once a decision has closed it.
- Anyone else who may read the project sees that a panel exists and its counts
  (`PanelState`), never a review.

Withdrawn places are read by staff and by the withdrawn reviewer only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, live_project
from inset.accounts.models import Account, Role
from inset.db import pk
from inset.organisations.models import Organisation
from inset.projects.models import Project, ProjectPartner, Stage, Visibility
from inset.reviews.models import GateReview
from inset.reviews.panels import is_open, state_of


def teams(*, session: Session, project_ids: Sequence[int]) -> dict[int, set[int]]:
    """The organisations of each project: its lead and its partners."""
    found: dict[int, set[int]] = defaultdict(set)
    for project_id, lead in session.execute(
        sa.select(col(Project.id), col(Project.lead_organisation_id)).where(
            col(Project.id).in_(project_ids)
        )
    ):
        found[project_id].add(lead)
    for project_id, partner in session.execute(
        sa.select(col(ProjectPartner.project_id), col(ProjectPartner.organisation_id)).where(
            col(ProjectPartner.project_id).in_(project_ids)
        )
    ):
        found[project_id].add(partner)
    return found


def is_on_team(actor: Actor, team: set[int]) -> bool:
    return actor.organisation_id is not None and actor.organisation_id in team


def readable_reviews(
    *, session: Session, actor: Actor, rows: Sequence[GateReview]
) -> list[GateReview]:
    """The rows of `rows` whose contents the actor may read (module docstring). The rows'
    projects must already be known to be readable by the actor."""
    if actor.is_staff:
        return list(rows)
    if actor.account_id is None:
        return []
    others = [r for r in rows if r.reviewer_id != actor.account_id and r.withdrawn_at is None]
    project_ids = sorted({r.project_id for r in others})
    own_teams = teams(session=session, project_ids=project_ids) if project_ids else {}
    on_team = {pid for pid in project_ids if is_on_team(actor, own_teams.get(pid, set()))}
    complete: set[tuple[int, Stage]] = set()
    if on_team:
        panels: dict[tuple[int, Stage], list[GateReview]] = defaultdict(list)
        for row in session.scalars(
            sa.select(GateReview).where(col(GateReview.project_id).in_(on_team), is_open())
        ):
            panels[(row.project_id, row.to_stage)].append(row)
        complete = {key for key, found in panels.items() if state_of(found).complete}

    def readable(row: GateReview) -> bool:
        if row.reviewer_id == actor.account_id:
            return True
        if row.withdrawn_at is not None or row.project_id not in on_team:
            return False
        return row.closed_by_decision_id is not None or (row.project_id, row.to_stage) in complete

    return [r for r in rows if readable(r)]


def reviews_to_do(*, session: Session, actor: Actor) -> list[GateReview]:
    """The actor's places on open panels of live projects they may read, that they may
    still submit or correct (the panel is not complete), oldest appointment first."""
    if actor.account_id is None:
        return []
    rows = list(
        session.scalars(
            sa.select(GateReview)
            .join(Project, col(Project.id) == col(GateReview.project_id))
            .where(
                col(GateReview.reviewer_id) == actor.account_id,
                is_open(),
                live_project(actor),
            )
            .order_by(col(GateReview.appointed_at), col(GateReview.id))
        )
    )
    if not rows:
        return []
    panels: dict[tuple[int, Stage], list[GateReview]] = defaultdict(list)
    for row in session.scalars(
        sa.select(GateReview).where(
            col(GateReview.project_id).in_({r.project_id for r in rows}), is_open()
        )
    ):
        panels[(row.project_id, row.to_stage)].append(row)
    return [r for r in rows if not state_of(panels[(r.project_id, r.to_stage)]).complete]


def reviewer_candidates(
    *, session: Session, actor: Actor, project: Project, search: str | None, limit: int
) -> list[Account]:
    """For staff: accounts that may be appointed to the project's next panel and are not on
    it yet, by name (at most `limit`). Anyone else: none."""
    if not actor.is_staff:
        return []
    team = teams(session=session, project_ids=[pk(project)]).get(pk(project), set())
    seated = sa.select(col(GateReview.reviewer_id)).where(
        col(GateReview.project_id) == project.id, is_open()
    )
    # Only staff may read a private project, so only staff may review it.
    outside: sa.ColumnElement[bool] = (
        sa.false()
        if project.visibility is Visibility.PRIVATE
        else col(Account.organisation_id).not_in(team)
    )
    stmt = (
        sa.select(Account)
        .join(Organisation, col(Organisation.id) == col(Account.organisation_id))
        .where(
            col(Account.archived_at).is_(None),
            col(Organisation.archived_at).is_(None),
            sa.or_(col(Account.role) == Role.STAFF, outside),
            col(Account.id).not_in(seated),
        )
        .order_by(col(Account.name), col(Account.id))
        .limit(limit)
    )
    if search and search.strip():
        stmt = stmt.where(col(Account.name).ilike(f"%{search.strip()}%"))
    return list(session.scalars(stmt))
