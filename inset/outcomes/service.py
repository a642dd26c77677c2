"""Outcomes: the measures a project wants to move, and their dated observations.

DESIGN.md section 4: aggregate figures only ("children missing: 45 in July 2021, 24 in
January 2022"), never a record about a child, so names, units and notes are checked for
personal data like every other free text.

Figures are exact decimals stored as NUMERIC(18, 4): at most 4 decimal places and 14
digits before the point. They are stored rounded to those 4 places, so both databases
hold the same digits, and shown by `plain()` as the number itself: "78.50" is stored as
78.5000 and read back as "78.5", "100.0" as "100", never in exponent form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset import records
from inset.access import Actor, live_project, require_writer
from inset.audit import service as audit
from inset.db import NAME_LENGTH, TEXT_LENGTH, utcnow
from inset.errors import Invalid, NotFound, Required, api_name
from inset.outcomes.models import Observation, Outcome
from inset.projects.models import Project, Visibility
from inset.projects.service import get_project_for_write, touch
from inset.validation import no_personal_data, required_text, text, within_dates

UNIT_LENGTH = 100
NOTE_LENGTH = 2000
REASON_LENGTH = TEXT_LENGTH  # as archiveRecord allows
PLACES = Decimal("0.0001")
LIMIT = Decimal(10) ** 14  # NUMERIC(18, 4): 14 digits before the point
DEFINED = ["name", "unit", "higher_is_better", "baseline", "baseline_on", "target", "external_id"]
OBSERVED = ["value", "observed_on", "note", "external_id"]
OUTCOME_EDITABLE = tuple(DEFINED)
OUTCOME_REQUIRED = ("name", "unit", "higher_is_better")
OBSERVATION_EDITABLE = tuple(OBSERVED)
OBSERVATION_REQUIRED = ("value", "observed_on")
OWNER = "external_owner_id"


def figure(value: Decimal, field: str) -> Decimal:
    """`value` as stored: finite, at most 4 decimal places, less than 10**14 in size.

    Trailing zeros do not count as places ("78.50000" is 78.5); a fifth significant
    place ("0.12345") is INVALID rather than silently rounded.
    """
    if not value.is_finite():
        raise Invalid(f"{api_name(field)} must be a finite number", (field,))
    stored = value.quantize(PLACES) if abs(value) < LIMIT else None
    if stored is None or abs(stored) >= LIMIT:
        raise Invalid(f"{api_name(field)} must be less than {LIMIT:,} in size", (field,))
    if stored != value:
        raise Invalid(f"{api_name(field)} may have at most 4 decimal places", (field,))
    return stored


def plain(value: Decimal) -> Decimal:
    """The number without trailing zeros and never in exponent form: 45.0000 -> 45."""
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal


def _not_future(value: date | None, field: str) -> None:
    within_dates(value, field)
    if value is not None and value > utcnow().date():
        raise Invalid(f"{api_name(field)} cannot be in the future", (field,))


def _public(project: Project) -> bool:
    return project.visibility is Visibility.PUBLIC


def clean_outcome(
    project: Project,
    *,
    name: str,
    unit: str,
    higher_is_better: bool,
    baseline: Decimal | None,
    baseline_on: date | None,
    target: Decimal | None,
) -> dict[str, Any]:
    """An outcome's columns as stored, after every check that defining and correcting share."""
    name = required_text(name, "name", limit=NAME_LENGTH)
    unit = required_text(unit, "unit", limit=UNIT_LENGTH)
    no_personal_data({"name": name, "unit": unit}, public=_public(project))
    stored_baseline = figure(baseline, "baseline") if baseline is not None else None
    stored_target = figure(target, "target") if target is not None else None
    if baseline_on is not None and baseline is None:
        raise Required(("baseline",), "baseline is required when baselineOn is given")
    _not_future(baseline_on, "baseline_on")
    return {
        "name": name,
        "unit": unit,
        "higher_is_better": higher_is_better,
        "baseline": stored_baseline,
        "baseline_on": baseline_on,
        "target": stored_target,
    }


def clean_observation(
    session: Session,
    outcome: Outcome,
    project: Project,
    *,
    value: Decimal,
    observed_on: date,
    note: str | None,
) -> dict[str, Any]:
    """An observation's columns as stored, after every check that observing and
    correcting share."""
    stored = figure(value, "value")
    _not_future(observed_on, "observed_on")
    if outcome.baseline_on is not None and observed_on < outcome.baseline_on:
        raise Invalid(
            f"observedOn cannot be before the baseline date ({outcome.baseline_on.isoformat()})",
            ("observed_on",),
        )
    cleaned = text(note, "note", limit=NOTE_LENGTH, required=False)
    no_personal_data({"note": cleaned}, public=_public(project))
    return {"value": stored, "observed_on": observed_on, "note": cleaned}


def define_outcome(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    name: str,
    unit: str,
    higher_is_better: bool,
    baseline: Decimal | None = None,
    baseline_on: date | None = None,
    target: Decimal | None = None,
    external_id: str | None = None,
) -> Outcome:
    """A new measure for the project, e.g. name "children missing from care", unit
    "children a month", lower is better, baseline 45 on 2021-07-31, target 20.

    `baseline_on` (the date the baseline was measured, not in the future) needs a
    `baseline`; a baseline may be given without its date.
    """
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    values = clean_outcome(
        project,
        name=name,
        unit=unit,
        higher_is_better=higher_is_better,
        baseline=baseline,
        baseline_on=baseline_on,
        target=target,
    )
    owner = records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(external_id)
    records.claim(session, Outcome, owner_column=OWNER, owner_id=owner, key=key)
    outcome = Outcome(project_id=project_id, **values, external_id=key, external_owner_id=owner)
    session.add(outcome)
    session.flush()
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="outcome.define",
        entity=outcome,
        organisation_id=project.lead_organisation_id,
        changes={"project_id": (None, project_id), **audit.created(outcome, DEFINED)},
    )
    return outcome


