"""Gate review panels (DESIGN.md section 11): staff appoint reviewers for a project's next
gate, each reviewer assesses the gate's criteria and recommends, and the gate decision
records what the panel recommended.

Rules the design leaves open, decided here:

- A reviewer is STAFF, or an account of an organisation that is neither the project's lead
  nor one of its partners; they must be able to read the project (so a PRIVATE project can
  only be reviewed by staff until its team shares it with members). Any role may review:
  the appointment is the right to write that one review (with a writing token).
- A review may be corrected by its reviewer until the panel is complete (every appointed
  reviewer has submitted) or a decision closes it; after that it stands as submitted.
- A complete panel takes no more reviewers, and a reviewer who has submitted cannot be
  withdrawn: what the lead may read does not change under them.
- GO, RECYCLE and STOP close the panel (the gate is left); HOLD and RESUME leave it open.
  Every decision stores a snapshot of the panel (`panel_snapshot`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_staff
from inset.accounts.models import Account, Role, TokenScope
from inset.audit import service as audit
from inset.db import TEXT_LENGTH, pk, utcnow
from inset.errors import DomainError, Duplicate, Forbidden, Invalid, NotFound, Required, TooLong
from inset.gates.criteria import GATES
from inset.organisations.models import Organisation
from inset.projects.models import Project, Stage, Visibility
from inset.projects.service import get_project_for_write, partner_ids
from inset.reviews.models import Assessment, GateReview, Recommendation
from inset.reviews.panels import open_reviews, panel_stage, state_of
from inset.validation import no_personal_data

MAX_REVIEWERS = 12
SUBMITTED = ["assessments", "recommendation", "rationale", "submitted_at"]


@dataclass(frozen=True)
class CriterionAssessment:
    criterion: str
    assessment: Assessment
    comment: str | None = None


def _gate_of(project: Project, to_stage: Stage | None) -> Stage:
    target = panel_stage(project)
    if target is None:
        reason = "was stopped" if project.stage.next() else f"is at {project.stage}, the last stage"
        raise Invalid(f"the project {reason}: it has no gate to review", ("project_id",))
    if to_stage is not None and to_stage is not target:
        raise Invalid(
            f"a panel reviews the project's next gate, into {target}, not {to_stage}",
            ("to_stage",),
        )
    return target


def _check_reviewer(
    session: Session, project: Project, team: set[int], reviewer_id: int, field: tuple[str, ...]
) -> Account:
    account = session.get(Account, reviewer_id)
    if account is None or account.archived_at is not None:
        raise NotFound("account", field)
    organisation = session.get(Organisation, account.organisation_id)
    if organisation is None or organisation.archived_at is not None:
        raise NotFound("account", field)
    if account.role is Role.STAFF:
        return account
    if account.organisation_id in team:
        raise Invalid(
            f"{account.name} works for one of the project's own organisations; choose staff "
            "or someone from another member organisation",
            field,
        )
    if project.visibility is Visibility.PRIVATE:
        raise Invalid(
            f"{account.name} cannot read this private project; choose staff, or share the "
            "project with members first",
            field,
        )
    return account


def appoint_reviewers(
    *,
    session: Session,
    actor: Actor,
    project_id: int,
    reviewer_ids: Sequence[int],
    to_stage: Stage | None = None,
) -> tuple[Project, list[GateReview]]:
    """Adds reviewers to the panel of the project's next gate; returns the new places.

    Errors name the reviewer by position: `("reviewer_ids", "1")`.
    """
    require_staff(actor, "appoint reviewers")
    project = get_project_for_write(session=session, actor=actor, project_id=project_id)
    target = _gate_of(project, to_stage)
    if not reviewer_ids:
        raise Required(("reviewer_ids",), "Choose at least one reviewer")
    current = open_reviews(session=session, project_id=project_id, to_stage=target)
    if state_of(current).complete:
        raise Invalid(
            "the panel is complete: every reviewer has submitted, so it takes no more "
            "reviewers before the gate decision",
            ("reviewer_ids",),
        )
    if len(current) + len(reviewer_ids) > MAX_REVIEWERS:
        raise Invalid(f"a panel has at most {MAX_REVIEWERS} reviewers", ("reviewer_ids",))
    team = {project.lead_organisation_id, *partner_ids(session=session, project_id=project_id)}
    seated = {r.reviewer_id for r in current}
    added: list[GateReview] = []
    for index, reviewer_id in enumerate(reviewer_ids):
        field = ("reviewer_ids", str(index))
        account = _check_reviewer(session, project, team, reviewer_id, field)
        if reviewer_id in seated:
            raise Duplicate(f"{account.name} is already on the panel", field)
        seated.add(reviewer_id)
        row = GateReview(
            project_id=project_id,
            to_stage=target,
            reviewer_id=reviewer_id,
            appointed_by_id=actor.account_id,
        )
        session.add(row)
        added.append(row)
    session.flush()
    for row in added:
        audit.record(
            session=session,
            actor=actor,
            action="review.appoint",
            entity=row,
            # Review events are for staff: the team reads the panel once it is complete.
            organisation_id=None,
            changes=audit.created(row, ["project_id", "to_stage", "reviewer_id"]),
        )
    return project, added


def _open_review_for_write(session: Session, actor: Actor, review_id: int) -> GateReview:
    review = session.get(GateReview, review_id)
    if review is None:
        raise NotFound("review", ("review_id",))
    if review.withdrawn_at is not None:
        raise Invalid("this reviewer was withdrawn from the panel", ("review_id",))
    if review.closed_by_decision_id is not None:
        raise Invalid("the gate decision has been taken: the panel is closed", ("review_id",))
    return review


def withdraw_reviewer(*, session: Session, actor: Actor, review_id: int) -> GateReview:
    """Takes a reviewer who has not submitted off the panel (the row is kept, marked)."""
    require_staff(actor, "withdraw reviewers")
    review = _open_review_for_write(session, actor, review_id)
    get_project_for_write(session=session, actor=actor, project_id=review.project_id)
    if review.submitted_at is not None:
        raise Invalid(
            "this reviewer has submitted their review: a submitted review stays on the panel",
            ("review_id",),
        )
    review.withdrawn_at = utcnow()
    session.add(review)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="review.withdraw",
        entity=review,
        organisation_id=None,
        changes={"withdrawn_at": (None, review.withdrawn_at)},
    )
    return review


def _guard(prefix: tuple[str, ...], fields: dict[str, str | None]) -> None:
    """The personal-data guard, naming the field under `prefix`. Reviews are never
    public: only staff, the reviewer and the project's team read them."""
    try:
        no_personal_data(fields, public=False)
    except DomainError as error:
        error.field = (*prefix, *(error.field or ()))
        raise


