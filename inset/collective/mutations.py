from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import Session

from inset.collective import models, service
from inset.collective.digest import case_study_view
from inset.collective.types import (
    CaseStudy,
    CaseStudyPayload,
    FeatureCaseStudyInput,
    UnfeatureCaseStudyInput,
    UnfeatureCaseStudyPayload,
)
from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.projects.loaders import project_by_id
from inset.projects.types import Project


@strawberry.type
class CollectiveMutation:
    @strawberry.mutation(
        description="Staff put a project in a year's digest, at a position, with a summary. "
        "Featuring it again moves it and replaces the summary. Idempotent with "
        "idempotencyKey. User errors: FORBIDDEN (not STAFF with a read_write credential), "
        "NOT_FOUND (projectId), INVALID (year, position, a project not PUBLIC or before "
        "EVALUATION, idempotencyKey), REQUIRED (summary), TOO_LONG (summary), PERSONAL_DATA "
        "(summary), DUPLICATE (idempotencyKey used with other input)."
    )
    def feature_case_study(
        self,
        info: Info,
        input: Annotated[
            FeatureCaseStudyInput,
            strawberry.argument(description="The project, year, position and summary."),
        ],
    ) -> CaseStudyPayload:
        def work(session: Session) -> models.CaseStudy:
            return service.feature_case_study(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                year=input.year,
                position=input.position,
                summary=input.summary,
            )

        result = run_mutation(
            info, work, name="featureCaseStudy", data=input, replay=models.CaseStudy
        )
        if isinstance(result, list):
            return CaseStudyPayload(case_study=None, user_errors=result)
        view = case_study_view(
            session=info.context.session,
            case_study_id=result.id or 0,
            optimism_bias=info.context.settings.optimism_bias,
        )
        return CaseStudyPayload(
            case_study=CaseStudy.of(view) if view is not None else None, user_errors=[]
        )

    @strawberry.mutation(
        description="Staff take a project out of a year's digest (kept in the audit log; "
        "the others keep their positions). User errors: FORBIDDEN (not STAFF with a "
        "read_write credential), INVALID (year), NOT_FOUND (projectId)."
    )
    async def unfeature_case_study(
        self,
        info: Info,
        input: Annotated[
            UnfeatureCaseStudyInput,
            strawberry.argument(description="The project and the year."),
        ],
    ) -> UnfeatureCaseStudyPayload:
        result = run_mutation(
            info,
            lambda session: service.unfeature_case_study(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                year=input.year,
            ),
            name="unfeatureCaseStudy",
        )
        if isinstance(result, list):
            return UnfeatureCaseStudyPayload(project=None, user_errors=result)
        row = await info.context.loaders.load(project_by_id, result.project_id)
        return UnfeatureCaseStudyPayload(
            project=Project.from_model(row) if row is not None else None, user_errors=[]
        )
