"""Descriptions for the enums of the contract, kept next to their registration.

A domain's enums live in its models.py, which knows nothing of GraphQL, so their members
cannot be written as `strawberry.enum_value(..., description=...)`. `described_enum`
registers such an enum with `strawberry.enum` (as `strawberry.enum(models.Stage)` did)
and gives every member the description a partner reads in schema.graphql:

    from inset.graphql.descriptions import described_enum

    described_enum(
        models.Visibility,
        "Who may read a project and its records.",
        {
            models.Visibility.PRIVATE: "Only members of the lead organisation ...",
            models.Visibility.NETWORK: "Any signed-in account ...",
            models.Visibility.PUBLIC: "Anyone, signed in or not ...",
        },
    )

Call it once, in the domain's types.py, where `strawberry.enum(...)` was; fields keep
using the model enum. Every member needs a description, and only members may be named:
anything else raises ValueError at import, so a member added to the model without one
fails every test before it reaches the schema. `name` renames the GraphQL type, as
`strawberry.enum`'s does (ErrorCode is `UserErrorCode`).

An enum written for the API alone (no model behind it) keeps using
`strawberry.enum_value(value, description=...)` on its members directly.

The texts every domain repeats are here too, so they read the same everywhere:
`USER_ERRORS` for a payload's `userErrors` field, and a mutation's `input` argument and
the paging arguments as annotated types, so that a field is described by its signature:

    def lessons(self, info: Info, first: First = None, after: After = None) -> ...
    def record_lesson(self, info: Info, input: Input[RecordLessonInput]) -> ...

A mutation's own description ends with the user-error codes it can return, read from
its service: "User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale expectedVersion)." (or
"User errors: none."); tests/graphql/test_descriptions.py checks that each is a
UserErrorCode.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

from inset.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

E = TypeVar("E", bound=Enum)
T = TypeVar("T")

USER_ERRORS = (
    "Why the mutation changed nothing; empty when it succeeded. With any entry nothing at "
    "all was written (the mutation is one transaction) and the payload's object is null."
)
MUTATION_INPUT = (
    "The whole request; it is checked in full before anything is written, and what is "
    "wrong with it comes back in the payload's userErrors, with the path of each field."
)
FIRST = (
    f"Page size from the start: 1 to {MAX_PAGE_SIZE} inclusive, default {DEFAULT_PAGE_SIZE}. "
    "Not with `last`. Out of range is an INVALID error (extensions.field names it)."
)
AFTER = (
    "A cursor (edges.cursor or pageInfo.endCursor) from this same list: the page starts "
    "just after it, that record excluded. Pass only this list's cursors; one that cannot be "
    "read is INVALID."
)
LAST = (
    f"Page size from the end: 1 to {MAX_PAGE_SIZE} inclusive. Not with `first`; with "
    "`before`, the records just before that cursor."
)
BEFORE = (
    "A cursor (edges.cursor or pageInfo.startCursor) from this same list: the page ends "
    "just before it, that record excluded."
)

First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
Last = Annotated[int | None, strawberry.argument(description=LAST)]
Before = Annotated[str | None, strawberry.argument(description=BEFORE)]
# A mutation's argument: `input: Input[CreateProjectInput]`.
Input = Annotated[T, strawberry.argument(description=MUTATION_INPUT)]


def described_enum(
    cls: type[E],
    description: str,
    values: Mapping[E, str],
    *,
    name: str | None = None,
) -> type[E]:
    """Register `cls` as a GraphQL enum described as a whole and member by member;
    returns `cls` itself, so the model's members are what resolvers return and receive."""
    missing = [member.name for member in cls if not values.get(member, "").strip()]
    strangers = [repr(key) for key in values if not isinstance(key, cls)]
    if missing or strangers:
        raise ValueError(
            f"{cls.__name__}: every member needs a description"
            + (f"; none for {', '.join(missing)}" if missing else "")
            + (f"; not members: {', '.join(strangers)}" if strangers else "")
        )
    # A type elsewhere may have met the enum first, as a field's annotation: strawberry
    # then registered it plainly, at that class's creation. Describing that one definition
    # in place keeps a single definition for every field (two would be a duplicate type).
    definition = _definition(cls) or _definition(
        strawberry.enum(cls, name=name, description=description)
    )
    if definition is None:  # pragma: no cover - strawberry.enum sets it
        raise TypeError(f"{cls.__name__} was not registered as an enum")
    definition.description = description
    if name is not None:
        definition.name = name
    # strawberry reads member descriptions only from `enum_value` members; a model enum
    # has plain values, so its definition is given them here, before any schema is built.
    by_value = {member.value: text for member, text in values.items()}
    for value in definition.values:
        value.description = by_value[value.value]
    return cls


def _definition(cls: type[Enum]) -> StrawberryEnumDefinition | None:
    """The enum's strawberry definition, or None while it is not registered."""
    return cls.__strawberry_definition__ if has_enum_definition(cls) else None
