from __future__ import annotations

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.descriptions import Input
from inset.graphql.errors import UserError, shown
from inset.graphql.ids import decode_id
from inset.graphql.inputs import sent
from inset.graphql.transaction import run_mutation
from inset.lessons import corrections, marks, models, service, tags
from inset.lessons.types import (
    Lesson,
    LessonMarkInput,
    LessonMarkPayload,
    LessonPayload,
    RecordLessonInput,
    UpdateLessonInput,
)


@strawberry.type
class LessonMutation:
    @strawberry.mutation(
        description="Records what the project learned. Idempotent with idempotencyKey. For "
        "LEADs of the project's lead or partner organisations, and STAFF. User errors: "
        "NOT_FOUND, FORBIDDEN, REQUIRED, TOO_LONG, INVALID (a barrier tag, a stage not "
        "reached, externalId, idempotencyKey), PERSONAL_DATA, ANONYMITY (an anonymised "
        "lesson naming its project, organisations or people), DUPLICATE (externalId taken, "
        "with existingId; idempotencyKey used with other input)."
    )
    def record_lesson(self, info: Info, input: Input[RecordLessonInput]) -> LessonPayload:
        def work(session: Session) -> models.Lesson:
            return service.record_lesson(
                session=session,
                actor=info.context.actor,
                project_id=decode_id(input.project_id, "Project", "project_id"),
                kind=input.kind,
                title=input.title,
                body=input.body,
                barriers=tags.tag_texts(input.barriers, input.barrier_tags, ("barrier_tags",)),
                shared_with=input.visibility,
                anonymised=input.anonymised,
                stage=input.stage,
                external_id=input.external_id,
            )

        result = run_mutation(info, work, name="recordLesson", data=input, replay=models.Lesson)
        return _payload(result)

    @strawberry.mutation(
        description="Corrects a lesson. User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale "
        "expectedVersion), REQUIRED, TOO_LONG, INVALID, PERSONAL_DATA, ANONYMITY, DUPLICATE "
        "(externalId, with existingId)."
    )
    def update_lesson(self, info: Info, input: Input[UpdateLessonInput]) -> LessonPayload:
        def work(session: Session) -> models.Lesson:
            return corrections.update_lesson(
                session=session,
                actor=info.context.actor,
                lesson_id=decode_id(input.id, "Lesson", "id"),
                expected_version=input.expected_version,
                changes=_changes(input),
            )

        return _payload(run_mutation(info, work, name="updateLesson"))

    @strawberry.mutation(
        description="Marks a lesson you may read as useful to you: one mark a person, so "
        "marking it again changes nothing. Any signed-in account, MEMBERs included. User "
        "errors: NOT_FOUND (a lesson you may not read, or archived), FORBIDDEN (anonymous, "
        "an integration, or a READ token)."
    )
    def mark_lesson_useful(self, info: Info, input: Input[LessonMarkInput]) -> LessonMarkPayload:
        return _marked(info, input, marks.mark_useful, "markLessonUseful")

    @strawberry.mutation(
        description="Takes back your mark on a lesson; without one it changes nothing. User "
        "errors: NOT_FOUND, FORBIDDEN (as markLessonUseful)."
    )
    def unmark_lesson_useful(self, info: Info, input: Input[LessonMarkInput]) -> LessonMarkPayload:
        return _marked(info, input, marks.unmark_useful, "unmarkLessonUseful")


def _changes(input: UpdateLessonInput) -> dict[str, object]:
    """The fields sent, by service names: `barrierTags` as the tags' text, in `barriers`."""
    changes = sent(input, {"visibility": "shared_with"})
    texts = tags.tag_texts(
        changes.pop("barriers", strawberry.UNSET),
        changes.pop("barrier_tags", strawberry.UNSET),
        ("barrier_tags",),
    )
    if texts is not strawberry.UNSET:
        changes["barriers"] = texts
    return changes


def _marked(
    info: Info, input: LessonMarkInput, change: marks.MarkChange, name: str
) -> LessonMarkPayload:
    def work(session: Session) -> models.Lesson:
        return change(
            session=session,
            actor=info.context.actor,
            lesson_id=decode_id(input.lesson_id, "Lesson", "lesson_id"),
        )

    result = run_mutation(info, work, name=name, data=input)
    if isinstance(result, list):
        return LessonMarkPayload(lesson=None, user_errors=result)
    return LessonMarkPayload(lesson=Lesson.from_model(result), user_errors=[])


def _payload(result: models.Lesson | list[UserError]) -> LessonPayload:
    row, errors = shown(result, models.Lesson)
    if row is None:
        return LessonPayload(lesson=None, project_pk=None, user_errors=errors)
    return LessonPayload(
        lesson=Lesson.from_model(row), project_pk=row.project_id, user_errors=errors
    )
