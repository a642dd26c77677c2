"""Replication: a member organisation adopts another's project and keeps the link to it.

The replica starts at IDEA from the original's problem and theory of change, led by the
replicating organisation. Lineage is read both ways through `Project.replicated_from_id`,
and a replica that reaches SCALE counts towards its original's level-5 evidence
(`inset.projects.service.scaled_by_others`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, live_project, require_writer
from inset.audit import service as audit
from inset.errors import Forbidden, Invalid
from inset.projects.models import Project, Visibility
from inset.projects.service import (
    create_project,
    get_readable_project,
    refresh_evidence_level,
    theme_ids,
)


def replicate_project(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    title: str | None = None,
    lead_account_id: int | None = None,
    visibility: Visibility = Visibility.PRIVATE,
) -> Project:
    """A new project of the actor's organisation, linked to the original it replicates.

    The actor must be able to read the original and lead another organisation: a project
    is never replicated into its own lead organisation. The replica copies the summary,
    problem, theory of change, kind of innovation and themes; nothing else (evidence,
    outcomes and money are the replica's own to gather). `lead_account_id` defaults to
    the actor when they lead the project's organisation.
    """
    require_writer(actor)
    original = get_readable_project(session=session, actor=actor, project_id=project_id)
    if original.archived_at is not None:  # staff read archived projects; none is adopted
        raise Invalid("an archived project cannot be replicated", ("project_id",))
    organisation = actor.organisation_id
    if organisation is None:
        raise Forbidden("only an account of a member organisation may replicate a project")
    if organisation == original.lead_organisation_id:
        raise Invalid(
            "a project cannot be replicated into its own lead organisation", ("project_id",)
        )
    replica = create_project(
        session=session,
        actor=actor,
        title=title if title is not None else original.title,
        summary=original.summary,
        problem=original.problem,
        theory_of_change=original.theory_of_change,
        innovation_type=original.innovation_type,
        theme_ids=theme_ids(session=session, project_id=original.id or 0),
        lead_organisation_id=organisation,
        visibility=visibility,
        lead_account_id=lead_account_id if lead_account_id is not None else actor.account_id,
    )
    replica.replicated_from_id = original.id
    session.add(replica)
    session.flush()
    refresh_evidence_level(session=session, project=replica)
    audit.record(
        session=session,
        actor=actor,
        action="project.replicate",
        entity=replica,
        organisation_id=organisation,
        changes={"replicated_from_id": (None, original.id)},
    )
    return replica


def readable_replications(*, actor: Actor, project_ids: list[int]) -> sa.Select[Project]:
    """The live replications of the given projects that the actor may read, oldest first."""
    return (
        sa.select(Project)
        .where(live_project(actor), col(Project.replicated_from_id).in_(project_ids))
        .order_by(col(Project.created_at), col(Project.id))
    )
