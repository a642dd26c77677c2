from __future__ import annotations

import strawberry

from inset.graphql.descriptions import USER_ERRORS
from inset.graphql.errors import UserError


@strawberry.input(description="Which record to archive, and why.")
class ArchiveRecordInput:
    id: strawberry.ID = strawberry.field(
        description="The global id of a Project, Evidence, Outcome, Cost, Benefit, Lesson or "
        "WebhookEndpoint. Gate decisions, organisations, accounts, themes, tokens and audit "
        "events cannot be archived (INVALID)."
    )
    reason: str = strawberry.field(
        description="Why, for the audit log: 1 to 20,000 characters (a lesson's: 2,000), "
        "checked for personal data."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="1..200 characters. Sent again with the same id and reason within 24 "
        "hours, it answers as the first request did (archivedId) instead of NOT_FOUND for "
        "a record already archived; with another id or reason it is DUPLICATE. Keys belong "
        "to your account (an integration's to the integration).",
    )


@strawberry.type(description="The result of archiveRecord.")
class ArchivePayload:
    archived_id: strawberry.ID | None = strawberry.field(
        description="The global id of the record now archived; null with userErrors."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
