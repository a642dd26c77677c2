"""The endpoint's side of compiled reads: statements kept per query, reader and variables,
and run as the request's one statement.

Building a statement costs more than running it, so the same query, with the same
variables but for ids and cursors, for readers with the same rights, reuses it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import DocumentNode, OperationDefinitionNode
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError

from inset.access import Actor
from inset.graphql.compiled.compiler import id_parameter
from inset.graphql.compiled.driver import DriverSQL, driver_sql
from inset.graphql.compiled.plan import CompiledRead, compile_read, shape, unencodable

CACHE_SIZE = 256  # statements of a few hundred SQL elements each
MAX_SHAPES = 32  # statements built for one query before it is left to the resolvers

_NOT_YET: Any = object()  # a query not compiled yet, where None is one left to the resolvers


@dataclass(frozen=True)
class Found:
    compiled: CompiledRead
    driver: DriverSQL | None  # None: SQLAlchemy runs the statement as it is
    bound: dict[str, Any]  # the request's parameters

    def named(self) -> tuple[str, dict[str, Any]] | None:
        """The driver's text and named parameters, to be part of another statement; None
        when SQLAlchemy runs it, or its parameters are by position (SQLite)."""
        if self.driver is None:
            return None
        parameters = self.driver.parameters(self.bound)
        return (self.driver.text, parameters) if isinstance(parameters, dict) else None


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for a compiled read and its charge. On PostgreSQL it commits each
    statement: one statement sees one snapshot and needs no transaction around it, and
    the BEGIN and ROLLBACK would be two of the read's four round trips."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


class CompiledReads:
    def __init__(self, *, schema: strawberry.Schema, basis: str) -> None:
        self._schema = schema
        # the figures of economics a compiled read may take from the stored rows
        self._basis = basis
        self._lock = threading.Lock()
        self._reads: dict[tuple[Any, ...], tuple[CompiledRead | None, DriverSQL | None]] = {}
        # The variables that compiled statements of each query take as parameters.
        self._parameters: dict[tuple[str, str | None], tuple[frozenset[str], frozenset[str]]] = {}
        # How many statements each query has needed: one whose variables (a search, say)
        # differ at every request would be built for each, which costs more than it saves.
        self._shapes: dict[tuple[str, str | None], int] = {}

    def find(
        self,
        *,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        dialect: Dialect,
        actor: Actor,
    ) -> Found | None:
        """The statement that answers the query, or None when the compiler leaves the
        query to the resolvers (inset.graphql.compiled)."""
        # all that the access rules ask of the reader (inset.access)
        rights = (actor.role, actor.organisation_id)
        operation_key = (query, operation_name)
        if self._shapes.get(operation_key, 0) >= MAX_SHAPES:
            return None  # built anew for nearly every request: cheaper through the resolvers
        learned = self._parameters.get(operation_key)
        ids, cursors = learned or (frozenset(), frozenset())
        # Which variables are shaped is part of the key: a value a client sends can never
        # pass for a shaped one.
        reader = (dialect.name, *rights)
        key = (*operation_key, shape(variables, ids, cursors), ids, cursors, *reader)
        compiled, driver = self._reads.get(key, (_NOT_YET, None))
        bound = compiled.parameters(variables) if isinstance(compiled, CompiledRead) else None
        if compiled is _NOT_YET or (
            compiled is not None and (not compiled.reusable or bound is None)
        ):
            compiled = compile_read(
                schema=self._schema,
                document=document,
                operation=operation,
                variables=variables,
                actor=Actor(role=rights[0], organisation_id=rights[1]),
                dialect=dialect.name,
                basis=self._basis,
            )
            driver = _driver_sql(compiled, dialect)
            self._keep(operation_key, key, learned, variables, (compiled, driver), reader)
            bound = compiled.parameters(variables) if compiled else None
        if compiled is None or bound is None:
            return None
        return Found(compiled, driver, bound)

    def run(self, found: Found, connection: Connection) -> str | None:
        """The `data` of the query as JSON text; None when the database refuses the
        statement for its shape, and the resolvers answer."""
        try:
            if found.driver is not None:
                parameters = found.driver.parameters(found.bound)
                result = connection.exec_driver_sql(found.driver.text, parameters)
            else:
                result = connection.execute(found.compiled.statement, found.bound)
            text: str = result.scalar_one()
        except DBAPIError as error:
            if not refused_for_shape(error):
                raise
            return None
        return answer(text)

    def _keep(
        self,
        operation_key: tuple[str, str | None],
        key: tuple[Any, ...],
        learned: object,
        variables: dict[str, Any] | None,
        statement: tuple[CompiledRead | None, DriverSQL | None],
        reader: tuple[Any, ...],
    ) -> None:
        compiled = statement[0]
        with self._lock:
            if len(self._reads) >= CACHE_SIZE:
                self._reads.clear()  # rarely: documents are few, readers' rights too
                self._parameters.clear()
                self._shapes.clear()
            self._shapes[operation_key] = self._shapes.get(operation_key, 0) + 1
            if compiled is not None:
                ids = compiled.id_variables
                cursors = frozenset(c.variable for c in compiled.cursors)
                self._parameters[operation_key] = (ids, cursors)
                shaped = shape(variables, ids, cursors)
                self._reads[(*operation_key, shaped, ids, cursors, *reader)] = statement
            elif learned is None and key not in self._reads:
                # The resolvers' query, unless only these values of its variables (a bad
                # cursor) made it so.
                self._reads[key] = statement


def _driver_sql(compiled: CompiledRead | None, dialect: Dialect) -> DriverSQL | None:
    """The driver's SQL of a statement that will serve again; one that serves a single
    request is cheaper run as it is."""
    if compiled is None or not compiled.reusable:
        return None
    parameters = {id_parameter(name) for name in compiled.id_variables}
    for cursor in compiled.cursors:
        parameters.update(f"{cursor.prefix}_{i}" for i in range(len(cursor.keys)))
    return driver_sql(compiled.statement, dialect, parameters)


def answer(text: str | None) -> str | None:
    """The statement's value as the response's `data`; None when only the resolvers can
    write it (`sql.UNENCODABLE`)."""
    return None if text is None or unencodable(text) else text


def refused_for_shape(error: DBAPIError) -> bool:
    """Whether the database refused the statement for its shape, not for its state: the
    resolvers answer such a query. SQLite's parser stops at a fixed depth of nesting (some
    100 levels), which deep documents reach; PostgreSQL has its own limits on a statement
    (its stack depth, the arguments of a function)."""
    message = str(error.orig or error)
    return any(
        limit in message
        for limit in (
            "parser stack overflow",
            "stack depth limit exceeded",
            "cannot pass more than",
            "too many arguments",
        )
    )
