"""Descriptions for the values of enums that are also the domain's own Python enums."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum


def describe_values(enum: type[Enum], descriptions: Mapping[str, str]) -> None:
    """Gives each value of an enum already registered with `strawberry.enum` its
    description, by member name.

    A domain enum keeps its plain values (they are stored and compared), so the values
    cannot be wrapped in `strawberry.enum_value`; the descriptions go on the GraphQL
    definition instead. Every member must have one.
    """
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    missing = {member.name for member in enum} - set(descriptions)
    if missing:
        raise ValueError(f"{enum.__name__}: no description for {sorted(missing)}")
    for value in definition.values:
        value.description = descriptions[value.name]
