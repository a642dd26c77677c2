"""`archiveRecord`: one entry point that hands each kind of record to its own domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from inset.access import Actor, require_writer
from inset.db import TEXT_LENGTH
from inset.errors import Invalid, NotFound
from inset.validation import no_personal_data, required_text


def _archivers() -> dict[str, Callable[..., Any]]:
    from inset.economics import service as economics
    from inset.evidence import service as evidence
    from inset.lessons import service as lessons
    from inset.outcomes import service as outcomes
    from inset.projects import service as projects
    from inset.webhooks import service as webhooks

    return {
        "Project": lambda s, a, pk, r: projects.archive_project(
            session=s, actor=a, project_id=pk, reason=r
        ),
        "Evidence": lambda s, a, pk, r: evidence.archive_evidence(
            session=s, actor=a, evidence_id=pk, reason=r
        ),
        "Outcome": lambda s, a, pk, r: outcomes.archive_outcome(
            session=s, actor=a, outcome_id=pk, reason=r
        ),
        "Cost": lambda s, a, pk, r: economics.archive_cost(
            session=s, actor=a, cost_id=pk, reason=r
        ),
        "Benefit": lambda s, a, pk, r: economics.archive_benefit(
            session=s, actor=a, benefit_id=pk, reason=r
        ),
        "Lesson": lambda s, a, pk, r: lessons.archive_lesson(
            session=s, actor=a, lesson_id=pk, reason=r
        ),
        "WebhookEndpoint": lambda s, a, pk, r: webhooks.archive_endpoint(
            session=s, actor=a, endpoint_id=pk, reason=r
        ),
    }


# Gate decisions are the project's history and are kept for ever; organisations and
# accounts are closed by staff through the command line, not archived by members.
NOT_ARCHIVABLE = {"GateDecision", "Organisation", "Account", "Theme", "ApiToken", "AuditEvent"}


def archive_record(
    *, session: Session, actor: Actor, type_name: str, record_id: int, reason: str
) -> Any:
    """Archives the record with its domain's rules (and audit). Returns the archived row.

    Who may write at all is settled before any lookup, so that the answer never depends
    on whether a record the actor cannot see exists.
    """
    require_writer(actor)
    reason = required_text(reason, "reason", limit=TEXT_LENGTH)
    no_personal_data({"reason": reason}, public=False)
    if type_name in NOT_ARCHIVABLE:
        raise Invalid(f"a {type_name} cannot be archived", ("id",))
    archiver = _archivers().get(type_name)
    if archiver is None:
        raise NotFound("record", ("id",))
    return archiver(session, actor, record_id, reason)
