"""Corrections to outcomes and observations: every rule of defining and observing applies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, require_writer
from inset.audit import service as audit
from inset.errors import Invalid, NotFound
from inset.outcomes.models import Observation, Outcome
from inset.outcomes.service import (
    OBSERVATION_EDITABLE,
    OBSERVATION_REQUIRED,
    OUTCOME_EDITABLE,
    OUTCOME_REQUIRED,
    OWNER,
    _outcome_for_write,
    clean_observation,
    clean_outcome,
)
from inset.projects.models import Project
from inset.projects.service import get_project_for_write, touch


def _keyed(
    session: Session,
    actor: Actor,
    model: Any,
    row: Any,
    project: Project,
    changes: Mapping[str, Any],
) -> dict[str, Any]:
    """The key columns to set when `changes` holds `external_id`, after the same checks as
    on creation; the key stays in the namespace of the organisation that recorded the row."""
    if "external_id" not in changes:
        return {}
    owner = row.external_owner_id or records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(changes["external_id"])
    records.claim(session, model, owner_column=OWNER, owner_id=owner, key=key, current_id=row.id)
    return {"external_id": key, "external_owner_id": owner}


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    row: Any,
    project: Project,
    diff: dict[str, tuple[Any, Any]],
) -> None:
    diff.pop("external_owner_id", None)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action=action,
        entity=row,
        organisation_id=project.lead_organisation_id,
        changes=diff,
    )


def update_outcome(
    *,
    session: Session,
    actor: Actor,
    outcome_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Outcome:
    """Corrects the fields in `changes`; left-out fields stay, null clears an optional one.

    Moving `baseline_on` after a live observation is INVALID, as observing before the
    baseline is. Progress (latest, change, improved) is worked out on read, so it follows.
    """
    records.given(changes, OUTCOME_EDITABLE, OUTCOME_REQUIRED)
    outcome = _outcome_for_write(session, actor, outcome_id, "id")
    project = session.get(Project, outcome.project_id)
    if project is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound("outcome", ("id",))
    records.check_version(outcome, expected_version, "the outcome")
    current = {name: getattr(outcome, name) for name in OUTCOME_EDITABLE if name != "external_id"}
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    values = clean_outcome(project, **merged)
    first = session.scalar(
        sa.select(sa.func.min(col(Observation.observed_on))).where(
            col(Observation.outcome_id) == outcome.id, col(Observation.archived_at).is_(None)
        )
    )
    baseline_on = values["baseline_on"]
    if baseline_on is not None and first is not None and first < baseline_on:
        raise Invalid(
            f"baselineOn cannot be after the first observation ({first.isoformat()})",
            ("baseline_on",),
        )
    values.update(_keyed(session, actor, Outcome, outcome, project, changes))
    diff = records.apply(outcome, values)
    if diff:
        session.add(outcome)
        _audit(session, actor, "outcome.update", outcome, project, diff)
    return outcome


def update_observation(
    *,
    session: Session,
    actor: Actor,
    observation_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Observation:
    """Corrects a reading: its value, date or note (null clears the note)."""
    records.given(changes, OBSERVATION_EDITABLE, OBSERVATION_REQUIRED)
    require_writer(actor)
    observation = session.get(Observation, observation_id)
    outcome = session.get(Outcome, observation.outcome_id) if observation else None
    if observation is None or observation.archived_at is not None or outcome is None:
        raise NotFound("observation", ("id",))
    if outcome.archived_at is not None:
        raise NotFound("observation", ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=outcome.project_id, field="id"
        )
    except NotFound:
        raise NotFound("observation", ("id",)) from None
    records.check_version(observation, expected_version, "the observation")
    current = {
        name: getattr(observation, name) for name in OBSERVATION_EDITABLE if name != "external_id"
    }
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    values = clean_observation(session, outcome, project, **merged)
    values.update(_keyed(session, actor, Observation, observation, project, changes))
    diff = records.apply(observation, values)
    if diff:
        session.add(observation)
        _audit(session, actor, "observation.update", observation, project, diff)
    return observation
