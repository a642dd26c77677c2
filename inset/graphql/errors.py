"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError

from inset.errors import DomainError, ErrorCode, api_name
from inset.graphql.codes import RequestErrorCode
from inset.ids import to_global_id

M = TypeVar("M")

# Registered once, here, under its API name; fields use the domain enum.
strawberry.enum(ErrorCode, name="UserErrorCode")


@strawberry.type
class UserError:
    field: list[str] | None
    code: ErrorCode
    message: str
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
