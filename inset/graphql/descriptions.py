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
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

E = TypeVar("E", bound=Enum)


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
    registered = strawberry.enum(cls, name=name, description=description)
    if not has_enum_definition(registered):  # pragma: no cover - strawberry.enum sets it
        raise TypeError(f"{cls.__name__} was not registered as an enum")
    # strawberry reads member descriptions only from `enum_value` members; a model enum
    # has plain values, so the definition strawberry.enum just made is given them here,
    # before any schema is built from it.
    by_value = {member.value: text for member, text in values.items()}
    for value in registered.__strawberry_definition__.values:
        value.description = by_value[value.value]
    return registered
