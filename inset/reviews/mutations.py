from __future__ import annotations

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
        description="STAFF: appoint reviewers to the review panel of a project's next gate. "
        "Idempotent with idempotencyKey."
    )
    def appoint_reviewers(
        self, info: Info, input: AppointReviewersInput
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
        description="STAFF: take a reviewer who has not submitted off the panel (kept, marked)."
    )
    def withdraw_reviewer(self, info: Info, input: WithdrawReviewerInput) -> ReviewPayload:
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
        "a decision closes it."
    )
    def submit_review(self, info: Info, input: SubmitReviewInput) -> ReviewPayload:
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
