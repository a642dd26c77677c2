"""The fields a selection asks of one object type, as graphql-core's executor collects
them: fragments that apply to the type, `@skip`/`@include` weighed, fields of the same
response key merged in the order they first appear."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    VariableValues,
    get_directive_values,
    is_abstract_type,
)

Fields = dict[str, list[FieldNode]]  # response key: the field nodes merged under it


class Unsupported(Exception):
    """The operation asks for something the compiler does not build: the resolvers answer."""


@dataclass(frozen=True)
class Selection:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: VariableValues

    def fields(self, type_name: str, selection_sets: Iterable[SelectionSetNode]) -> Fields:
        found: Fields = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(type_name, selection_set, found, visited)
        return found

    def subfields(self, type_name: str, nodes: list[FieldNode]) -> Fields:
        return self.fields(type_name, [n.selection_set for n in nodes if n.selection_set])

    def _collect(
        self, type_name: str, selection_set: SelectionSetNode, found: Fields, visited: set[str]
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                found.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_name):
                    self._collect(type_name, selection.selection_set, found, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = self.fragments.get(name)
                if fragment is None:
                    raise Unsupported(f"fragment {name}")
                if self._applies(fragment.type_condition.name.value, type_name):
                    self._collect(type_name, fragment.selection_set, found, visited)

    def _included(self, node: FieldNode | InlineFragmentNode | FragmentSpreadNode | Any) -> bool:
        for directive in node.directives or ():
            if directive.name.value not in ("skip", "include"):
                raise Unsupported(f"directive @{directive.name.value}")
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip is not None and skip["if"] is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include is not None and include["if"] is False)

    def _applies(self, condition: str, type_name: str) -> bool:
        if condition == type_name:
            return True
        conditional = self.schema.get_type(condition)
        concrete = self.schema.get_type(type_name)
        return (
            conditional is not None
            and is_abstract_type(conditional)
            and isinstance(concrete, GraphQLObjectType)
            and self.schema.is_sub_type(conditional, concrete)
        )
