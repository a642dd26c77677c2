from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.accounts.models import ApiToken, Integration
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id, rows_by_parent


def integration_by_id(context: Context) -> DataLoader[int, Integration | None]:
    """Integrations the viewer may read on their own (`node`, `nodes`): every one for
    staff, their own organisation's for a signed-in member; anything else loads as None,
    so nobody lists other organisations' service accounts by trying ids."""
    actor = context.actor
    stmt = sa.select(Integration)
    if not actor.is_staff:
        own = actor.organisation_id if not actor.is_anonymous else None
        stmt = stmt.where(col(Integration.organisation_id) == own if own else sa.false())
    return rows_by_id(context, stmt, Integration.id)


def integration_by_reference(context: Context) -> DataLoader[int, Integration | None]:
    """Any integration, for an audit entry the viewer may read that names it: the entry
    being readable is the check. The tokens guard themselves (Integration.tokens)."""
    return rows_by_id(context, sa.select(Integration), Integration.id)


def tokens_by_integration(context: Context) -> DataLoader[int, list[ApiToken]]:
    """Each integration's tokens, revoked and expired ones included, oldest first."""
    stmt = sa.select(ApiToken).order_by(col(ApiToken.id))
    return rows_by_parent(context, stmt, ApiToken.integration_id)


def integrations_by_organisation(context: Context) -> DataLoader[int, list[Integration]]:
    """Each organisation's live integrations, oldest first. Callers check who may list."""
    stmt = (
        sa.select(Integration)
        .where(col(Integration.archived_at).is_(None))
        .order_by(col(Integration.id))
    )
    return rows_by_parent(context, stmt, Integration.organisation_id)