def _check_assessments(
    to_stage: Stage, assessments: Sequence[CriterionAssessment]
) -> list[dict[str, Any]]:
    """One assessment per criterion of the gate, in the gate's order."""
    codes = [c.code for c in GATES[to_stage]]
    given: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(assessments):
        path = ("assessments", str(index))
        if item.criterion not in codes:
            raise Invalid(
                f"{item.criterion} is not a criterion of the gate into {to_stage}",
                (*path, "criterion"),
            )
        if item.criterion in given:
            raise Duplicate(f"{item.criterion} is assessed twice", (*path, "criterion"))
        comment = (item.comment or "").strip() or None
        if comment is None and item.assessment is not Assessment.MET:
            raise Required(
                (*path, "comment"), "Enter a comment saying why this criterion is not fully met"
            )
        if comment is not None and len(comment) > TEXT_LENGTH:
            raise TooLong((*path, "comment"), TEXT_LENGTH)
        _guard(path, {"comment": comment})
        given[item.criterion] = {
            "criterion": item.criterion,
            "assessment": item.assessment.value,
            "comment": comment,
        }
    missing = [c for c in codes if c not in given]
    if missing:
        raise Required(
            ("assessments",),
            f"Assess every criterion of the gate: {len(missing)} not assessed yet",
        )
    return [given[c] for c in codes]


def submit_review(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    assessments: Sequence[CriterionAssessment],
    recommendation: Recommendation,
    rationale: str,
) -> GateReview:
    """Records (or corrects) the reviewer's own review; see the module docstring for when
    it can no longer be changed. Every criterion of the gate, mandatory or advice, is
    assessed; a comment is required unless the criterion is met."""
    if actor.account_id is None:
        raise Forbidden("sign in to submit a review")
    if actor.scope is TokenScope.READ:
        raise Forbidden("this API token may only read; use a READ_WRITE token")
    review = session.get(GateReview, review_id)
    if review is None or review.reviewer_id != actor.account_id:
        # Someone else's review does not exist for this actor, as a record they may not read.
        raise NotFound("review", ("review_id",))
    project = session.scalars(
        sa.select(Project).where(col(Project.id) == review.project_id).with_for_update()
    ).one()
    if project.archived_at is not None:
        raise NotFound("review", ("review_id",))
    review = _open_review_for_write(session, actor, review_id)
    panel = open_reviews(session=session, project_id=review.project_id, to_stage=review.to_stage)
    if state_of(panel).complete:
        raise Invalid(
            "the panel is complete, so its reviews can no longer be changed", ("review_id",)
        )
    reviewer = session.get(Account, actor.account_id)
    team = {project.lead_organisation_id, *partner_ids(session=session, project_id=pk(project))}
    if reviewer is None or (reviewer.role is not Role.STAFF and reviewer.organisation_id in team):
        raise Forbidden(
            "your organisation now works on this project, so you cannot review its gate",
            ("review_id",),
        )
    checked = _check_assessments(review.to_stage, assessments)
    cleaned = (rationale or "").strip()
    if not cleaned:
        raise Required(("rationale",), "Enter a rationale for your recommendation")
    if len(cleaned) > TEXT_LENGTH:
        raise TooLong(("rationale",), TEXT_LENGTH)
    _guard((), {"rationale": cleaned})
    before = {name: getattr(review, name) for name in SUBMITTED}
    review.assessments = checked
    review.recommendation = recommendation
    review.rationale = cleaned
    review.submitted_at = utcnow()
    session.add(review)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="review.submit",
        entity=review,
        organisation_id=None,
        changes=audit.diff(before, review),
    )
    return review


def panel_snapshot(
    *, session: Session, project: Project, decision_id: int, closes: bool
) -> dict[str, Any] | None:
    """The panel of the project's next gate as a decision finds it, for the decision to
    keep; with `closes`, its places are closed by that decision. None without a panel."""
    target = panel_stage(project)
    if target is None:
        return None
    rows = open_reviews(session=session, project_id=pk(project), to_stage=target)
    if not rows:
        return None
    state = state_of(rows)
    if closes:
        for row in rows:
            row.closed_by_decision_id = decision_id
            session.add(row)
    return {
        "to_stage": target.value,
        "appointed": state.appointed,
        "submitted": state.submitted,
        "complete": state.complete,
        "reviews": [
            {"review_id": pk(r), "recommendation": r.recommendation.value}
            for r in rows
            if r.recommendation is not None and r.submitted_at is not None
        ],
    }
