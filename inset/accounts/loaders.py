from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col
from strawberry.dataloader import DataLoader

from inset.accounts import service
from inset.accounts.models import Account, ApiToken
from inset.graphql.context import Context
from inset.graphql.loaders import rows_by_id


def account_by_id(context: Context) -> DataLoader[int, Account | None]:
    """Accounts the viewer may read on their own (`node`, `nodes`): see
    `inset.accounts.service.readable_accounts`; anything else loads as None."""

    async def batch(ids: list[int]) -> list[Account | None]:
        stmt = service.readable_accounts(actor=context.actor, account_ids=ids)
        found = {row.id: row for row in context.session.scalars(stmt)}
        return [found.get(pk) for pk in ids]

    return DataLoader(load_fn=batch)


def account_by_reference(context: Context) -> DataLoader[int, Account | None]:
    """Any account, for a field of a record the viewer may read that names it (a
    project's lead, a decision's maker, ...): the record being readable is the check.
    The email field guards itself (Account.email)."""
    return rows_by_id(context, sa.select(Account), Account.id)


def api_token_by_id(context: Context) -> DataLoader[int, ApiToken | None]:
    """Only the viewer's own tokens, or any for staff."""
    actor = context.actor
    stmt = sa.select(ApiToken)
    if not actor.is_staff:
        stmt = stmt.where(col(ApiToken.account_id) == (actor.account_id or 0))
    return rows_by_id(context, stmt, ApiToken.id)
