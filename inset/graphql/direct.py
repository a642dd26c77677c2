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

Of those, the fields whose type is a scalar or an enum and that need no `info` go further
with `DirectExecutionContext`: the executor computes and serialises them without building
the resolve info and walking the value-completion steps, the same serialisation as
graphql-core's, and hands any field that would be an error (a null where none is allowed,
a value its type refuses, an exception) back to graphql-core's own path, which reports it
as before.

This leans on strawberry's internals (its execution context, how it builds `Info`, its
field definitions), so both libraries are pinned to the tested minor versions
(inset.graphql.pinned).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
    is_leaf_type,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

from inset.graphql.pinned import graphql_schema

Resolver = Callable[..., Any]
# On a resolver whose field is a leaf: (value of the source, the leaf type, non-null?).
LEAF = "inset_leaf"


def resolve_directly(schema: strawberry.Schema) -> int:
    """Swaps in direct resolvers on every object type of `schema`; returns how many."""
    swapped = 0
    for graphql_type in graphql_schema(schema).type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            definition = schema.get_field_for_type(name, graphql_type.name)
            if isinstance(definition, StrawberryField):
                direct = _direct(definition, schema, field.type)
                if direct is not None:
                    field.resolve = direct
                    swapped += 1
    return swapped


class DirectExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, with the shortcut for direct leaf fields (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Resolver middleware (strawberry's extensions that resolve) must see every field.
        manager = self.middleware_manager
        self._shortcut = manager is None or not manager.middlewares

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        field = parent_type.fields.get(field_details_list[0].node.name.value)
        leaf = getattr(field.resolve, LEAF, None) if field is not None else None
        if leaf is not None and self._shortcut:
            value_of, leaf_type, non_null = leaf
            try:
                value = value_of(source)
                if value is None:
                    if not non_null:
                        return None
                elif not isinstance(value, Exception):
                    coerced = leaf_type.coerce_output_value(value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
            except Exception:  # noqa: S110 - graphql-core's path below reports it
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _direct(
    field: StrawberryField, schema: strawberry.Schema, output: GraphQLOutputType
) -> Resolver | None:
    if field.extensions or field.is_subscription:
        return None
    resolver = field.base_resolver
    if resolver is None:
        name, getter = field.python_name, field.default_resolver
        return _leaf(_attribute(name, getter), lambda source: getter(source, name), output)
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
        return _leaf(_method(function), function, output)
    return _method_with_info(function, info.name, field, schema.config.info_class)


def _leaf(resolve: Resolver, value_of: Callable[[Any], Any], output: GraphQLOutputType) -> Resolver:
    """Marks `resolve` for DirectExecutionContext when `output` is a scalar or an enum;
    `value_of(source)` is what `resolve` returns, without the info it does not use."""
    non_null = isinstance(output, GraphQLNonNull)
    named = output.of_type if isinstance(output, GraphQLNonNull) else output
    if is_leaf_type(named):
        leaf: GraphQLLeafType = named
        setattr(resolve, LEAF, (value_of, leaf, non_null))
    return resolve


def _attribute(name: str, getter: Callable[[Any, str], Any]) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any] | None) -> Any:
        return getter(source, name)

    resolve._is_default = True  # type: ignore[attr-defined]  # as strawberry marks its own
    return resolve


def _method(function: Callable[[Any], Any]) -> Resolver:
    def resolve(source: Any, _info: GraphQLResolveInfo[Any] | None) -> Any:
        return function(source)

    return resolve


def _method_with_info(
    function: Callable[..., Any], name: str, field: StrawberryField, info_class: type[Any]
) -> Resolver:
    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return function(source, **{name: info_class(_raw_info=info, _field=field)})

    return resolve
