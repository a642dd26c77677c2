"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError

from inset.errors import DomainError, ErrorCode, api_name
from inset.graphql.codes import RequestErrorCode
from inset.graphql.descriptions import described_enum
from inset.ids import to_global_id

M = TypeVar("M")

# Registered once, here, under its API name; fields use the domain enum.
described_enum(
    ErrorCode,
    "Why a mutation changed nothing. Each mutation's description lists the codes it can "
    "return; a payload with any userErrors has written nothing at all.",
    {
        ErrorCode.INVALID: "A value is out of its range or format (a date in the future, a "
        "negative amount, an unknown global id's kind, ...); `field` says which and "
        "`message` what is allowed.",
        ErrorCode.REQUIRED: "A value that must be given was empty or missing.",
        ErrorCode.TOO_LONG: "A text is longer than its limit in characters; the limit is in "
        "`message`.",
        ErrorCode.NOT_FOUND: "The object named by an id does not exist or the viewer may "
        "not see it; the two are not told apart, so ids of hidden objects reveal nothing.",
        ErrorCode.FORBIDDEN: "The viewer may see the object but not make this change (for "
        "example a MEMBER where a LEAD is needed, or a token of scope READ).",
        ErrorCode.CONFLICT: "`expectedVersion` is not the object's current `version`: "
        "someone else changed it since it was read. The payload's object is returned as it "
        "is now, with its current `version` (also named in `message`): reapply the change "
        "to it and retry with that version.",
        ErrorCode.GATE_NOT_MET: "A GO decision was refused because criteria of the gate are "
        "unmet; decideGate's `unmetCriteria` lists them (code and description) and "
        "`message` names each and what to record to meet it.",
        ErrorCode.INVALID_TRANSITION: "The decision is not allowed from the project's "
        "current stage or status (for example GO at SCALE, or deciding on a stopped project).",
        ErrorCode.PERSONAL_DATA: "A text looks like it holds personal data about children "
        "or families (a name with a date of birth, an address, a phone number, ...), which "
        "Inset must not store.",
        ErrorCode.ANONYMITY: "An anonymised lesson's text names what anonymity hides: its "
        "project, its organisations or its people.",
        ErrorCode.DUPLICATE: "A value that must be unique is taken (an externalId in the "
        "organisation, a name, an email, an idempotencyKey reused for a different request, "
        "...); for an externalId, `existingId` is the record that holds it.",
    },
    name="UserErrorCode",
)


@strawberry.type(
    description="One reason a mutation changed nothing. Match on `code` and `field`; "
    "`message` is for people and its wording may change."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description="The path of the input field at fault, in the API's names, from the "
        'mutation\'s arguments: ["input", "title"], ["input", "lesson", "body"]. Null when '
        "the error is about the request as a whole."
    )
    code: ErrorCode = strawberry.field(description="What kind of failure, for programs.")
    message: str = strawberry.field(
        description="What is wrong and how to put it right, in English, for people."
    )
    existing_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="With DUPLICATE for an externalId already used: the global id of the "
        "record that holds it, so a sync job can update that record instead. Null otherwise.",
    )
    # The domain error behind it, for payloads that return its data (unmet criteria).
    source: strawberry.Private[DomainError | None] = None
    # With CONFLICT: the record as it is now, read after the rollback, for the payload.
    current: strawberry.Private[Any] = None


def user_error(
    code: ErrorCode,
    message: str,
    field: tuple[str, ...] | None,
    existing: tuple[str, int] | None = None,
    *,
    source: DomainError | None = None,
    current: Any = None,
) -> UserError:
    path = ["input", *(api_name(part) for part in field)] if field else None
    existing_id = strawberry.ID(to_global_id(*existing)) if existing else None
    return UserError(
        field=path,
        code=code,
        message=message,
        existing_id=existing_id,
        source=source,
        current=current,
    )


def shown(result: M | list[UserError], model: type[M]) -> tuple[M | None, list[UserError]]:
    """What a mutation's payload shows: the row it returned and no errors; or its user
    errors and, with CONFLICT, the record (of type `model`) as it is now, so the caller
    can redo the change against its current version without reading it again."""
    if not isinstance(result, list):
        return result, []
    current = next((e.current for e in result if isinstance(e.current, model)), None)
    return current, result


def graphql_error(message: str, code: RequestErrorCode) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