def _outcome_for_write(session: Session, actor: Actor, outcome_id: int, field: str) -> Outcome:
    """The live outcome, its project locked, when the actor may change that project.

    NOT_FOUND names the outcome: a project the actor may not read does not exist for them.
    Who may write at all is settled first, so that the answer never depends on whether
    the outcome exists.
    """
    require_writer(actor)
    outcome = session.get(Outcome, outcome_id)
    if outcome is None or outcome.archived_at is not None:
        raise NotFound("outcome", (field,))
    try:
        get_project_for_write(
            session=session, actor=actor, project_id=outcome.project_id, field=field
        )
    except NotFound:
        raise NotFound("outcome", (field,)) from None
    return outcome


def observe_outcome(
    *,
    session: Session,
    actor: Actor,
    outcome_id: int,
    value: Decimal,
    observed_on: date,
    note: str | None = None,
    external_id: str | None = None,
) -> Observation:
    """Adds a dated reading, e.g. 24 children missing in January 2022.

    `observed_on` may not be in the future, nor before the outcome's `baseline_on`: the
    baseline is the starting point that later readings are compared with, so an earlier
    reading would be a better baseline, not an observation (define the outcome again).
    Several readings on one day are kept in the order they were recorded.
    """
    outcome = _outcome_for_write(session, actor, outcome_id, "outcome_id")
    project = session.get(Project, outcome.project_id)
    if project is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound("outcome", ("outcome_id",))
    values = clean_observation(
        session, outcome, project, value=value, observed_on=observed_on, note=note
    )
    owner = records.key_owner(actor, project.lead_organisation_id)
    key = records.external_id(external_id)
    records.claim(session, Observation, owner_column=OWNER, owner_id=owner, key=key)
    observation = Observation(
        outcome_id=outcome_id,
        **values,
        recorded_by_id=actor.account_id,
        external_id=key,
        external_owner_id=owner,
    )
    session.add(observation)
    session.flush()
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="outcome.observe",
        entity=observation,
        organisation_id=project.lead_organisation_id,
        changes={
            "outcome_id": (None, outcome_id),
            **audit.created(observation, OBSERVED),
        },
    )
    return observation


def archive_outcome(*, session: Session, actor: Actor, outcome_id: int, reason: str) -> Outcome:
    """Hides the outcome, with its observations, from lists and gate criteria; kept and
    audited. A mistyped observation is corrected this way too: archive the outcome and
    define it again (observations have no id of their own in the API)."""
    outcome = _outcome_for_write(session, actor, outcome_id, "id")
    project = session.get(Project, outcome.project_id)
    if project is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound("outcome", ("id",))
    cleaned = required_text(reason, "reason", limit=REASON_LENGTH)
    # The reason is kept in the audit log, which the lead organisation's members read.
    no_personal_data({"reason": cleaned}, public=False)
    outcome.archived_at = utcnow()
    session.add(outcome)
    touch(session=session, project=project)
    audit.record(
        session=session,
        actor=actor,
        action="outcome.archive",
        entity=outcome,
        organisation_id=project.lead_organisation_id,
        changes={"archived_at": (None, outcome.archived_at), "reason": (None, cleaned)},
    )
    return outcome


def live_outcomes() -> sa.Select[Outcome]:
    """Outcomes not archived, in the order they were defined. Callers narrow it to a
    project already known to be readable."""
    return (
        sa.select(Outcome)
        .where(col(Outcome.archived_at).is_(None))
        .order_by(col(Outcome.created_at), col(Outcome.id))
    )


def readable_outcomes(actor: Actor) -> sa.Select[Outcome]:
    """Live outcomes of live projects the actor may read."""
    return (
        live_outcomes()
        .join(Project, col(Project.id) == col(Outcome.project_id))
        .where(live_project(actor))
    )


def live_observations() -> sa.Select[Observation]:
    """Observations oldest first: by the day observed, then in the order recorded."""
    return (
        sa.select(Observation)
        .where(col(Observation.archived_at).is_(None))
        .order_by(col(Observation.observed_on), col(Observation.id))
    )


def readable_observations(actor: Actor) -> sa.Select[Observation]:
    """Live observations of live outcomes of live projects the actor may read."""
    return (
        sa.select(Observation)
        .where(col(Observation.archived_at).is_(None))
        .join(Outcome, col(Outcome.id) == col(Observation.outcome_id))
        .where(col(Outcome.archived_at).is_(None))
        .join(Project, col(Project.id) == col(Outcome.project_id))
        .where(live_project(actor))
    )


@dataclass(frozen=True)
class Progress:
    """How an outcome stands against its baseline.

    `latest` is the most recent reading (by date, then recording order); `change` is
    latest - baseline; `improved` is true when the latest reading is better than the
    baseline in the outcome's direction (equal is not better). Each is None when a
    figure it needs is missing. Example: missing children, lower is better, baseline 45,
    readings 30 then 24: latest 24, change -21, improved.
    """

    latest: Decimal | None
    change: Decimal | None
    improved: bool | None


def progress(outcome: Outcome, observations: Sequence[Observation]) -> Progress:
    """`observations` in the order of `live_observations()`."""
    latest = observations[-1].value if observations else None
    if latest is None or outcome.baseline is None:
        return Progress(latest=latest, change=None, improved=None)
    better = latest > outcome.baseline if outcome.higher_is_better else latest < outcome.baseline
    return Progress(latest=latest, change=latest - outcome.baseline, improved=bool(better))
