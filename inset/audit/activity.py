"""A project's activity feed: its audit trail told in words, for whoever may read the
project (DESIGN.md section 6: the trail itself stays for staff and leads).

An entry says what happened and when, never the values changed (an archived record's
text, a rationale): those belong to the records themselves, under their own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from inset.audit.models import AuditEvent
from inset.economics.models import Benefit, Cost
from inset.evidence.models import Evidence
from inset.gates.models import GateDecision
from inset.lessons.models import Lesson
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project

# The project's own event beside each decision repeats it: the decision's is told.
REPEATS = ("project.gate_decision",)

FIELDS = {
    "title": "title",
    "summary": "summary",
    "problem": "problem",
    "theory_of_change": "theory of change",
    "innovation_type": "kind of innovation",
    "theme_ids": "themes",
    "partner_organisation_ids": "partners",
    "lead_account_id": "lead",
    "started_on": "start date",
}
SHARED = {
    "PRIVATE": "its own organisations",
    "MEMBERS": "every member",
    "PUBLIC": "everyone",
}
DONE = {
    "project.create": "Created the project",
    "project.archive": "Archived the project",
    "evidence.record": "Recorded evidence",
    "evidence.archive": "Archived a piece of evidence",
    "outcome.define": "Defined an outcome",
    "outcome.observe": "Recorded a figure for an outcome",
    "outcome.archive": "Archived an outcome",
    "cost.record": "Recorded a cost",
    "cost.archive": "Archived a cost",
    "benefit.record": "Recorded a benefit",
    "benefit.archive": "Archived a benefit",
    "lesson.record": "Recorded a lesson",
    "lesson.archive": "Archived a lesson",
}


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    summary: str


def _ids_of(model: Any, project_id: int) -> Any:
    return sa.select(col(model.id)).where(col(model.project_id) == project_id)


def project_activity(project_id: int) -> sa.Select[AuditEvent]:
    """The events about the project and every record under it."""
    observations = (
        sa.select(col(Observation.id))
        .join(Outcome, col(Outcome.id) == col(Observation.outcome_id))
        .where(col(Outcome.project_id) == project_id)
    )
    about = [
        sa.and_(
            col(AuditEvent.entity_type) == Project.__name__, col(AuditEvent.entity_id) == project_id
        ),
        sa.and_(
            col(AuditEvent.entity_type) == Observation.__name__,
            col(AuditEvent.entity_id).in_(observations),
        ),
    ]
    for model in (Evidence, Outcome, Cost, Benefit, Lesson, GateDecision):
        about.append(
            sa.and_(
                col(AuditEvent.entity_type) == model.__name__,
                col(AuditEvent.entity_id).in_(_ids_of(model, project_id)),
            )
        )
    return sa.select(AuditEvent).where(sa.or_(*about), col(AuditEvent.action).not_in(REPEATS))


def _stage(value: Any) -> str:
    return str(value or "").lower()


def describe(event: AuditEvent) -> str:
    """The event in words: "Moved the project on from idea to pilot"."""
    changes = event.changes
    after = {name: pair[1] for name, pair in changes.items()}
    if event.action == "gate.decide":
        decision, before, to = after.get("decision"), after.get("from_stage"), after.get("to_stage")
        text = {
            "GO": f"Moved the project on from {_stage(before)} to {_stage(to)}",
            "HOLD": f"Put the project on hold at the {_stage(before)} stage",
            "RESUME": f"Resumed the project at the {_stage(before)} stage",
            "RECYCLE": f"Sent the project back from {_stage(before)} to {_stage(to)}",
            "STOP": f"Stopped the project at the {_stage(before)} stage",
        }.get(str(decision), f"Took a gate decision: {str(decision).lower()}")
        return text + (", overriding the gate's criteria" if after.get("override") else "")
    if event.action == "project.update":
        names = [FIELDS[f] for f in changes if f in FIELDS]
        return "Changed the project's " + _listed(names) if names else "Changed the project"
    if event.action == "project.set_visibility":
        return f"Shared the project with {SHARED.get(str(after.get('visibility')), 'others')}"
    if event.action in DONE:
        return DONE[event.action]
    what, _, verb = event.action.partition(".")
    return f"{what.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}"


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
