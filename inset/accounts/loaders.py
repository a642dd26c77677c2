from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.accounts.models import Account, ApiToken
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id


def account_by_id(context: Context) -> DataLoader[int, Account | None]:
    # Names and roles are readable by anyone who can see a record that names them;
    # the email field guards itself (Account.email).
    return rows_by_id(context, sa.select(Account), Account.id)


def api_token_by_id(context: Context) -> DataLoader[int, ApiToken | None]:
    """Only the viewer's own tokens, or any for staff."""
    actor = context.actor
    stmt = sa.select(ApiToken)
    if not actor.is_staff:
        stmt = stmt.where(col(ApiToken.account_id) == (actor.account_id or 0))
    return rows_by_id(context, stmt, ApiToken.id)
