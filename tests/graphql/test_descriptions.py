"""Every part of the contract a partner reads in schema.graphql is described.

Types, fields, arguments, input fields and enum values each need a description that says
more than the name; every mutation ends its description with the user-error codes it can
return, "User errors: NOT_FOUND, FORBIDDEN, CONFLICT (stale expectedVersion)." or
"User errors: none.". Failures are listed by the domain that defines them, so that a
missing description names the folder where it belongs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from enum import Enum

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
    specified_scalar_types,
)
from strawberry import Schema

from inset.errors import ErrorCode
from inset.graphql.descriptions import described_enum
from inset.graphql.schema import build_schema as build_inset_schema

# "The title." for a field `title` tells a partner nothing; a description must say more
# than its name's own words, give or take an article.
_FILLER = {"the", "a", "an", "of", "this", "its", "s"}


@pytest.fixture(scope="module")
def inset_schema() -> Schema:
    return build_inset_schema()


@pytest.fixture(scope="module")
def contract(inset_schema: Schema) -> GraphQLSchema:
    return build_schema(inset_schema.as_str())


def _words(text: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    return [w for w in re.findall(r"[a-z0-9]+", spaced.lower()) if w not in _FILLER]


def _lacks(description: str | None, name: str) -> str | None:
    """Why `description` does not describe `name`, or None when it does."""
    if not description or not description.strip():
        return "no description"
    if _words(description) == _words(name):
        return f"only restates its name: {description!r}"
    return None


def _domain_of_module(module: str) -> str:
    """`inset.projects.types` -> projects; strawberry's own (merged roots, generic
    connections) and inset.errors belong to the graphql wiring."""
    parts = module.split(".")
    if parts[0] != "inset" or len(parts) < 2 or parts[1] == "errors":
        return "graphql"
    return parts[1]


def _type_domain(inset_schema: Schema, type_name: str) -> str:
    definition = inset_schema.get_type_by_name(type_name)
    origin = getattr(definition, "origin", None) or getattr(definition, "wrapped_cls", None)
    return _domain_of_module(origin.__module__) if origin is not None else "graphql"


def _field_domain(inset_schema: Schema, type_name: str, field_name: str) -> str:
    """A root field belongs to the domain whose queries.py or mutations.py defines it."""
    if type_name in ("Query", "Mutation"):
        field = inset_schema.get_field_for_type(field_name, type_name)
        origin = getattr(field, "origin", None)
        if origin is not None:
            return _domain_of_module(origin.__module__)
    return _type_domain(inset_schema, type_name)


def _named_types(contract: GraphQLSchema) -> Iterator[GraphQLNamedType]:
    for name, named in sorted(contract.type_map.items()):
        if name.startswith("__") or name in specified_scalar_types:
            continue
        yield named


def _undescribed(inset_schema: Schema, contract: GraphQLSchema) -> dict[str, list[str]]:
    """Each domain's undescribed parts, as `Type`, `Type.field`, `Type.field(arg:)`,
    `Input.field` or `Enum.VALUE`, with the reason."""
    found: dict[str, list[str]] = defaultdict(list)

    def check(domain: str, where: str, description: str | None, name: str) -> None:
        reason = _lacks(description, name)
        if reason:
            found[domain].append(f"{where}: {reason}")

    for named in _named_types(contract):
        domain = _type_domain(inset_schema, named.name)
        check(domain, named.name, named.description, named.name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                field_domain = _field_domain(inset_schema, named.name, field_name)
                where = f"{named.name}.{field_name}"
                check(field_domain, where, field.description, field_name)
                for arg_name, arg in field.args.items():
                    check(field_domain, f"{where}({arg_name}:)", arg.description, arg_name)
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                where = f"{named.name}.{field_name}"
                check(domain, where, input_field.description, field_name)
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                check(domain, f"{named.name}.{value_name}", value.description, value_name)
        elif not isinstance(named, GraphQLUnionType):  # scalars: the type's description
            pass
    return found


def _report(found: dict[str, list[str]]) -> str:
    total = sum(len(items) for items in found.values())
    lines = [f"{total} parts of the schema lack a description:"]
    for domain in sorted(found):
        lines.append(f"  {domain} ({len(found[domain])}):")
        lines.extend(f"    {item}" for item in found[domain])
    return "\n".join(lines)


def test_every_type_field_argument_input_field_and_enum_value_is_described(
    inset_schema: Schema, contract: GraphQLSchema
) -> None:
    found = _undescribed(inset_schema, contract)

    assert not found, _report(found)


_USER_ERRORS = re.compile(r"User errors:\s*(?P<codes>.+)", re.DOTALL)


def listed_codes(description: str) -> list[str] | None:
    """The codes after "User errors:", each without its parenthesised note, up to the end
    of that sentence; None when the description has no such list."""
    match = _USER_ERRORS.search(description)
    if match is None:
        return None
    text, depth, codes, current = match.group("codes"), 0, [], ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in ",.":
            codes.append(current.strip())
            current = ""
            if char == ".":
                break
        elif depth == 0:
            current += char
    else:
        codes.append(current.strip())
    return [code for code in codes if code]


def test_listed_codes_reads_codes_notes_and_none() -> None:
    assert listed_codes(
        "Change it. User errors: NOT_FOUND, CONFLICT (stale expectedVersion, see version)."
    ) == ["NOT_FOUND", "CONFLICT"]
    assert listed_codes("Read-only. User errors: none.") == ["none"]
    assert listed_codes("Changes things.") is None


def test_every_mutation_lists_the_user_error_codes_it_can_return(
    inset_schema: Schema, contract: GraphQLSchema
) -> None:
    known = {code.value for code in ErrorCode}
    mutation = contract.mutation_type
    assert mutation is not None
    wrong: dict[str, list[str]] = defaultdict(list)

    for name, field in sorted(mutation.fields.items()):
        domain = _field_domain(inset_schema, "Mutation", name)
        codes = listed_codes(field.description or "")
        if not codes:
            wrong[domain].append(f"Mutation.{name}: no 'User errors: CODE, ...' list")
        elif codes != ["none"] and not set(codes) <= known:
            unknown = ", ".join(sorted(set(codes) - known))
            wrong[domain].append(f"Mutation.{name}: not UserErrorCode values: {unknown}")

    assert not wrong, _report(wrong).replace("lack a description", "list no user errors")


class _Colour(Enum):
    RED = "red"
    GREEN = "green"


def test_described_enum_refuses_a_member_without_a_description() -> None:
    with pytest.raises(ValueError, match="none for GREEN"):
        described_enum(_Colour, "Colours.", {_Colour.RED: "The colour of stop."})


class _Shade(Enum):
    DARK = "dark"
    LIGHT = "light"


@strawberry.type
class _Paint:  # meets _Shade as a field's annotation before it is described
    shade: _Shade


@strawberry.type
class _PaintQuery:
    @strawberry.field
    def paint(self) -> _Paint:
        return _Paint(shade=_Shade.DARK)


def test_described_enum_describes_an_enum_a_type_met_first() -> None:
    described_enum(
        _Shade,
        "How much light a paint reflects.",
        {_Shade.DARK: "Reflects little light.", _Shade.LIGHT: "Reflects most light."},
    )

    printed = Schema(query=_PaintQuery).as_str()

    assert '"""How much light a paint reflects."""\nenum _Shade {' in printed
    assert '"""Reflects little light."""\n  DARK' in printed
