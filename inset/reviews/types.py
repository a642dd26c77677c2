from __future__ import annotations

from collections import Counter
from datetime import datetime
from enum import Enum
from typing import Any

import strawberry

from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.db import pk
from inset.gates.criteria import GATES
from inset.graphql.context import Info
from inset.graphql.descriptions import described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.projects.loaders import project_by_id
from inset.projects.models import Stage
from inset.projects.types import Project
from inset.reviews import models
from inset.reviews.loaders import gate_review_by_id, open_reviews_by_project
from inset.reviews.models import Assessment, Recommendation
from inset.reviews.panels import state_of

described_enum(
    models.Assessment,
    "How far a reviewer finds one criterion of the gate met.",
    {
        Assessment.MET: "Fully met; a comment is optional.",
        Assessment.PARTLY_MET: "Met in part; the comment says what is missing.",
        Assessment.NOT_MET: "Not met; the comment says why.",
    },
)
described_enum(
    models.Recommendation,
    "The gate decision a reviewer recommends (the decision itself is taken with "
    "decideGate, by the project's team or STAFF).",
    {
        Recommendation.GO: "Go on to the next stage.",
        Recommendation.HOLD: "Put the project ON_HOLD at its stage.",
        Recommendation.RECYCLE: "Send it back to an earlier stage, with a lesson.",
        Recommendation.STOP: "Stop the trial for good, with a lesson.",
    },
)

_DESCRIPTIONS = {c.code: c.description for gate in GATES.values() for c in gate}


@strawberry.type(description="A reviewer's assessment of one criterion of the gate.")
class CriterionReview:
    criterion: str = strawberry.field(description='The criterion\'s code, e.g. "evidence_level_3".')
    description: str = strawberry.field(description="The criterion, as readiness shows it.")
    assessment: Assessment = strawberry.field(description="How far the reviewer finds it met.")
    comment: str | None = strawberry.field(
        description="Why it is not fully met, up to 20,000 characters; always present "
        "unless the criterion is MET (then optional)."
    )


@strawberry.type(
    description="One reviewer's place on the review panel of a project's gate, and their "
    "review once submitted. Readable by staff, by the reviewer, and by the project's team "
    "(accounts of its lead and partner organisations) once the panel is complete or a "
    "decision has closed it; to anyone else it does not exist."
)
class GateReview(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int]
    reviewer_pk: strawberry.Private[int]
    to_stage: Stage = strawberry.field(description="The gate reviewed: the one into this stage.")
    appointed_at: datetime = strawberry.field(
        description="When STAFF appointed the reviewer (UTC)."
    )
    submitted_at: datetime | None = strawberry.field(
        description="Null until the reviewer submits; the time of the latest correction after."
    )
    recommendation: Recommendation | None = strawberry.field(
        description="The decision the reviewer recommends; null until submitted."
    )
    rationale: str | None = strawberry.field(
        description="Why, in the reviewer's words (up to 20,000 characters); null until submitted."
    )
    assessments: list[CriterionReview] = strawberry.field(
        description="One per criterion of the gate, in the gate's order; empty until submitted."
    )
    withdrawn: bool = strawberry.field(description="Staff took this reviewer off the panel.")
    closed: bool = strawberry.field(
        description="A decision (GO, RECYCLE or STOP) has closed the panel."
    )

    @classmethod
    def from_model(cls, row: models.GateReview) -> GateReview:
        return cls(
            pk=pk(row),
            project_pk=row.project_id,
            reviewer_pk=row.reviewer_id,
            to_stage=row.to_stage,
            appointed_at=row.appointed_at,
            submitted_at=row.submitted_at,
            recommendation=row.recommendation,
            rationale=row.rationale,
            assessments=[
                CriterionReview(
                    criterion=a["criterion"],
                    description=_DESCRIPTIONS.get(a["criterion"], ""),
                    assessment=Assessment(a["assessment"]),
                    comment=a.get("comment"),
                )
                for a in row.assessments
            ],
            withdrawn=row.withdrawn_at is not None,
            closed=row.closed_by_decision_id is not None,
        )

    @strawberry.field(
        description="Who reviews: STAFF, or an account of an organisation that is neither "
        "the project's lead nor a partner (its email only for STAFF and that account)."
    )
    async def reviewer(self, info: Info) -> Account:
        row = await info.context.loaders.load(account_by_reference, self.reviewer_pk)
        if row is None:  # pragma: no cover - a foreign key
            raise ValueError("reviewer missing")
        return Account.from_model(row)

    @strawberry.field(description="The project reviewed; null if you may no longer read it.")
    async def project(self, info: Info) -> Project | None:
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

    @strawberry.field(
        description="The reviewer may still change it: the panel is open and not complete."
    )
    async def correctable(self, info: Info) -> bool:
        if self.withdrawn or self.closed:
            return False
        rows = await info.context.loaders.load(open_reviews_by_project, self.project_pk)
        return not state_of([r for r in rows if r.to_stage is self.to_stage]).complete


