from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from inset import records
from inset.db import pk
from inset.graphql.context import Context, Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.lessons import models, tags
from inset.lessons.loaders import (
    barriers_by_lesson,
    lesson_project_by_id,
    marked_useful_by_lesson,
    own_project_by_id,
    related_by_lesson,
    useful_count_by_lesson,
)
from inset.lessons.models import Barrier, LessonKind
from inset.lessons.related import MAX_RELATED, check_first
from inset.lessons.search import CUT, MARK_END, MARK_START
from inset.lessons.service import effective_visibility, lesson_snippets
from inset.organisations.loaders import organisation_by_id
from inset.organisations.models import Organisation as OrganisationRow
from inset.organisations.models import OrganisationKind
from inset.organisations.types import Organisation
from inset.projects import models as project_models
from inset.projects.loaders import project_by_id
from inset.projects.models import ProjectStatus, Stage, Visibility
from inset.projects.types import Project

# Registers the model's enum with strawberry in place, so the model class is the type.
described_enum(
    models.LessonKind,
    "What sort of lesson it is.",
    {
        LessonKind.WHAT_WORKED: "Something that worked and is worth repeating.",
        LessonKind.WHAT_DID_NOT_WORK: "Something that did not work, and why: above all "
        "from trials that failed.",
        LessonKind.BARRIER: "Something that stood in the way (tag it with `barriers`).",
        LessonKind.ENABLER: "Something that made the work possible or easier.",
        LessonKind.RECOMMENDATION: "Advice for whoever tries this next.",
    },
)


def snippet_by_lesson(context: Context) -> DataLoader[tuple[str, int], str | None]:
    """Snippets by (search, lesson id): one statement per distinct search in a request.

    Only lessons a search listed ask, so what they show is already readable.
    """

    async def batch(keys: list[tuple[str, int]]) -> list[str | None]:
        ids_by_search: dict[str, list[int]] = defaultdict(list)
        for search, lesson_id in keys:
            ids_by_search[search].append(lesson_id)
        found = {
            (search, lesson_id): snippet
            for search, ids in ids_by_search.items()
            for lesson_id, snippet in lesson_snippets(
                session=context.session, search=search, lesson_ids=ids
            ).items()
        }
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=batch)


