from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.accounts.models import Role
from inset.graphql.context import Context
from inset.graphql.loaders import counts_by_parent, pages_by_parent, rows_by_id, rows_by_parent
from inset.pagination import Page, PageRequest, SortKey
from inset.webhooks.models import WebhookAttempt, WebhookEndpoint

NEWEST_FIRST = [SortKey(col(WebhookAttempt.id), descending=True)]


def _managed(context: Context) -> sa.Select[WebhookEndpoint]:
    """Live endpoints of the viewer's organisation for its LEADs, any for STAFF."""
    actor = context.actor
    stmt = sa.select(WebhookEndpoint).where(col(WebhookEndpoint.archived_at).is_(None))
    if actor.is_staff:
        return stmt
    if actor.role is not Role.LEAD or actor.organisation_id is None:
        return stmt.where(sa.false())
    return stmt.where(col(WebhookEndpoint.organisation_id) == actor.organisation_id)


def webhook_endpoint_by_id(context: Context) -> DataLoader[int, WebhookEndpoint | None]:
    return rows_by_id(context, _managed(context), col(WebhookEndpoint.id))


def webhook_endpoints_by_organisation(context: Context) -> DataLoader[int, list[WebhookEndpoint]]:
    """An organisation's endpoints, oldest first; none for those who do not manage them."""
    stmt = _managed(context).order_by(col(WebhookEndpoint.id))
    return rows_by_parent(context, stmt, col(WebhookEndpoint.organisation_id))


def attempt_pages_by_endpoint(context: Context) -> DataLoader[tuple[int, PageRequest], Page]:
    """A page of an endpoint's attempts, newest first (the endpoint is already readable)."""
    return pages_by_parent(
        context,
        sa.select(WebhookAttempt),
        WebhookAttempt,
        col(WebhookAttempt.endpoint_id),
        NEWEST_FIRST,
        lambda row: (row.id,),
    )


def attempt_count_by_endpoint(context: Context) -> DataLoader[int, int]:
    return counts_by_parent(context, sa.select(WebhookAttempt), col(WebhookAttempt.endpoint_id))
