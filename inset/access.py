"""Who is asking, and which records they may read or write (DESIGN.md section 6).

Every read path builds its query on `readable_projects()`, so that lists, counts,
aggregates, nested fields and `node` agree: a record the viewer may not read does not
exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from inset.accounts.models import Role, TokenScope
from inset.errors import Forbidden
from inset.projects.models import Project, ProjectPartner, Visibility


@dataclass(frozen=True)
class Actor:
    """The signed-in account (or nobody), and the token it came with, if any."""

    account_id: int | None = None
    organisation_id: int | None = None
    role: Role | None = None
    token_id: int | None = None
    scope: TokenScope | None = None  # None for a web session: the account's full rights
    # An integration's token: the organisation's service account, with no person behind
    # it (account_id is None) and LEAD rights on the organisation's projects.
    integration_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    @property
    def is_staff(self) -> bool:
        return self.role is Role.STAFF

    @property
    def may_write(self) -> bool:
        return self.role in (Role.STAFF, Role.LEAD) and self.scope is not TokenScope.READ


ANONYMOUS = Actor()
# The command line and seeds act as the system: staff rights, no account, audited as such.
SYSTEM = Actor(role=Role.STAFF)


def readable_visibilities(actor: Actor) -> list[Visibility]:
    """Visibility levels the actor reads regardless of organisation."""
    if actor.is_anonymous:
        return [Visibility.PUBLIC]
    if actor.is_staff:
        return list(Visibility)
    return [Visibility.PUBLIC, Visibility.MEMBERS]


def project_is_readable(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `project`: true for the projects the actor may read."""
    if actor.is_staff:
        return sa.true()
    visible = col(Project.visibility).in_(readable_visibilities(actor))
    if actor.organisation_id is None:
        return visible
    return sa.or_(visible, project_is_own(actor))


def project_is_own(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on `project`: true where the actor is staff or belongs to the lead
    organisation or a partner, whatever the visibility. Only they see who is behind an
    anonymised lesson."""
    if actor.is_staff:
        return sa.true()
    if actor.organisation_id is None:
        return sa.false()
    return sa.or_(
        col(Project.lead_organisation_id) == actor.organisation_id,
        sa.exists().where(
            col(ProjectPartner.project_id) == col(Project.id),
            col(ProjectPartner.organisation_id) == actor.organisation_id,
        ),
    )


def live_project(actor: Actor) -> ColumnElement[bool]:
    """Readable and not archived."""
    return sa.and_(project_is_readable(actor), col(Project.archived_at).is_(None))


def may_read_project(actor: Actor, project: Project, partner_ids: set[int]) -> bool:
    """The same rule as `project_is_readable`, for a row already in hand."""
    if project.archived_at is not None and not actor.is_staff:
        return False
    if actor.is_staff or project.visibility in readable_visibilities(actor):
        return True
    org = actor.organisation_id
    return org is not None and (org == project.lead_organisation_id or org in partner_ids)


def may_write_project(actor: Actor, project: Project, partner_ids: set[int]) -> bool:
    """STAFF, or a LEAD of the lead organisation or of a partner, with a writing token."""
    if not actor.may_write:
        return False
    if actor.is_staff:
        return True
    org = actor.organisation_id
    return org is not None and (org == project.lead_organisation_id or org in partner_ids)


def require_writer(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Forbidden("sign in to make changes")
    if actor.scope is TokenScope.READ:
        raise Forbidden("this API token may only read; use a READ_WRITE token")
    if not actor.may_write:
        raise Forbidden("members read; only leads and incubator staff make changes")


def require_staff(actor: Actor, what: str) -> None:
    require_writer(actor)
    if not actor.is_staff:
        raise Forbidden(f"only incubator staff may {what}")
