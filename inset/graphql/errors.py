"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from inset.errors import ErrorCode

# Registered once, here, under its API name; fields use the domain enum.
strawberry.enum(ErrorCode, name="UserErrorCode")


@strawberry.type
class UserError:
    field: list[str] | None
    code: ErrorCode
    message: str


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def user_error(code: ErrorCode, message: str, field: tuple[str, ...] | None) -> UserError:
    path = ["input", *(_camel(part) for part in field)] if field else None
    return UserError(field=path, code=code, message=message)


def graphql_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
