"""How far the portfolio's projects travelled: replications by other organisations.

Both sides are taken over what the viewer may read: the originals are the portfolio's
projects, and a replication counts only when the viewer may read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, live_project
from inset.portfolio.sql import Projects, scope_of
from inset.projects.models import Project
from inset.validation import in_range

MAX_FIRST = 100


@dataclass(frozen=True)
class Replications:
    project_id: int
    replications: int
    organisations: int


def _replicas(actor: Actor) -> sa.Subquery:
    return (
        sa.select(col(Project.replicated_from_id), col(Project.lead_organisation_id))
        .where(live_project(actor), col(Project.replicated_from_id).is_not(None))
        .subquery("replica")
    )


def replications_by_project(
    *, session: Session, actor: Actor, projects: Projects, first: int
) -> list[Replications]:
    """The most replicated of the projects, most first (ties by id), only those with any:
    replications the actor may read, and the distinct organisations that lead them."""
    in_range(first, "first", 1, MAX_FIRST)
    scope, replica = scope_of(projects), _replicas(actor)
    rows = session.execute(
        sa.select(
            scope.c.id,
            sa.func.count(),
            sa.func.count(sa.distinct(replica.c.lead_organisation_id)),
        )
        .select_from(scope)
        .join(replica, replica.c.replicated_from_id == scope.c.id)
        .group_by(scope.c.id)
        .order_by(sa.func.count().desc(), scope.c.id)
        .limit(first)
    ).all()
    return [Replications(pid, n, orgs) for pid, n, orgs in rows]


def organisations_reached(*, session: Session, actor: Actor, projects: Projects) -> int:
    """Distinct organisations leading a readable replication of any of the projects."""
    scope, replica = scope_of(projects), _replicas(actor)
    return int(
        session.scalar(
            sa.select(sa.func.count(sa.distinct(replica.c.lead_organisation_id)))
            .select_from(scope)
            .join(replica, replica.c.replicated_from_id == scope.c.id)
        )
        or 0
    )
