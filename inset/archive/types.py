from __future__ import annotations

import strawberry

from inset.graphql.errors import UserError


@strawberry.input
class ArchiveRecordInput:
    id: strawberry.ID
    reason: str


@strawberry.type
class ArchivePayload:
    archived_id: strawberry.ID | None
    user_errors: list[UserError]