@strawberry.type(
    description="What a project learned. Readable by whoever reads the project, and more "
    "widely when it is shared more widely. An anonymised lesson shows the lead "
    "organisation's kind and region, never the organisation or the project, to everyone "
    "but staff and the project's own organisations (lead and partners), whatever the "
    "project's visibility; nor is it listed under its project for them."
)
class Lesson(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int]
    shared_with: strawberry.Private[Visibility | None]
    kind: LessonKind = strawberry.field(description="What sort of lesson it is.")
    title: str = strawberry.field(description="A short name, 1 to 200 characters.")
    body: str = strawberry.field(
        description="What was meant to happen, what happened, why, and what to do next time."
    )
    stage: Stage = strawberry.field(description="The stage the lesson came from.")
    anonymised: bool = strawberry.field(
        description="Whether it hides its organisation and project from readers outside "
        "them (see above)."
    )
    recorded_at: datetime = strawberry.field(
        description="When it was first recorded (UTC); corrections do not change it."
    )
    version: int = strawberry.field(description=records.VERSION_HELP)
    key: strawberry.Private[str | None]
    key_owner: strawberry.Private[int | None]
    search: strawberry.Private[str | None] = None  # the search (as typed) that listed it

    @classmethod
    def from_model(cls, row: models.Lesson, search: str | None = None) -> Lesson:
        return cls(
            pk=pk(row),
            project_pk=row.project_id,
            shared_with=row.shared_with,
            kind=row.kind,
            title=row.title,
            body=row.body,
            stage=row.stage,
            anonymised=row.anonymised,
            recorded_at=row.recorded_at,
            version=row.version,
            key=row.external_id,
            key_owner=row.external_owner_id,
            search=search,
        )

    @strawberry.field(
        description=records.EXTERNAL_ID_HELP + " A lesson's key is shown only to the "
        "organisation whose key it is and to incubator staff, since a lesson may be read "
        "anonymised far beyond its project; null for everyone else."
    )
    def external_id(self, info: Info) -> str | None:
        actor = info.context.actor
        if actor.is_staff or (
            actor.organisation_id is not None and actor.organisation_id == self.key_owner
        ):
            return self.key
        return None

    async def _project_row(self, info: Info) -> project_models.Project:
        row = await info.context.loaders.load(lesson_project_by_id, self.project_pk)
        if row is None:  # pragma: no cover - a readable lesson's project is always loaded
            raise LookupError(f"no project for lesson {self.pk}")
        return row

    async def _lead(self, info: Info) -> OrganisationRow:
        project = await self._project_row(info)
        row = await info.context.loaders.load(organisation_by_id, project.lead_organisation_id)
        if row is None:  # pragma: no cover - the foreign key guarantees it
            raise LookupError(f"no lead organisation for project {project.id}")
        return row

    async def _shows_who(self, info: Info) -> bool:
        """Whether this viewer may know the lesson's organisation and project."""
        if not self.anonymised:
            return True
        return await info.context.loaders.load(own_project_by_id, self.project_pk)

    @strawberry.field(
        description="Where the lesson was found by `lessons(search:)`: the words of its title "
        "or body around the match, as plain text (no markup), each matched word between "
        f"{MARK_START} and {MARK_END}, and {CUT} where text is left out. Null when the lesson was "
        "not listed by a search."
    )
    async def snippet(self, info: Info) -> str | None:
        if self.search is None:
            return None
        return await info.context.loaders.load(snippet_by_lesson, (self.search, self.pk))

    @strawberry.field(
        description='Tags from the fixed list, e.g. "staff capacity".',
        deprecation_reason=tags.DEPRECATED,
    )
    async def barriers(self, info: Info) -> list[str]:
        found = await info.context.loaders.load(barriers_by_lesson, self.pk)
        return [t.value for t in found]

    @strawberry.field(description="Its barrier tags, in the order of the fixed list.")
    async def barrier_tags(self, info: Info) -> list[Barrier]:
        found = await info.context.loaders.load(barriers_by_lesson, self.pk)
        return list(found)

    @strawberry.field(description="Who may read it: the wider of its project's and its own.")
    async def visibility(self, info: Info) -> Visibility:
        project = await self._project_row(info)
        return effective_visibility(project.visibility, self.shared_with)

    @strawberry.field(
        description="Null where you may read the lesson but not its project, and when the "
        "lesson is anonymised and you are neither staff nor of the project's organisations."
    )
    async def project(self, info: Info) -> Project | None:
        if not await self._shows_who(info):
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row is not None else None

    @strawberry.field(
        description="The lead organisation; null when the lesson is anonymised and you are "
        "neither staff nor of the project's organisations (lead or partner), whatever the "
        "project's visibility."
    )
    async def organisation(self, info: Info) -> Organisation | None:
        if not await self._shows_who(info):
            return None
        return Organisation.from_model(await self._lead(info))

    @strawberry.field(description="The kind of the lead organisation, shown even when anonymised.")
    async def organisation_kind(self, info: Info) -> OrganisationKind:
        return (await self._lead(info)).kind

    @strawberry.field(
        description="The region of the lead organisation, shown even when anonymised."
    )
    async def region(self, info: Info) -> str | None:
        return (await self._lead(info)).region

    @strawberry.field(description="How the trial stands or ended: the project's status.")
    async def project_outcome(self, info: Info) -> ProjectStatus:
        return (await self._project_row(info)).status

    @strawberry.field(
        description="How many people marked the lesson useful (one mark each). Shown to "
        "whoever reads the lesson; who marked it is not shown."
    )
    async def useful_count(self, info: Info) -> int:
        return await info.context.loaders.load(useful_count_by_lesson, self.pk)

    @strawberry.field(description="Whether you marked it useful; false when not signed in.")
    async def marked_useful_by_viewer(self, info: Info) -> bool:
        return await info.context.loaders.load(marked_useful_by_lesson, self.pk)

    @strawberry.field(
        description="Lessons of other projects sharing a theme or a barrier tag with this "
        "one, those with the most in common first (each shared theme and barrier counts "
        "one, the same stage one more), then the newest. Only lessons you may read; "
        f"anonymised ones stay anonymous. `first`: 1 to {MAX_RELATED} (INVALID otherwise)."
    )
    async def related(
        self,
        info: Info,
        first: Annotated[
            int,
            strawberry.argument(
                description=f"How many at most: 1 to {MAX_RELATED} inclusive, default 5."
            ),
        ] = 5,
    ) -> list[Lesson]:
        check_first(first)
        rows = await info.context.loaders.load(related_by_lesson, (self.pk, first))
        return [Lesson.from_model(row) for row in rows]


