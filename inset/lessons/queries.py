from __future__ import annotations

from typing import Annotated

import strawberry

from inset.graphql.context import Info
from inset.graphql.descriptions import After, First
from inset.graphql.ids import ids_of
from inset.graphql.relay import Connection, connection
from inset.lessons import service, tags
from inset.lessons.loaders import lesson_count_by_project, lesson_pages_by_project
from inset.lessons.search import MAX_LENGTH
from inset.lessons.types import Lesson, LessonFilter
from inset.pagination import PageRequest, count


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
        f"`search` (up to {MAX_LENGTH} characters) is full text over titles and bodies: every "
        "word must match (as a word or its stem; on SQLite a word's start is enough; on "
        "PostgreSQL common words are ignored and quoted phrases, `or` and `-word` work); "
        "results come most relevant first, a match in the title counting more, and each "
        "lesson's `snippet` shows where it matched. Any text is a valid search; a longer one "
        "is an error with code INVALID. A cursor from a search is valid for the same "
        "search only. `totalCount` counts the matches you may read. An unknown barrier "
        "tag in the filter is an error with code INVALID."
    )
    async def lessons(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description=f"Words to find, up to {MAX_LENGTH} characters (see above); null "
                "or blank: no search, newest first."
            ),
        ] = None,
        filter: Annotated[
            LessonFilter | None,
            strawberry.argument(description="Only the lessons matching it; all if null."),
        ] = None,
    ) -> Connection[Lesson]:
        f = filter or LessonFilter()
        lessons = service.lesson_list(
            actor=info.context.actor,
            search=search,
            theme_ids=ids_of(f.themes, "Theme"),
            barriers=tags.tag_texts(f.barriers, f.barrier_tags, ("filter", "barrier_tags")),
            stages=f.stages,
            kinds=f.kinds,
            organisation_kinds=f.organisation_kinds,
            regions=f.regions,
            project_outcomes=f.project_outcomes,
        )
        request = PageRequest.from_args(first=first, after=after)
        session = info.context.session
        page = service.library_page(
            session=session, lessons=lessons, search=search, request=request
        )

        async def total() -> int:
            return count(session, lessons)

        return connection(page, lambda row: Lesson.from_model(row[0], search), total)
