from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from inset.db import pk
from inset.graphql.context import Info
from inset.graphql.descriptions import USER_ERRORS, described_enum
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

described_enum(
    NotificationKind,
    "What a notification tells. You are never told of a change you made yourself.",
    {
        NotificationKind.NEW_LESSON: "A lesson was recorded on something you follow: one "
        "of its barriers, its project's themes, or (unless it is anonymised) its project "
        "or the project's lead organisation.",
        NotificationKind.NEW_PROJECT: "A project was created by an organisation you follow "
        "or under a theme you follow.",
        NotificationKind.STAGE_CHANGED: "A project you follow moved stage (GO or RECYCLE).",
        NotificationKind.STATUS_CHANGED: "A project you follow was put on hold, resumed or "
        "stopped.",
        NotificationKind.REVISIT_DUE: "A project you lead (or, without a named lead, one "
        "your organisation leads, to its LEADs) is on hold and reached its revisit date; "
        "told once per date.",
        NotificationKind.NOMINATION_ACCEPTED: "Your nomination was accepted: it is now a project.",
        NotificationKind.NOMINATION_DECLINED: "Your nomination was declined.",
        NotificationKind.REVIEW_REQUESTED: "You were appointed to review a project's gate.",
    },
)
described_enum(
    DigestFrequency,
    "How often your unread notifications are emailed to you, in one digest.",
    {
        DigestFrequency.DAILY: "At most once a day.",
        DigestFrequency.WEEKLY: "At most once every seven days; the default.",
        DigestFrequency.OFF: "Never emailed (also what the email's unsubscribe link sets).",
    },
)

LazyProject = Annotated["Project", strawberry.lazy("inset.projects.types")]
LazyLesson = Annotated["Lesson", strawberry.lazy("inset.lessons.types")]
LazyNomination = Annotated["Nomination", strawberry.lazy("inset.nominations.types")]


@strawberry.type(
    description="Something you follow, to be told of its news: exactly one of theme, barrier, "
    "project and organisation is set. Only ever shown to its follower "
    "(Account.follows)."
)
class Follow(Node):
    pk: strawberry.Private[int]
    theme_pk: strawberry.Private[int | None]
    project_pk: strawberry.Private[int | None]
    organisation_pk: strawberry.Private[int | None]
    barrier: str | None = strawberry.field(
        description='The barrier tag followed, as lessons show it, e.g. "staff capacity"; '
        "null when the follow is of something else.",
        deprecation_reason=tags.DEPRECATED_ONE,
    )
    barrier_tag: Barrier | None = strawberry.field(
        description="The barrier tag followed; null when the follow is of something else."
    )
    created_at: datetime = strawberry.field(description="When you started following (UTC).")

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

    @strawberry.field(description="The theme followed; null when the follow is of something else.")
    async def theme(self, info: Info) -> Theme | None:
        if self.theme_pk is None:
            return None
        row = await info.context.loaders.load(theme_by_id, self.theme_pk)
        return Theme.from_model(row) if row else None

    @strawberry.field(
        description="The project followed; null when the follow is of something else, or "
        "when you may no longer read the project."
    )
    async def project(self, info: Info) -> LazyProject | None:
        from inset.projects.types import Project

        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

    @strawberry.field(
        description="The organisation followed; null when the follow is of something else "
        "or the organisation is archived."
    )
    async def organisation(self, info: Info) -> Organisation | None:
        if self.organisation_pk is None:
            return None
        row = await info.context.loaders.load(organisation_by_id, self.organisation_pk)
        return Organisation.from_model(row) if row else None


