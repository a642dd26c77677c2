"""Domain errors as `userErrors`, and the GraphQL errors outside them."""

from __future__ import annotations

import re

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


_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _camel(name: str) -> str:
    """The API name of a service's field name; other path parts (global ids, list
    positions) are kept as they are."""
    if not _SNAKE_CASE.fullmatch(name):
        return name
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def user_error(code: ErrorCode, message: str, field: tuple[str, ...] | None) -> UserError:
    path = ["input", *(_camel(part) for part in field)] if field else None
    return UserError(field=path, code=code, message=message)


def graphql_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
