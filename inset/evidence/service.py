"""Evidence: items that claim a level on the Nesta Standards of Evidence (DESIGN.md section 2).

A project's `evidence_level` is derived from its live evidence, never typed in: every
change here ends with `refresh_evidence_level`, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, live_project, require_writer
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
RECORDED = ["kind", "title", "summary", "level", "independent", "stage", "reference", "external_id"]
EDITABLE = ("kind", "title", "summary", "level", "independent", "reference", "external_id")
REQUIRED = ("kind", "title", "summary", "level", "independent")
OWNER = "external_owner_id"


def _level_changes(before: int, project: Project) -> dict[str, tuple[Any, Any]]:
    """The derived level's change, kept in the audit event of the change that caused it."""
    if project.evidence_level == before:
        return {}
    return {"project_evidence_level": (before, project.evidence_level)}


def _cleaned(
    project: Project,
    *,
    kind: EvidenceKind,
    title: str,
    summary: str,
    level: int,
    independent: bool,
    reference: str | None,
) -> dict[str, Any]:
    """The columns of an item as stored, after every check that creating and correcting
    share: the level's range, text lengths and personal data at the project's reach."""
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
    return {
        "kind": kind,
        "title": title,
        "summary": summary,
        "level": level,
        "independent": independent,
        "reference": reference,
    }


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
    external_id: str | None = None,
) -> Evidence:
    """Adds an item at the project's current stage and re-derives the project's level.

    `level` is the level the item claims, 1..5; whether it counts is the derivation's
    business (a level-4 claim needs `independent`, a level-5 one a scaled project with a
    partner), so an item that does not count yet is still kept. `reference` is where the
    evidence can be read (a report's URL or citation). `external_id` is the partner's own
    key (see inset.records): DUPLICATE, naming the holder, when already used.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    values = _cleaned(
        project,
        kind=kind,
        title=title,
        summary=summary,
        level=level,
        independent=independent,
        reference=reference,
    )
    owner = records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(external_id)
    records.claim(session, Evidence, owner_column=OWNER, owner_id=owner, key=key)
    evidence = Evidence(
        project_id=project_id,
        **values,
        stage=project.stage,
        recorded_by_id=actor.account_id,
        external_id=key,
        external_owner_id=owner,
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


def update_evidence(
    *,
    session: Session,
    actor: Actor,
    evidence_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Evidence:
    """Corrects the fields in `changes` (any of EDITABLE); fields left out stay as they are,
    and null clears `reference` or `external_id`.

    Every rule of recording applies to the result, and the project's level is derived
    again in the same transaction. The item keeps the stage it was recorded at. CONFLICT
    when `expected_version` is stale; a correction that changes nothing keeps the version
    and writes no audit event.
    """
    records.given(changes, EDITABLE, REQUIRED)
    evidence, project = _for_write(session, actor, evidence_id)
    records.check_version(evidence, expected_version, "the evidence")
    current = {name: getattr(evidence, name) for name in EDITABLE if name != "external_id"}
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    values = _cleaned(project, **merged)
    if "external_id" in changes:
        owner = evidence.external_owner_id or records.key_owner(actor, project.lead_organisation_id)
        key = records.external_id(changes["external_id"])
        records.claim(
            session,
            Evidence,
            owner_column=OWNER,
            owner_id=owner,
            key=key,
            current_id=evidence.id,
        )
        values.update(external_id=key, external_owner_id=owner)
    before = project.evidence_level
    diff = records.apply(evidence, values)
    if not diff:
        return evidence
    session.add(evidence)
    session.flush()
    refresh_evidence_level(session=session, project=project)
    touch(session=session, project=project)
    diff.pop("external_owner_id", None)
    audit.record(
        session=session,
        actor=actor,
        action="evidence.update",
        entity=evidence,
        organisation_id=project.lead_organisation_id,
        changes={**diff, **_level_changes(before, project)},
    )
    return evidence


def _for_write(session: Session, actor: Actor, evidence_id: int) -> tuple[Evidence, Project]:
    """The live item and its project, when the actor may change that project.

    NOT_FOUND (on `id`) names the item, whether it is missing, archived or of a project
    the actor may not read; FORBIDDEN when they may read the project but not change it.
    Who may write at all is settled first, so the answer never depends on existence.
    """
    require_writer(actor)
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.archived_at is not None:
        raise NotFound("evidence", ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=evidence.project_id, field="id"
        )
    except NotFound:
        raise NotFound("evidence", ("id",)) from None
    return evidence, project


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
