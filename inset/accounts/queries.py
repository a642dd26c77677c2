from __future__ import annotations

import strawberry

from inset.accounts.loaders import account_by_reference
from inset.accounts.types import Account
from inset.graphql.context import Info


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The signed-in account; null when anonymous.")
    async def viewer(self, info: Info) -> Account | None:
        account_id = info.context.actor.account_id
        if account_id is None:
            return None
        row = await info.context.loaders.load(account_by_reference, account_id)
        return Account.from_model(row) if row else None