@strawberry.type(
    description="Something you are told, in the application and in your email digest. Only "
    "its recipient sees it, and only while they may read what it is about (a project "
    "that went PRIVATE since, or an archived lesson, hides it)."
)
class Notification(Node):
    pk: strawberry.Private[int]
    project_pk: strawberry.Private[int | None]
    lesson_pk: strawberry.Private[int | None]
    nomination_pk: strawberry.Private[int | None]
    detail: strawberry.Private[str | None]
    kind: NotificationKind = strawberry.field(
        description="What it tells, and so which of project, lesson and nomination it points at."
    )
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    read: bool = strawberry.field(
        description="You have marked it read (markNotificationRead, markAllNotificationsRead)."
    )

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

    @strawberry.field(
        description="The project it is about; null when it is about none, or when you "
        "may not read it (then the notification is not listed at all)."
    )
    async def project(self, info: Info) -> LazyProject | None:
        from inset.projects.types import Project

        if self.project_pk is None:
            return None
        row = await info.context.loaders.load(project_by_id, self.project_pk)
        return Project.from_model(row) if row else None

    @strawberry.field(description="The lesson it is about (NEW_LESSON); null otherwise.")
    async def lesson(self, info: Info) -> LazyLesson | None:
        from inset.lessons.types import Lesson

        if self.lesson_pk is None:
            return None
        row = await info.context.loaders.load(lesson_by_id, self.lesson_pk)
        return Lesson.from_model(row) if row else None

    @strawberry.field(
        description="Your nomination it is about (NOMINATION_ACCEPTED, NOMINATION_DECLINED); "
        "null otherwise."
    )
    async def nomination(self, info: Info) -> LazyNomination | None:
        from inset.nominations.types import Nomination

        if self.nomination_pk is None:
            return None
        row = await info.context.loaders.load(nomination_by_id, self.nomination_pk)
        return Nomination.from_model(row) if row else None

    @strawberry.field(
        description="What happened, in a sentence, from the records as they are now, e.g. "
        "'A new lesson: ...' or '... moved to the pilot stage'."
    )
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
    theme_id: strawberry.ID | None = strawberry.field(
        default=None, description="A theme's global id; NOT_FOUND when there is no such theme."
    )
    barrier: str | None = strawberry.field(
        default=None,
        description='A barrier tag, e.g. "staff capacity" (case and surrounding spaces do '
        "not matter): one of staff capacity, culture, funding, technology, information "
        "governance, risk aversion, skills, partnership, demand, policy; else INVALID.",
        deprecation_reason=tags.DEPRECATED_ONE,
    )
    barrier_tag: Barrier | None = strawberry.field(
        default=None, description="A barrier tag: give this or barrier, not both (INVALID)."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A project's global id; NOT_FOUND when it is unknown, archived or not "
        "readable by you (unfollow takes any id you followed).",
    )
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An organisation's global id; NOT_FOUND when it is unknown or archived.",
    )


@strawberry.type(description="The result of follow.")
class FollowPayload:
    follow: Follow | None = strawberry.field(
        description="The follow, new or the one you already had; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of unfollow.")
class UnfollowPayload:
    unfollowed: bool = strawberry.field(
        description="True when a follow was ended; false when you were not following it "
        "(or with userErrors)."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="The notification to mark read.")
class MarkNotificationReadInput:
    notification_id: strawberry.ID = strawberry.field(
        description="One of your notifications that you may read now; NOT_FOUND otherwise."
    )


@strawberry.type(description="The result of markNotificationRead.")
class MarkNotificationReadPayload:
    notification: Notification | None = strawberry.field(
        description="The notification, now read; null with userErrors."
    )
    unread_count: int | None = strawberry.field(
        description="Your unread notifications left, counting only those you may read; "
        "null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of markAllNotificationsRead.")
class MarkAllNotificationsReadPayload:
    marked: int = strawberry.field(
        description="How many unread notifications were marked read (0 with userErrors); "
        "this includes any about records you may no longer read."
    )
    unread_count: int | None = strawberry.field(
        description="Your unread notifications left (0 unless one arrived meanwhile); null "
        "with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.input(description="How often to email you your unread notifications.")
class SetEmailDigestInput:
    frequency: DigestFrequency = strawberry.field(description="DAILY, WEEKLY or OFF.")


@strawberry.type(description="The result of setEmailDigest.")
class SetEmailDigestPayload:
    frequency: DigestFrequency | None = strawberry.field(
        description="The frequency now set; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
