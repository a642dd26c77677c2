from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.errors import UserError
from inset.graphql.relay import Node
from inset.lessons import tags
from inset.lessons.loaders import lesson_by_id
from inset.lessons.models import Barrier
from inset.nominations.loaders import nomination_by_id
from inset.notifications import models
from inset.notifications.models import DigestFrequency, NotificationKind
from inset.notifications.text import describe
from inset.organisations.loaders import organisation_by_id
from inset.organisations.types import Organisation
from inset.projects.loaders import project_by_id
from inset.themes.loaders import theme_by_id
from inset.themes.types import Theme

if TYPE_CHECKING:
    from inset.lessons.types import Lesson
    from inset.nominations.types import Nomination
    from inset.projects.types import Project

strawberry.enum(NotificationKind)
strawberry.enum(DigestFrequency)

LazyProject = Annotated["Project", strawberry.lazy("inset.projects.types")]
LazyLesson = Annotated["Lesson", strawberry.lazy("inset.lessons.types")]
LazyNomination = Annotated["Nomination", strawberry.lazy("inset.nominations.types")]


@strawberry.type(description="Something the viewer follows: exactly one of its four fields is set.")
class Follow(Node):
    pk: strawberry.Private[int]
    theme_pk: strawberry.Private[int | None]
    project_pk: strawberry.Private[int | None]
    organisation_pk: strawberry.Private[int | None]
    barrier: str | None = strawberry.field(
        description="The barrier tag followed, as text.", deprecation_reason=tags.DEPRECATED_ONE
    )
    barrier_tag: Barrier | None = strawberry.field(description="The barrier tag followed.")
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Follow) -> Follow:
        return cls(
            pk=pk(row),
            theme_pk=row.theme_id,
            project_pk=row.project_id,
            organisation_pk=row.organisation_id,
            barrier=row.barrier.value if row.barrier else None,
            barrier_tag=row.barrier,
            created_at=row.created_at,
        )

    @strawberry.field
    async def theme(self, info: Info) -> Theme | None:
        if self.theme_pk is None:
            return None
        row = await info.context.loaders.load(theme_by_id, self.theme_pk)
        return Theme.from_model(row) if row else None

    @strawberry.field(description="Null when you may no longer read the project.")
    async def project(self, info: Info) -> LazyProject | None:
        from inset.projects.types import Project

        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_pk is None:
            return None
        row = await info.context.loaders.load(organisation_by_id, self.organisation_pk)
        return Organisation.from_model(row) if row else None


@strawberry.type(
    description="Something you are told. Listed only while you may read what it is about."
)
class Notification(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int | None]
    lesson_pk: strawberry.Private[int | None]
    nomination_pk: strawberry.Private[int | None]
    detail: strawberry.Private[str | None]
    kind: NotificationKind
    created_at: datetime
    read: bool

    @classmethod
    def from_model(cls, row: models.Notification) -> Notification:
        return cls(
            pk=pk(row),
            project_pk=row.project_id,
            lesson_pk=row.lesson_id,
            nomination_pk=row.nomination_id,
            detail=row.detail,
            kind=row.kind,
            created_at=row.created_at,
            read=row.read_at is not None,
        )

    @strawberry.field
    async def project(self, info: Info) -> LazyProject | None:
        from inset.projects.types import Project

        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

    @strawberry.field
    async def lesson(self, info: Info) -> LazyLesson | None:
        from inset.lessons.types import Lesson

        if self.lesson_pk is None:
            return None
        row = await info.context.loaders.load(lesson_by_id, self.lesson_pk)
        return Lesson.from_model(row) if row else None

    @strawberry.field
    async def nomination(self, info: Info) -> LazyNomination | None:
        from inset.nominations.types import Nomination

        if self.nomination_pk is None:
            return None
        row = await info.context.loaders.load(nomination_by_id, self.nomination_pk)
        return Nomination.from_model(row) if row else None

    @strawberry.field(description="What happened, in a sentence, e.g. 'A new lesson: ...'.")
    async def message(self, info: Info) -> str:
        loaders = info.context.loaders
        project = await loaders.load(project_by_id, self.project_pk) if self.project_pk else None
        lesson = await loaders.load(lesson_by_id, self.lesson_pk) if self.lesson_pk else None
        nomination = (
            await loaders.load(nomination_by_id, self.nomination_pk) if self.nomination_pk else None
        )
        return describe(
            self.kind, project=project, lesson=lesson, nomination=nomination, detail=self.detail
        )


@strawberry.input(
    description="Exactly one of: a theme, a barrier (from the fixed list), a project or an "
    "organisation."
)
class FollowInput:
    theme_id: strawberry.ID | None = None
    barrier: str | None = strawberry.field(
        default=None,
        description='A tag\'s text, e.g. "staff capacity".',
        deprecation_reason=tags.DEPRECATED_ONE,
    )
    barrier_tag: Barrier | None = strawberry.field(
        default=None, description="A barrier tag: give this or barrier, not both (INVALID)."
    )
    project_id: strawberry.ID | None = None
    organisation_id: strawberry.ID | None = None


@strawberry.type
class FollowPayload:
    follow: Follow | None
    user_errors: list[UserError]


@strawberry.type
class UnfollowPayload:
    unfollowed: bool
    user_errors: list[UserError]


@strawberry.input
class MarkNotificationReadInput:
    notification_id: strawberry.ID


@strawberry.type
class MarkNotificationReadPayload:
    notification: Notification | None
    unread_count: int | None
    user_errors: list[UserError]


@strawberry.type
class MarkAllNotificationsReadPayload:
    marked: int
    unread_count: int | None
    user_errors: list[UserError]


@strawberry.input
class SetEmailDigestInput:
    frequency: DigestFrequency


@strawberry.type
class SetEmailDigestPayload:
    frequency: DigestFrequency | None
    user_errors: list[UserError]
