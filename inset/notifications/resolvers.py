"""The viewer's own follows, notifications and digest setting, as fields of `Account`."""

from __future__ import annotations

from sqlmodel import col

from inset.access import Actor
from inset.graphql.context import Info
from inset.graphql.relay import Connection, connection
from inset.notifications import service
from inset.notifications.models import DigestFrequency
from inset.notifications.models import Notification as NotificationRow
from inset.notifications.types import Follow, Notification
from inset.pagination import PageRequest, SortKey, count, fetch_page

NEWEST_FIRST = (
    SortKey(col(NotificationRow.created_at), descending=True),
    SortKey(col(NotificationRow.id), descending=True),
)


def follows_of(info: Info) -> list[Follow]:
    rows = service.follows_of(session=info.context.session, actor=info.context.actor)
    return [Follow.from_model(row) for row in rows]


def notifications_of(
    info: Info, *, first: int | None, after: str | None, unread_only: bool
) -> Connection[Notification]:
    actor: Actor = info.context.actor
    session = info.context.session
    stmt = service.readable_notifications(actor, unread_only=unread_only)
    request = PageRequest.from_args(first=first, after=after)
    page = fetch_page(session, stmt, NEWEST_FIRST, request, lambda row: (row.created_at, row.id))

    async def total() -> int:
        return count(session, stmt)

    return connection(page, Notification.from_model, total)


def unread_count(info: Info) -> int:
    return count(
        info.context.session, service.readable_notifications(info.context.actor, unread_only=True)
    )


def email_digest(info: Info) -> DigestFrequency:
    return service.digest_frequency(
        session=info.context.session, account_id=info.context.actor.account_id or 0
    )
