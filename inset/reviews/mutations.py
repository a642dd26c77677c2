from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import Session

from inset.errors import NotFound
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.ids import pk_of
from inset.projects.models import Project
from inset.reviews import models, service
from inset.reviews.types import (
    AppointReviewersInput,
    AppointReviewersPayload,
    GateReview,
    ReviewPayload,
    SubmitReviewInput,
    WithdrawReviewerInput,
)


def _account_pk(global_id: str, index: int) -> int:
    found = pk_of(global_id, "Account")
    if found is None:
        raise NotFound("account", ("reviewer_ids", str(index)))
    return found


def _review_payload(result: models.GateReview | list) -> ReviewPayload:  # type: ignore[type-arg]
    if isinstance(result, list):
        return ReviewPayload(review=None, user_errors=result)
    return ReviewPayload(review=GateReview.from_model(result), user_errors=[])


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="STAFF: appoint reviewers to the review panel of a project's next gate "
        "(a panel that is complete takes no more). Idempotent with idempotencyKey. User "
        "errors: FORBIDDEN (not STAFF with a read_write credential), NOT_FOUND (projectId, "
        "reviewerIds), REQUIRED (reviewerIds empty), INVALID (no gate ahead, toStage, panel "
        "complete, more than 12, a reviewer of the project's own organisations or unable "
        "to read it, idempotencyKey), DUPLICATE (a reviewer already on the panel or given "
        "twice; idempotencyKey used with other input)."
    )
    def appoint_reviewers(
        self,
        info: Info,
        input: Annotated[
            AppointReviewersInput,
            strawberry.argument(description="The project, its gate and the reviewers."),
        ],
    ) -> AppointReviewersPayload:
        def work(session: Session) -> Project:
            project, _ = service.appoint_reviewers(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                reviewer_ids=[_account_pk(g, i) for i, g in enumerate(input.reviewer_ids)],
                to_stage=input.to_stage,
            )
            return project

        result = run_mutation(info, work, name="appointReviewers", data=input, replay=Project)
        if isinstance(result, list):
            return AppointReviewersPayload(project_pk=None, user_errors=result)
        return AppointReviewersPayload(project_pk=result.id, user_errors=[])

    @strawberry.mutation(
        description="STAFF: take a reviewer who has not submitted off the panel (kept, "
        "marked `withdrawn`). User errors: FORBIDDEN (not STAFF with a read_write "
        "credential), NOT_FOUND (reviewId), INVALID (already withdrawn, submitted, or the "
        "panel closed by a decision)."
    )
    def withdraw_reviewer(
        self,
        info: Info,
        input: Annotated[
            WithdrawReviewerInput, strawberry.argument(description="The place to withdraw.")
        ],
    ) -> ReviewPayload:
        def work(session: Session) -> models.GateReview:
            return service.withdraw_reviewer(
                session=session,
                actor=info.context.actor,
                review_id=decode_id(input.review_id, "GateReview", "review_id"),
            )

        return _review_payload(run_mutation(info, work, name="withdrawReviewer"))

    @strawberry.mutation(
        description="The reviewer's own review: every criterion assessed, a recommendation "
        "and its rationale. Submitting again corrects it until the panel is complete or "
        "a decision closes it. Only by the appointed reviewer, signed in as a person with "
        "a read_write credential. User errors: FORBIDDEN (not signed in as a person, "
        "read-only token, or your organisation has since joined the project), NOT_FOUND "
        "(reviewId not yours), INVALID (withdrawn, panel complete or closed, a criterion "
        "not of this gate), DUPLICATE (a criterion assessed twice), REQUIRED (a criterion "
        "not assessed, a comment, rationale), TOO_LONG (comment, rationale), PERSONAL_DATA "
        "(comment, rationale)."
    )
    def submit_review(
        self,
        info: Info,
        input: Annotated[
            SubmitReviewInput,
            strawberry.argument(description="Your place on the panel and your review."),
        ],
    ) -> ReviewPayload:
        def work(session: Session) -> models.GateReview:
            return service.submit_review(
                session=session,
                actor=info.context.actor,
                review_id=decode_id(input.review_id, "GateReview", "review_id"),
                assessments=[
                    service.CriterionAssessment(
                        criterion=a.criterion, assessment=a.assessment, comment=a.comment
                    )
                    for a in input.assessments
                ],
                recommendation=input.recommendation,
                rationale=input.rationale,
            )

        return _review_payload(run_mutation(info, work, name="submitReview"))