async def readable_reviews_of(info: Info, ids: list[int]) -> list[GateReview | None]:
    """The reviews of `ids` as the viewer may read them, None for the others."""
    rows = await info.context.loaders.load_many(gate_review_by_id, ids)
    return [GateReview.from_model(r) if r is not None else None for r in rows]


@strawberry.enum(description="Whether every appointed reviewer has submitted.")
class PanelStatus(Enum):
    IN_PROGRESS = strawberry.enum_value(
        "IN_PROGRESS", description="At least one appointed reviewer has not submitted yet."
    )
    COMPLETE = strawberry.enum_value(
        "COMPLETE",
        description="Every appointed reviewer (at least one) has submitted: the reviews "
        "stand and the panel takes no more reviewers.",
    )


@strawberry.type(
    description="The review panel of a project's next gate. Every reader of the project sees "
    "that it exists, its status and its counts; `reviews` holds only the reviews you may "
    "read: staff all, a reviewer their own, the project's team (its lead and partner "
    "organisations) all of them once the panel is complete."
)
class ReviewPanel:
    review_pks: strawberry.Private[list[int]]
    to_stage: Stage = strawberry.field(description="The gate reviewed: the one into this stage.")
    appointed: int = strawberry.field(description="Reviewers on the panel (not withdrawn).")
    submitted: int = strawberry.field(description="Of those, how many have submitted.")
    status: PanelStatus = strawberry.field(
        description="COMPLETE when every appointed reviewer has submitted."
    )
    required: bool = strawberry.field(
        description="The settings require a complete panel before a GO at this gate "
        "(INSET_REVIEW_REQUIRED_GATES); staff may still override with a reason."
    )

    @strawberry.field(description="The reviews you may read, in the order appointed.")
    async def reviews(self, info: Info) -> list[GateReview]:
        return [r for r in await readable_reviews_of(info, self.review_pks) if r is not None]


@strawberry.type(description="How many reviewers recommended one decision.")
class RecommendationCount:
    recommendation: Recommendation = strawberry.field(
        description="The decision recommended (GO, HOLD, RECYCLE or STOP)."
    )
    count: int = strawberry.field(description="Submitted reviews recommending it, at least 1.")


@strawberry.type(description="The review panel as the gate decision found it.")
class DecisionPanel:
    review_pks: strawberry.Private[list[int]]
    recommended: strawberry.Private[list[str]]
    to_stage: Stage = strawberry.field(description="The gate reviewed: the one into this stage.")
    appointed: int = strawberry.field(
        description="Reviewers on the panel (not withdrawn) when the decision was taken."
    )
    submitted: int = strawberry.field(description="Of those, how many had submitted.")
    complete: bool = strawberry.field(description="Every appointed reviewer had submitted.")

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> DecisionPanel:
        reviews = snapshot.get("reviews", [])
        return cls(
            review_pks=[r["review_id"] for r in reviews],
            recommended=[r["recommendation"] for r in reviews],
            to_stage=Stage(snapshot["to_stage"]),
            appointed=snapshot["appointed"],
            submitted=snapshot["submitted"],
            complete=snapshot["complete"],
        )

    @strawberry.field(
        description="The submitted reviews' recommendations, counted, most first; null unless "
        "you may read every one of those reviews (staff, and the project's team once the "
        "panel was complete or the decision closed it)."
    )
    async def recommendations(self, info: Info) -> list[RecommendationCount] | None:
        readable = await readable_reviews_of(info, self.review_pks)
        if any(r is None for r in readable):
            return None
        counts = Counter(self.recommended)
        return [
            RecommendationCount(recommendation=Recommendation(k), count=n)
            for k, n in sorted(
                counts.items(),
                key=lambda kv: (-kv[1], list(Recommendation).index(Recommendation(kv[0]))),
            )
        ]

    @strawberry.field(description="The submitted reviews you may read.")
    async def reviews(self, info: Info) -> list[GateReview]:
        return [r for r in await readable_reviews_of(info, self.review_pks) if r is not None]


