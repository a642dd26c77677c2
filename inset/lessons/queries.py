from __future__ import annotations

import strawberry

from inset.graphql.context import Info
from inset.graphql.ids import ids_of
from inset.graphql.relay import Connection, connection
from inset.lessons import service
from inset.lessons.loaders import NEWEST_FIRST, lesson_count_by_project, lesson_pages_by_project
from inset.lessons.types import Lesson, LessonFilter
from inset.pagination import PageRequest, count, fetch_page


async def lessons_of(
    info: Info, project_pk: int, *, first: int | None, after: str | None
) -> Connection[Lesson]:
    """`Project.lessons`: the project's live lessons, newest first."""
    request = PageRequest.from_args(first=first, after=after)
    page = await info.context.loaders.load(lesson_pages_by_project, (project_pk, request))

    async def total() -> int:
        return await info.context.loaders.load(lesson_count_by_project, project_pk)

    return connection(page, Lesson.from_model, total)


@strawberry.type
class LessonQuery:
    @strawberry.field(
        description="The learning library: every lesson you may read, newest first. "
        "`search` matches words in the title or body, ignoring case. An unknown barrier "
        "tag in the filter is an error with code INVALID."
    )
    async def lessons(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        filter: LessonFilter | None = None,
    ) -> Connection[Lesson]:
        f = filter or LessonFilter()
        stmt = service.lesson_list(
            actor=info.context.actor,
            search=search,
            theme_ids=ids_of(f.themes, "Theme"),
            barriers=f.barriers,
            stages=f.stages,
            kinds=f.kinds,
            organisation_kinds=f.organisation_kinds,
            regions=f.regions,
            project_outcomes=f.project_outcomes,
        )
        request = PageRequest.from_args(first=first, after=after)
        session = info.context.session
        page = fetch_page(
            session, stmt, NEWEST_FIRST, request, lambda row: (row.recorded_at, row.id)
        )

        async def total() -> int:
            return count(session, stmt)

        return connection(page, Lesson.from_model, total)
