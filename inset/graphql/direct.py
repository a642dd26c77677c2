"""Direct resolvers: fields that only read their object skip strawberry's per-field wrapper.

Strawberry wraps every resolver in a function that builds its `Info`, converts the
arguments and runs the field extensions, and routes every plain data field through two
more calls to reach `getattr`. A page of 100 projects resolves some 3,000 fields, so that
wrapping costs more than the page's SQL. After the schema is built, `resolve_directly`
gives the fields that need none of it a resolver that does only the work:

- a data field without a resolver: `getattr(object, python_name)`, strawberry's default
  resolver, called directly;
- a synchronous resolver without arguments, taking `self` (and `info`, if it wants it):
  the resolver function itself.

Fields with arguments, async resolvers, `root`/`parent` parameters or field extensions
(permissions among them) keep strawberry's resolver. The values are the same objects
strawberry would have returned, so graphql-core serialises enums, scalars and lists
exactly as before: only the path to them is shorter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Resolver = Callable[..., Any]


def resolve_directly(schema: strawberry.Schema) -> int:
    """Swaps in direct resolvers on every object type of `schema`; returns how many."""
    swapped = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if isinstance(definition, StrawberryField):
                direct = _direct(definition, schema)
                if direct is not None:
                    field.resolve = direct
                    swapped += 1
    return swapped


def _direct(field: StrawberryField, schema: strawberry.Schema) -> Resolver | None:
    if field.extensions or field.is_subscription:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return _attribute(field.python_name, field.default_resolver)
    function = resolver.wrapped_func
    if (
        resolver.arguments
        or resolver.is_async
        or resolver.self_parameter is None
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or not inspect.isfunction(function)
    ):
        return None
    info = resolver.info_parameter
    if info is None:
        return _method(function)
    return _method_with_info(function, info.name, field, schema.config.info_class)


def _attribute(name: str, getter: Callable[[Any, str], Any]) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any]) -> Any:
        return getter(source, name)

    resolve._is_default = True  # type: ignore[attr-defined]  # as strawberry marks its own
    return resolve


def _method(function: Callable[[Any], Any]) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any]) -> Any:
        return function(source)

    return resolve


def _method_with_info(
    function: Callable[..., Any], name: str, field: StrawberryField, info_class: type[Any]
) -> Resolver:
    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return function(source, **{name: info_class(_raw_info=info, _field=field)})

    return resolve
