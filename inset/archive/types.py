from __future__ import annotations

import strawberry

from inset.graphql.errors import UserError


@strawberry.input
class ArchiveRecordInput:
    id: strawberry.ID
    reason: str
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="1..200 characters. Sent again with the same id and reason within 24 "
        "hours, it answers as the first request did (archivedId) instead of NOT_FOUND for "
        "a record already archived; with another id or reason it is DUPLICATE. Keys belong "
        "to your account (an integration's to the integration).",
    )


@strawberry.type
class ArchivePayload:
    archived_id: strawberry.ID | None
    user_errors: list[UserError]
