"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

import re

import strawberry
from graphql import GraphQLError

from inset.errors import ErrorCode
from inset.graphql.codes import RequestErrorCode
from inset.ids import to_global_id

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


_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _camel(name: str) -> str:
    """The API name of a service's field name; other path parts (global ids, list
    positions) are kept as they are."""
    if not _SNAKE_CASE.fullmatch(name):
        return name
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def user_error(
    code: ErrorCode,
    message: str,
    field: tuple[str, ...] | None,
    existing: tuple[str, int] | None = None,
) -> UserError:
    path = ["input", *(_camel(part) for part in field)] if field else None
    existing_id = strawberry.ID(to_global_id(*existing)) if existing else None
    return UserError(field=path, code=code, message=message, existing_id=existing_id)


def graphql_error(message: str, code: RequestErrorCode) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
