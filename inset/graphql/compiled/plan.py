"""Compiled reads: the operation as one statement, and the statements kept for reuse.

`compile_read` hands the operation to the compiler (inset.graphql.compiled.compiler) and
says which of its variables the statement takes as parameters, so that the endpoint can
serve the next id or the next page with the statement it has.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import strawberry
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    VariableNode,
    Visitor,
    get_variable_values,
    visit,
)

from inset.access import Actor
from inset.errors import DomainError
from inset.graphql.compiled.collect import Selection, Unsupported
from inset.graphql.compiled.compiler import Compiler, CursorParameter, id_parameter
from inset.graphql.compiled.sql import UNENCODABLE
from inset.graphql.pinned import graphql_schema
from inset.ids import from_global_id
from inset.pagination import cursor_fits, decode_cursor

logger = logging.getLogger("inset.graphql")


@dataclass(frozen=True)
class CompiledRead:
    statement: sa.Select[Any]
    # False when the statement holds the time it was built (a filter on days since
    # something): it serves one request only.
    reusable: bool
    # Variables holding the global id of a `node`: the statement takes the record's key
    # as a parameter (`id_parameter`), and serves any id of the same type.
    id_variables: frozenset[str] = frozenset()
    # Variables holding an `after` or `before` cursor, which the statement takes as
    # parameters; a variable used anywhere else is not among them.
    cursors: tuple[CursorParameter, ...] = ()

    def parameters(self, variables: dict[str, Any] | None) -> dict[str, Any] | None:
        """The statement's parameters for these values of its variables; None when a
        cursor is not one of this list's (the resolvers' path words the error)."""
        given = variables or {}
        found: dict[str, Any] = {}
        for name in self.id_variables:
            value = given.get(name)
            decoded = from_global_id(value) if isinstance(value, str) else None
            if decoded is not None:
                found[id_parameter(name)] = decoded[1]
        for cursor in self.cursors:
            try:
                values = decode_cursor(str(given.get(cursor.variable)), cursor.variable)
            except DomainError:
                return None
            if not cursor_fits(cursor.keys, values):
                return None
            found.update({f"{cursor.prefix}_{i}": v for i, v in enumerate(values)})
        return found


def shape(variables: dict[str, Any] | None, ids: frozenset[str], cursors: frozenset[str]) -> str:
    """The variables as a key of compiled statements: an id variable stands for its type
    alone, a cursor variable for being one, as the statement takes their values."""
    shaped = dict(variables or {})
    for name in ids:
        value = shaped.get(name)
        decoded = from_global_id(value) if isinstance(value, str) else None
        shaped[name] = {"id of": decoded[0]} if decoded else {"not an id": value}
    for name in cursors:
        value = shaped.get(name)
        # "" is no cursor at all, and null the first page
        cursor = isinstance(value, str) and value != ""
        shaped[name] = {"cursor": True} if cursor else {"no cursor": value}
    return json.dumps(shaped, sort_keys=True)


def compile_read(
    *,
    schema: strawberry.Schema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    actor: Actor,
    dialect: str,
    basis: str,
) -> CompiledRead | None:
    """The one statement whose value is the operation's `data`, as JSON text; None when
    any part of the operation is beyond the compiler (module docstring). `basis` names
    the figures of economics the resolvers would work out (`economics.stored.basis_of`)."""
    if operation.directives:
        return None
    coerced = get_variable_values(
        graphql_schema(schema), operation.variable_definitions or (), variables or {}
    )
    if isinstance(coerced, list):
        return None  # the resolvers' path reports the variables' errors
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    compiler = Compiler(
        schema, Selection(graphql_schema(schema), fragments, coerced), actor, dialect, basis
    )
    try:
        statement = compiler.operation(operation)
    except (Unsupported, DomainError, GraphQLError):
        # A bad argument, cursor or id: the resolvers' path words the error.
        return None
    except Exception:
        # A fault of the compiler must not cost the reader the answer the resolvers give.
        logger.exception("compiling a read failed; the resolvers answer it")
        return None
    # An id variable used anywhere else (a filter, a fragment spread twice) would hold a
    # value the statement does not take as a parameter: then the statement is its own.
    uses = _variable_uses(operation, fragments.values())
    ids = frozenset(name for name, n in compiler.id_uses.items() if uses[name] == n)
    cursor_uses = Counter(c.variable for c in compiler.cursors)
    cursors = tuple(c for c in compiler.cursors if uses[c.variable] == cursor_uses[c.variable])
    return CompiledRead(statement, compiler.reusable, ids, cursors)


def _variable_uses(
    operation: OperationDefinitionNode, fragments: Iterable[FragmentDefinitionNode]
) -> Counter[str]:
    """How often each variable appears in the operation's selections and the fragments."""
    found: Counter[str] = Counter()

    class _Uses(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            found[node.name.value] += 1

    for selection_set in [operation.selection_set, *(f.selection_set for f in fragments)]:
        visit(selection_set, _Uses())
    return found


def unencodable(text: str) -> bool:
    """Whether a compiled answer holds a cursor only Python can write (`sql.UNENCODABLE`)."""
    return UNENCODABLE in text