@strawberry.input(description="Reviewers to add to the panel of a project's next gate.")
class AppointReviewersInput:
    project_id: strawberry.ID = strawberry.field(
        description="The project's global id; NOT_FOUND when it is unknown or archived. "
        "INVALID when it is stopped or at SCALE (no gate ahead)."
    )
    reviewer_ids: list[strawberry.ID] = strawberry.field(
        description="Accounts' global ids, at least one (REQUIRED): STAFF, or accounts of "
        "member organisations other than the project's lead and partners; a non-staff "
        "reviewer must be able to read the project, so a PRIVATE project takes STAFF only "
        '(else INVALID, naming the position, e.g. ["input", "reviewerIds", "1"]). '
        "An unknown or archived account is NOT_FOUND; one already on the panel, or given "
        "twice, DUPLICATE. A panel holds at most 12 reviewers (INVALID)."
    )
    to_stage: Stage | None = strawberry.field(
        default=None,
        description="The gate, by the stage it leads into; only the project's next stage "
        "(anything else is INVALID). Null: the next one.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Optional, 1..200 characters (else INVALID). Sent again by the same "
        "credential within 24 hours with the same input, it replays the first answer "
        "without appointing anyone twice; with other input it is DUPLICATE.",
    )


@strawberry.type(description="The result of appointReviewers.")
class AppointReviewersPayload:
    project_pk: strawberry.Private[int | None]
    user_errors: list[UserError] = strawberry.field(
        description="Why nobody was appointed; empty on success."
    )

    @strawberry.field(description="The project; its reviewPanel shows the panel now.")
    async def project(self, info: Info) -> Project | None:
        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None


@strawberry.input(description="The reviewer's place to take off the panel.")
class WithdrawReviewerInput:
    review_id: strawberry.ID = strawberry.field(
        description="The GateReview's global id; NOT_FOUND when it is unknown or its project "
        "archived. INVALID when already withdrawn, submitted, or closed by a decision."
    )


@strawberry.input(description="A reviewer's assessment of one criterion.")
class CriterionAssessmentInput:
    criterion: str = strawberry.field(
        description="The criterion's code, as readiness lists it; INVALID when it is not a "
        "criterion of this gate, DUPLICATE when assessed twice."
    )
    assessment: Assessment = strawberry.field(description="How far it is met.")
    comment: str | None = strawberry.field(
        default=None,
        description="Why it is not fully met: REQUIRED unless the assessment is MET; "
        "trimmed, up to 20,000 characters (TOO_LONG); checked for personal data "
        "(PERSONAL_DATA).",
    )


@strawberry.input(
    description="Every criterion of the gate (mandatory and advice) assessed once, a "
    "recommendation and its rationale. Submitting again corrects the review, until the "
    "panel is complete or a decision closes it."
)
class SubmitReviewInput:
    review_id: strawberry.ID = strawberry.field(
        description="Your place on the panel (Account.reviewsToDo); NOT_FOUND when it is "
        "not yours. INVALID when you were withdrawn, the panel is complete, or a decision "
        "closed it."
    )
    assessments: list[CriterionAssessmentInput] = strawberry.field(
        description="One per criterion of the gate, mandatory and advice, in any order; "
        "REQUIRED when any is missing. Stored in the gate's order."
    )
    recommendation: Recommendation = strawberry.field(description="The decision you recommend.")
    rationale: str = strawberry.field(
        description="Why: trimmed, 1..20,000 characters (REQUIRED, TOO_LONG); checked for "
        "personal data (PERSONAL_DATA)."
    )


@strawberry.type(description="The result of a review mutation.")
class ReviewPayload:
    review: GateReview | None = strawberry.field(
        description="The review as it is now; null when there are userErrors."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was changed; empty on success."
    )
