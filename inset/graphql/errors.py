"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

from enum import Enum

import strawberry
from graphql import GraphQLError

from inset.errors import ErrorCode

UserErrorCode = strawberry.enum(
    Enum("UserErrorCode", {code.name: code.value for code in ErrorCode}),  # type: ignore[misc]
    name="UserErrorCode",
)


@strawberry.type
class UserError:
    field: list[str] | None
    code: UserErrorCode  # type: ignore[valid-type]
    message: str


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def user_error(code: ErrorCode, message: str, field: tuple[str, ...] | None) -> UserError:
    path = ["input", *(_camel(part) for part in field)] if field else None
    return UserError(field=path, code=UserErrorCode[code.name], message=message)


def graphql_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
