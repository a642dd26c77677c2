"""Evidence: items that claim a level on the Nesta Standards of Evidence (DESIGN.md section 2).

A project's `evidence_level` is derived from its live evidence, never typed in: every
change here ends with `refresh_evidence_level`, in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, live_project
from inset.audit import service as audit
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.errors import Invalid, NotFound
from inset.evidence.models import Evidence, EvidenceKind
from inset.projects.models import Project, Visibility
from inset.projects.service import get_project_for_write, refresh_evidence_level, touch
from inset.validation import no_personal_data, required_text, text

LOWEST_LEVEL = 1
HIGHEST_LEVEL = 5
REFERENCE_LENGTH = 2000
REASON_LENGTH = TEXT_LENGTH  # as archiveRecord allows
RECORDED = ["kind", "title", "summary", "level", "independent", "stage", "reference"]


def _level_changes(before: int, project: Project) -> dict[str, tuple[Any, Any]]:
    """The derived level's change, kept in the audit event of the change that caused it."""
    if project.evidence_level == before:
        return {}
    return {"project_evidence_level": (before, project.evidence_level)}


def record_evidence(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    kind: EvidenceKind,
    title: str,
    summary: str,
    level: int,
    independent: bool = False,
    reference: str | None = None,
) -> Evidence:
    """Adds an item at the project's current stage and re-derives the project's level.

    `level` is the level the item claims, 1..5; whether it counts is the derivation's
    business (a level-4 claim needs `independent`, a level-5 one a scaled project with a
    partner), so an item that does not count yet is still kept. `reference` is where the
    evidence can be read (a report's URL or citation).
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    if isinstance(level, bool) or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
        raise Invalid(
            f"level must be from {LOWEST_LEVEL} to {HIGHEST_LEVEL} "
            "on the Nesta Standards of Evidence",
            ("level",),
        )
    title = required_text(title, "title", limit=NAME_LENGTH)
    summary = required_text(summary, "summary", limit=TEXT_LENGTH)
    reference = text(reference, "reference", limit=REFERENCE_LENGTH, required=False)
    no_personal_data(
        {"title": title, "summary": summary, "reference": reference},
        public=project.visibility is Visibility.PUBLIC,
    )
    evidence = Evidence(
        project_id=project_id,
        kind=kind,
        title=title,
        summary=summary,
        level=level,
        independent=independent,
        stage=project.stage,
        reference=reference,
        recorded_by_id=actor.account_id,
    )
    session.add(evidence)
    session.flush()
    before = project.evidence_level
    refresh_evidence_level(session=session, project=project)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="evidence.record",
        entity=evidence,
        organisation_id=project.lead_organisation_id,
        changes={
            "project_id": (None, project_id),
            **audit.created(evidence, RECORDED),
            **_level_changes(before, project),
        },
    )
    return evidence


def archive_evidence(*, session: Session, actor: Actor, evidence_id: int, reason: str) -> Evidence:
    """Hides the item from lists and from the derivation; the row and its history stay.

    NOT_FOUND (on `id`, the field of `archiveRecord`) when the item is already archived
    or the actor may not read its project; FORBIDDEN when they may read but not change it.
    """
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.archived_at is not None:
        raise NotFound("evidence", ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=evidence.project_id, field="id"
        )
    except NotFound:
        # Say "evidence", not "project": the caller asked for the item, and its project
        # does not exist for them.
        raise NotFound("evidence", ("id",)) from None
    cleaned = required_text(reason, "reason", limit=REASON_LENGTH)
    # The reason is kept in the audit log, which the lead organisation's members read.
    no_personal_data({"reason": cleaned}, public=False)
    evidence.archived_at = utcnow()
    session.add(evidence)
    session.flush()
    before = project.evidence_level
    refresh_evidence_level(session=session, project=project)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="evidence.archive",
        entity=evidence,
        organisation_id=project.lead_organisation_id,
        changes={
            "archived_at": (None, evidence.archived_at),
            "reason": (None, cleaned),
            **_level_changes(before, project),
        },
    )
    return evidence


def live_evidence() -> sa.Select[Evidence]:
    """Evidence that is not archived. Callers narrow it to projects the viewer may read,
    or to a project already known to be readable."""
    return sa.select(Evidence).where(col(Evidence.archived_at).is_(None))


def readable_evidence(actor: Actor) -> sa.Select[Evidence]:
    """Live evidence of live projects the actor may read."""
    return (
        live_evidence()
        .join(Project, col(Project.id) == col(Evidence.project_id))
        .where(live_project(actor))
    )
