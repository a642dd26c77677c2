from __future__ import annotations

from typing import Annotated

import strawberry
from sqlmodel import Session

from inset.graphql.context import Info
from inset.graphql.ids import decode_id
from inset.graphql.transaction import run_mutation
from inset.lessons import tags
from inset.notifications import models, service
from inset.notifications.types import (
    Follow,
    FollowInput,
    FollowPayload,
    MarkAllNotificationsReadPayload,
    MarkNotificationReadInput,
    MarkNotificationReadPayload,
    Notification,
    SetEmailDigestInput,
    SetEmailDigestPayload,
    UnfollowPayload,
)
from inset.pagination import count


def _target(input: FollowInput) -> dict[str, object]:
    return {
        "theme_id": decode_id(input.theme_id, "Theme", "theme_id") if input.theme_id else None,
        "barrier": _barrier(input),
        "project_id": (
            decode_id(input.project_id, "Project", "project_id") if input.project_id else None
        ),
        "organisation_id": (
            decode_id(input.organisation_id, "Organisation", "organisation_id")
            if input.organisation_id
            else None
        ),
    }


def _barrier(input: FollowInput) -> str | None:
    texts = tags.tag_texts(
        None if input.barrier is None else [input.barrier],
        None if input.barrier_tag is None else [input.barrier_tag],
        ("barrier_tag",),
    )
    return texts[0] if texts else None


def _unread(info: Info) -> int:
    return count(
        info.context.session, service.readable_notifications(info.context.actor, unread_only=True)
    )


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="Follows a theme, a barrier, a project or an organisation, to be told of "
        "its news (Account.notifications). Following it again returns the same follow. "
        "For any signed-in person, read-only tokens included; not for integrations. User "
        "errors: FORBIDDEN (not signed in as a person), INVALID (not exactly one target; "
        "an unknown barrier), NOT_FOUND (themeId, projectId, organisationId)."
    )
    def follow(
        self,
        info: Info,
        input: Annotated[FollowInput, strawberry.argument(description="The one thing to follow.")],
    ) -> FollowPayload:
        def work(session: Session) -> models.Follow:
            return service.follow(session=session, actor=info.context.actor, **_target(input))  # type: ignore[arg-type]

        result = run_mutation(info, work, name="follow")
        if isinstance(result, list):
            return FollowPayload(follow=None, user_errors=result)
        return FollowPayload(follow=Follow.from_model(result), user_errors=[])

    @strawberry.mutation(
        description="Stops following; `unfollowed` is false if you were not. The follow is "
        "deleted (it is your setting, not a record). User errors: FORBIDDEN (not signed in "
        "as a person), INVALID (not exactly one target; an unknown barrier), NOT_FOUND (an "
        "id that is not of its kind)."
    )
    def unfollow(
        self,
        info: Info,
        input: Annotated[
            FollowInput, strawberry.argument(description="The one thing to stop following.")
        ],
    ) -> UnfollowPayload:
        def work(session: Session) -> bool:
            return service.unfollow(session=session, actor=info.context.actor, **_target(input))  # type: ignore[arg-type]

        result = run_mutation(info, work, name="unfollow")
        if isinstance(result, list):
            return UnfollowPayload(unfollowed=False, user_errors=result)
        return UnfollowPayload(unfollowed=result, user_errors=[])

    @strawberry.mutation(
        description="Marks one of your notifications read (again is harmless). User errors: "
        "FORBIDDEN (not signed in as a person), NOT_FOUND (notificationId)."
    )
    def mark_notification_read(
        self,
        info: Info,
        input: Annotated[
            MarkNotificationReadInput,
            strawberry.argument(description="The notification to mark read."),
        ],
    ) -> MarkNotificationReadPayload:
        result = run_mutation(
            info,
            lambda session: service.mark_read(
                session=session,
                actor=info.context.actor,
                notification_id=decode_id(input.notification_id, "Notification", "notification_id"),
            ),
            name="markNotificationRead",
        )
        if isinstance(result, list):
            return MarkNotificationReadPayload(
                notification=None, unread_count=None, user_errors=result
            )
        return MarkNotificationReadPayload(
            notification=Notification.from_model(result),
            unread_count=_unread(info),
            user_errors=[],
        )

    @strawberry.mutation(
        description="Marks every one of your unread notifications read. User errors: "
        "FORBIDDEN (not signed in as a person)."
    )
    def mark_all_notifications_read(self, info: Info) -> MarkAllNotificationsReadPayload:
        result = run_mutation(
            info,
            lambda session: service.mark_all_read(session=session, actor=info.context.actor),
            name="markAllNotificationsRead",
        )
        if isinstance(result, list):
            return MarkAllNotificationsReadPayload(marked=0, unread_count=None, user_errors=result)
        return MarkAllNotificationsReadPayload(
            marked=result, unread_count=_unread(info), user_errors=[]
        )

    @strawberry.mutation(
        description="How often you are emailed a digest of your unread notifications: "
        "DAILY, WEEKLY (the default) or OFF. User errors: FORBIDDEN (not signed in as a "
        "person), NOT_FOUND (your account is gone)."
    )
    def set_email_digest(
        self,
        info: Info,
        input: Annotated[
            SetEmailDigestInput, strawberry.argument(description="The frequency to set.")
        ],
    ) -> SetEmailDigestPayload:
        def work(session: Session) -> models.EmailDigest:
            return service.choose_digest_frequency(
                session=session, actor=info.context.actor, frequency=input.frequency
            )

        result = run_mutation(info, work, name="setEmailDigest")
        if isinstance(result, list):
            return SetEmailDigestPayload(frequency=None, user_errors=result)
        return SetEmailDigestPayload(frequency=result.frequency, user_errors=[])
