"""Corrections to cost and benefit lines: every rule of recording applies to the result.

The figures (adjusted amounts, totals, ratios, payback, present value) are worked out from
the live lines whenever they are read, so a corrected line counts at once; the stored
copy (inset.economics.stored) is rewritten in the correction's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlmodel import Session

from inset import records
from inset.access import Actor, require_writer
from inset.audit import service as audit
from inset.economics.models import Benefit, Cost
from inset.economics.service import OWNER, clean_benefit, clean_cost, pounds, share
from inset.economics.stored import refresh_project_economics
from inset.errors import NotFound
from inset.projects.models import Project
from inset.projects.service import get_project_for_write, touch

R = TypeVar("R", Cost, Benefit)

COST_EDITABLE = (
    "category",
    "description",
    "amount",
    "currency",
    "recurring",
    "period_start",
    "period_end",
    "funding_source",
    "confidence",
    "external_id",
)
COST_REQUIRED = ("category", "description", "amount", "currency", "recurring", "confidence")
BENEFIT_EDITABLE = (
    "kind",
    "description",
    "amount",
    "currency",
    "beneficiary",
    "period_start",
    "period_end",
    "deadweight",
    "attribution",
    "confidence",
    "external_id",
)
BENEFIT_REQUIRED = ("kind", "description", "currency", "deadweight", "attribution", "confidence")


def _for_write(session: Session, actor: Actor, model: type[R], row_id: int) -> tuple[R, Project]:
    """The live line and its project, when the actor may change that project.

    NOT_FOUND (on `id`) names the line whether it is missing, archived or of a project
    the actor may not read. Who may write at all is settled first.
    """
    what = model.__name__.lower()
    require_writer(actor)
    row = session.get(model, row_id)
    if row is None or row.archived_at is not None:
        raise NotFound(what, ("id",))
    try:
        project = get_project_for_write(
            session=session, actor=actor, project_id=row.project_id, field="id"
        )
    except NotFound:
        raise NotFound(what, ("id",)) from None
    return row, project


def _correct(
    session: Session,
    actor: Actor,
    row: R,
    project: Project,
    values: dict[str, Any],
    changes: Mapping[str, Any],
) -> R:
    """Sets the cleaned values and the key, audits from -> to, and raises the version."""
    if "external_id" in changes:
        owner = row.external_owner_id or records.key_owner(actor, project.lead_organisation_id)
        key = records.external_id(changes["external_id"])
        records.claim(
            session, type(row), owner_column=OWNER, owner_id=owner, key=key, current_id=row.id
        )
        values.update(external_id=key, external_owner_id=owner)
    diff = records.apply(row, values)
    if not diff:
        return row
    diff.pop("external_owner_id", None)
    session.add(row)
    touch(session=session, project=project)
    refresh_project_economics(session=session, project_id=row.project_id)
    audit.record(
        session=session,
        actor=actor,
        action=f"{type(row).__name__.lower()}.update",
        entity=row,
        organisation_id=project.lead_organisation_id,
        changes=diff,
    )
    return row


def update_cost(
    *,
    session: Session,
    actor: Actor,
    cost_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Cost:
    """Corrects the fields in `changes` (service names: `amount` in pounds); left-out
    fields stay, null clears `period_start`, `period_end`, `funding_source` or
    `external_id`. The line keeps the stage it was recorded at."""
    records.given(changes, COST_EDITABLE, COST_REQUIRED)
    cost, project = _for_write(session, actor, Cost, cost_id)
    records.check_version(cost, expected_version, "the cost")
    current: dict[str, Any] = {
        "category": cost.category,
        "description": cost.description,
        "amount": pounds(cost.amount_pence),
        "currency": cost.currency,
        "recurring": cost.recurring,
        "period_start": cost.period_start,
        "period_end": cost.period_end,
        "funding_source": cost.funding_source,
        "confidence": cost.confidence,
    }
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    return _correct(session, actor, cost, project, clean_cost(project, **merged), changes)


def update_benefit(
    *,
    session: Session,
    actor: Actor,
    benefit_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Benefit:
    """Corrects the fields in `changes` (`amount` in pounds, shares 0..1); left-out fields
    stay, null clears `amount` (not yet monetised), `beneficiary` (unless FISCAL), the
    period or `external_id`."""
    records.given(changes, BENEFIT_EDITABLE, BENEFIT_REQUIRED)
    benefit, project = _for_write(session, actor, Benefit, benefit_id)
    records.check_version(benefit, expected_version, "the benefit")
    current: dict[str, Any] = {
        "kind": benefit.kind,
        "description": benefit.description,
        "amount": None if benefit.amount_pence is None else pounds(benefit.amount_pence),
        "currency": benefit.currency,
        "beneficiary": benefit.beneficiary,
        "period_start": benefit.period_start,
        "period_end": benefit.period_end,
        "deadweight": share(benefit.deadweight_bp),
        "attribution": share(benefit.attribution_bp),
        "confidence": benefit.confidence,
    }
    merged = {**current, **{k: v for k, v in changes.items() if k != "external_id"}}
    return _correct(session, actor, benefit, project, clean_benefit(project, **merged), changes)