@strawberry.input(description="Every list matches any of its values; lists left out do not filter.")
class LessonFilter:
    themes: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Lessons of projects with any of these themes (global ids); an id that "
        "is not a theme's matches nothing.",
    )
    barriers: list[str] | None = strawberry.field(
        default=None,
        description='Barrier tags from the fixed list, e.g. "staff capacity".',
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] | None = strawberry.field(
        default=None,
        description="Lessons with any of these tags. Give this or the deprecated barriers, "
        "not both (INVALID).",
    )
    stages: list[Stage] | None = strawberry.field(
        default=None, description="Lessons that came from any of these stages."
    )
    kinds: list[LessonKind] | None = strawberry.field(
        default=None, description="Lessons of any of these kinds."
    )
    organisation_kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Kinds of the lead organisation."
    )
    regions: list[str] | None = strawberry.field(
        default=None, description="Regions of the lead organisation."
    )
    project_outcomes: list[ProjectStatus] | None = strawberry.field(
        default=None, description="How the trial stands or ended: the project's status."
    )


@strawberry.input(
    description="A new lesson. Its text is checked for personal data (as public text when "
    "the lesson will be readable by anyone)."
)
class RecordLessonInput:
    project_id: strawberry.ID = strawberry.field(description="The project that learned it.")
    kind: LessonKind = strawberry.field(description="What sort of lesson.")
    title: str = strawberry.field(description="1 to 200 characters after trimming.")
    body: str = strawberry.field(
        description="What was meant to happen, what happened, why, and what to do next time: "
        "1 to 20,000 characters."
    )
    barriers: list[str] | None = strawberry.field(
        default=None,
        description="Tags from the fixed list: staff capacity, culture, funding, technology, "
        "information governance, risk aversion, skills, partnership, demand, policy.",
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] | None = strawberry.field(default=None, description=tags.TAGS_HELP)
    visibility: Visibility | None = strawberry.field(
        default=None,
        description="Share the lesson more widely than its project. A value no wider than "
        "the project's visibility changes nothing: a lesson is never narrower than its project.",
    )
    anonymised: bool = strawberry.field(
        default=False,
        description="Readers other than staff and the project's own organisations see the "
        "lead organisation's kind and region, not the organisation or the project. The title "
        "and body may then not name the project, its organisations or its people (ANONYMITY).",
    )
    stage: Stage | None = strawberry.field(
        default=None,
        description="The stage the lesson came from. Default: the project's current stage; "
        "never a stage the project has not reached.",
    )
    external_id: str | None = strawberry.field(
        default=None, description=records.EXTERNAL_ID_INPUT_HELP
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=records.IDEMPOTENCY_HELP
    )


@strawberry.input(
    description="A correction: only the fields sent change. barriers replaces the tags "
    "(null: none); visibility null makes the lesson as widely read as its project again; "
    "externalId null clears the key. Every rule of recordLesson applies to the result."
)
class UpdateLessonInput:
    id: strawberry.ID = strawberry.field(description="The lesson to correct.")
    expected_version: int = strawberry.field(description=records.VERSION_HELP)
    kind: LessonKind | None = strawberry.field(
        default=strawberry.UNSET, description="The new kind; cannot be null."
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 200 characters; cannot be null."
    )
    body: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 20,000 characters; cannot be null."
    )
    barriers: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Tags from the fixed list, as in recordLesson.",
        deprecation_reason=tags.DEPRECATED,
    )
    barrier_tags: list[Barrier] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces the tags (null: none). " + tags.TAGS_HELP,
    )
    visibility: Visibility | None = strawberry.field(
        default=strawberry.UNSET,
        description="Share the lesson more widely than its project; never narrower.",
    )
    anonymised: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether to hide the organisation and project (see recordLesson); "
        "cannot be null.",
    )
    stage: Stage | None = strawberry.field(
        default=strawberry.UNSET, description="A stage the project has reached."
    )
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description=records.EXTERNAL_ID_INPUT_HELP
    )


@strawberry.input(description="Which lesson to mark or unmark.")
class LessonMarkInput:
    lesson_id: strawberry.ID = strawberry.field(
        description="The global id of a lesson you may read."
    )


@strawberry.type(description="The result of markLessonUseful or unmarkLessonUseful.")
class LessonMarkPayload:
    lesson: Lesson | None = strawberry.field(
        description="The lesson with its count and your mark as they now stand."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of recordLesson or updateLesson.")
class LessonPayload:
    lesson: Lesson | None = strawberry.field(
        description="The lesson as it now stands; null with userErrors."
    )
    project_pk: strawberry.Private[int | None]
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)

    @strawberry.field(description="The lesson's project after the change; null with userErrors.")
    async def project(self, info: Info) -> Project | None:
        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None
