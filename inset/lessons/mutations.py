from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.lessons import models, service
from inset.lessons.types import Lesson, LessonPayload, RecordLessonInput


@strawberry.type
class LessonMutation:
    @strawberry.mutation(
        description="Records what the project learned. Idempotent with idempotencyKey."
    )
    def record_lesson(self, info: Info, input: RecordLessonInput) -> LessonPayload:
        def work(session: Session) -> models.Lesson:
            return service.record_lesson(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                kind=input.kind,
                title=input.title,
                body=input.body,
                barriers=input.barriers,
                shared_with=input.visibility,
                anonymised=input.anonymised,
                stage=input.stage,
            )

        result = run_mutation(info, work, name="recordLesson", data=input, replay=models.Lesson)
        if isinstance(result, list):
            return LessonPayload(lesson=None, project_pk=None, user_errors=result)
        return LessonPayload(
            lesson=Lesson.from_model(result), project_pk=result.project_id, user_errors=[]
        )
