"""A compiled read as the driver's own SQL text and parameters, worked out once.

SQLAlchemy caches a statement's compiled form, but still builds and converts all of its
parameters at every execution: for a small read, more time than the database takes. A
compiled read's parameters are constants of the statement (a visibility, a page size),
converted here once, and the few the request brings (the id of a `node`, a cursor's
keys), converted as each request runs. The text goes to the driver through
`Connection.exec_driver_sql`, so that the statement is still counted, logged and its
errors told as any other.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class DriverSQL:
    text: str
    order: tuple[str, ...] | None  # the parameters' names by position; None when named
    values: dict[str, Any]  # the statement's own parameters, as the driver takes them
    processors: dict[str, Processor]  # for the parameters each request brings

    def parameters(self, bound: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = dict(self.values)
        for name, value in bound.items():
            process = self.processors[name]
            values[name] = process(value) if process is not None and value is not None else value
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)


def driver_sql(
    statement: sa.Select[Any], dialect: Dialect, request_parameters: Collection[str]
) -> DriverSQL | None:
    """The statement for `dialect`; None when a parameter's type cannot be told (then
    SQLAlchemy runs it, as it would any other)."""
    # Lists (`IN`) written out as one parameter an item: a compiled read's lists are
    # constants of its statement, never the request's.
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    values: dict[str, Any] = {}
    processors: dict[str, Processor] = {}
    for name, value in compiled.construct_params().items():
        bind = compiled.binds.get(name)
        if bind is None:  # an item of a list, named after the list's parameter
            bind = compiled.binds.get(name.rsplit("_", 1)[0])
        if bind is None:
            return None
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if name in request_parameters:
            processors[name] = process
        else:
            values[name] = process(value) if process is not None and value is not None else value
    if set(request_parameters) - set(processors):
        return None
    positional = compiled.positiontup
    order = tuple(positional) if dialect.positional and positional is not None else None
    return DriverSQL(compiled.string, order, values, processors)
