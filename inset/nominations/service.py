"""Nominations: an innovation a member has seen elsewhere, for the incubator to invite.

Anyone signed in nominates; staff invite the organisation, and when it joins they accept
the nomination, which creates the organisation's project at IDEA; or they decline it with
a reason. The nominator is told either way.

Every text is checked as public text: a nomination names an organisation outside Inset
and a person to ask there, so `contact` is a role and an organisation ("Head of
Fostering, Eastmoor Council"), never a personal email address or phone number. The guard
refuses those (and the always-refused identifiers); it cannot tell a name from any other
word, so the field's help asks for a role, not a name.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_staff
from inset.audit import service as audit
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.errors import Forbidden, Invalid, NotFound
from inset.nominations.models import Nomination, NominationStatus
from inset.notifications.models import NotificationKind
from inset.notifications.service import notify
from inset.organisations.service import get_organisation
from inset.projects import service as projects
from inset.projects.models import InnovationType, Project, Visibility
from inset.validation import no_personal_data, required_text, text

WHAT_LENGTH = 2_000
OPEN = (NominationStatus.PENDING, NominationStatus.INVITED)


def nominate(
    *, session: Session, actor: Actor, what: str, where: str, contact: str | None
) -> Nomination:
    if actor.account_id is None:
        raise Forbidden("sign in to nominate an innovation")
    what = required_text(what, "what", limit=WHAT_LENGTH)
    where = required_text(where, "where", limit=NAME_LENGTH)
    cleaned_contact = text(contact, "contact", limit=NAME_LENGTH, required=False)
    no_personal_data({"what": what, "where": where, "contact": cleaned_contact}, public=True)
    row = Nomination(
        nominated_by_id=actor.account_id,
        what=what,
        where=where,
        contact=cleaned_contact,
        status=NominationStatus.PENDING,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="nomination.create",
        entity=row,
        organisation_id=None,
        changes=audit.created(row, ["what", "where", "contact", "status"]),
    )
    return row


def readable_nominations(actor: Actor) -> sa.Select[Nomination]:
    """Staff read every nomination; anyone else their own."""
    stmt = sa.select(Nomination)
    if actor.is_staff:
        return stmt
    return stmt.where(col(Nomination.nominated_by_id) == (actor.account_id or -1))


def _open_nomination(session: Session, nomination_id: int) -> Nomination:
    row = session.get(Nomination, nomination_id)
    if row is None:
        raise NotFound("nomination", ("nomination_id",))
    if row.status not in OPEN:
        raise Invalid(
            f"the nomination is already {row.status.lower()}; only a pending or invited "
            "nomination can be decided",
            ("nomination_id",),
        )
    return row


def _decided(
    session: Session, actor: Actor, row: Nomination, status: NominationStatus, **changes: object
) -> None:
    before = {"status": row.status, **{name: getattr(row, name) for name in changes}}
    row.status = status
    for name, value in changes.items():
        setattr(row, name, value)
    row.decided_by_id = actor.account_id
    row.decided_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action=f"nomination.{status.lower()}",
        entity=row,
        organisation_id=row.organisation_id,
        changes=audit.diff(before, row),
    )


def invite(*, session: Session, actor: Actor, nomination_id: int) -> Nomination:
    """Records that staff invited the nominated organisation to join."""
    require_staff(actor, "invite nominated organisations")
    row = _open_nomination(session, nomination_id)
    if row.status is NominationStatus.INVITED:
        return row
    _decided(session, actor, row, NominationStatus.INVITED)
    return row


def accept(
    *, session: Session, actor: Actor, nomination_id: int, organisation_id: int
) -> tuple[Nomination, Project]:
    """The organisation joined: its project starts at IDEA, PRIVATE to it and staff, titled
    from the nomination; the nominator is told."""
    require_staff(actor, "accept nominations")
    row = _open_nomination(session, nomination_id)
    get_organisation(session=session, organisation_id=organisation_id)  # NOT_FOUND on its own path
    project = projects.create_project(
        session=session,
        actor=actor,
        title=row.what[:NAME_LENGTH].split("\n")[0],
        summary=f"{row.what}\n\nNominated from: {row.where}"[:TEXT_LENGTH],
        innovation_type=InnovationType.PRACTICE,
        lead_organisation_id=organisation_id,
        visibility=Visibility.PRIVATE,
    )
    _decided(
        session,
        actor,
        row,
        NominationStatus.ACCEPTED,
        organisation_id=organisation_id,
        project_id=project.id,
    )
    notify(
        session=session,
        account_id=row.nominated_by_id,
        kind=NotificationKind.NOMINATION_ACCEPTED,
        nomination_id=row.id,
    )
    return row, project


def decline(*, session: Session, actor: Actor, nomination_id: int, reason: str) -> Nomination:
    require_staff(actor, "decline nominations")
    reason = required_text(reason, "reason", limit=WHAT_LENGTH)
    # The nominator reads the reason in the application and by email.
    no_personal_data({"reason": reason}, public=True)
    row = _open_nomination(session, nomination_id)
    _decided(session, actor, row, NominationStatus.DECLINED, decline_reason=reason)
    notify(
        session=session,
        account_id=row.nominated_by_id,
        kind=NotificationKind.NOMINATION_DECLINED,
        nomination_id=row.id,
    )
    return row
