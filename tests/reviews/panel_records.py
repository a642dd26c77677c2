"""Panels made through the services, for the review tests.

Not a conftest: `tests/conftest.py` is imported as `conftest` by other test modules, and a
second conftest here would shadow it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.access import Actor
from inset.db import transaction
from inset.gates.criteria import GATES
from inset.projects.models import Project, Stage
from inset.reviews import service as reviews
from inset.reviews.models import Assessment, GateReview, Recommendation


def every_criterion_met(to_stage: Stage) -> list[reviews.CriterionAssessment]:
    return [reviews.CriterionAssessment(c.code, Assessment.MET) for c in GATES[to_stage]]


@dataclass
class Panels:
    engine: Engine

    def appoint(
        self, staff: Actor, project: Project, reviewers: Sequence[Actor], **options: object
    ) -> list[GateReview]:
        with transaction(self.engine) as session:
            _, rows = reviews.appoint_reviewers(
                session=session,
                actor=staff,
                project_id=project.id or 0,
                reviewer_ids=[r.account_id or 0 for r in reviewers],
                **options,  # type: ignore[arg-type]
            )
            return rows

    def submit(
        self,
        reviewer: Actor,
        review: GateReview,
        recommendation: Recommendation = Recommendation.GO,
        rationale: str = "The evidence holds up; scale it with the same evaluator.",
        assessments: list[reviews.CriterionAssessment] | None = None,
    ) -> GateReview:
        with transaction(self.engine) as session:
            return reviews.submit_review(
                session=session,
                actor=reviewer,
                review_id=review.id or 0,
                assessments=every_criterion_met(review.to_stage)
                if assessments is None
                else assessments,
                recommendation=recommendation,
                rationale=rationale,
            )

    def withdraw(self, staff: Actor, review: GateReview) -> GateReview:
        with transaction(self.engine) as session:
            return reviews.withdraw_reviewer(session=session, actor=staff, review_id=review.id or 0)

    def row(self, review: GateReview) -> GateReview:
        with Session(self.engine) as session:
            found = session.get(GateReview, review.id)
            assert found is not None
            return found
