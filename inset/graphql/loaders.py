"""Per-request DataLoaders: every relation is fetched in batches, once per request.

Each domain's `loaders.py` defines factories `<result>_by_<key>(context)`; this registry
makes one loader per factory per request, so `await context.loaders.load(
project_by_id, 7)` batches with every other project lookup of that request. The SQL
count of a request therefore follows the depth of the query, not the page size.

A list can also load a relation for its whole page before its items are resolved
(`prefetch`); the items' fields then find the rows in the loader with `now` and resolve
synchronously. That spares graphql-core an awaitable, and asyncio a task, per item and
field: on a page of 100 projects, most of what a request costs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import sqlalchemy as sa
from strawberry.dataloader import DataLoader

from inset.pagination import (
    Page,
    PageRequest,
    SortKey,
    count_by_parent,
    fetch_pages_by_parent,
)

if TYPE_CHECKING:
    from inset.graphql.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")
Factory = Callable[["Context"], DataLoader[Any, Any]]
# What a resolver may return: graphql-core awaits an awaitable whatever the annotation,
# so a field declares its GraphQL type with `strawberry.field(graphql_type=...)`.
AwaitableOrValue: TypeAlias = T | Awaitable[T]


def then(value: AwaitableOrValue[V], apply: Callable[[V], T]) -> AwaitableOrValue[T]:
    """`apply(value)`, now when `value` is at hand, else once it is awaited."""
    if isinstance(value, Awaitable):

        async def later() -> T:
            return apply(await value)

        return later()
    return apply(value)


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context: Context | None = context
        self._loaders: dict[Factory, DataLoader[Any, Any]] = {}

    def get(self, factory: Callable[[Context], DataLoader[K, V]]) -> DataLoader[K, V]:
        loader = self._loaders.get(factory)
        if loader is None:
            if self._context is None:
                raise RuntimeError("the request is over: its loaders are closed")
            loader = self._loaders[factory] = factory(self._context)
        return loader

    def close(self) -> None:
        """Drops every loader with its cached rows.

        The context and its loaders refer to each other, so without this a request's rows
        would wait for the cyclic garbage collector, whose full passes then cost a
        busy server more than the requests themselves.
        """
        self._loaders.clear()
        self._context = None

    async def load(self, factory: Callable[[Context], DataLoader[K, V]], key: K) -> V:
        return await self.get(factory).load(key)

    def now(self, factory: Callable[[Context], DataLoader[K, V]], key: K) -> AwaitableOrValue[V]:
        """The value when this request has loaded it already, else an awaitable of it.

        Its errors are left to the awaitable, so that they surface as they would have.
        """
        loader = self.get(factory)
        future = loader.cache_map.get(key) if loader.cache else None
        ready = future is not None and future.done() and not future.cancelled()
        if ready and future is not None and future.exception() is None:
            value: V = future.result()
            return value
        return loader.load(key)

    async def prefetch(
        self, factory: Callable[[Context], DataLoader[K, V]], keys: Iterable[K]
    ) -> None:
        """Loads the keys not loaded yet in one batch, for a page's items to find `now`.

        The loader's own batch function fills its cache directly: the same statement as
        `load_many`, without a future to await and a task to gather for every key.
        """
        loader = self.get(factory)
        missing = [key for key in dict.fromkeys(keys) if loader.cache_map.get(key) is None]
        if not missing:
            return
        values = await loader.load_fn(missing)
        for key, value in zip(missing, values, strict=True):
            future = loader.loop.create_future()
            if isinstance(value, BaseException):
                future.set_exception(value)
            else:
                future.set_result(value)
            loader.cache_map.set(key, future)

    async def load_many(
        self, factory: Callable[[Context], DataLoader[K, V]], keys: Sequence[K]
    ) -> list[V]:
        return await self.get(factory).load_many(keys)


def rows_by_id(context: Context, stmt: sa.Select[Any], id_column: Any) -> DataLoader[int, Any]:
    """Rows of `stmt` (already narrowed to what the viewer may read) by primary key."""

    async def batch(ids: list[int]) -> list[Any]:
        found = {row.id: row for row in context.session.scalars(stmt.where(id_column.in_(ids)))}
        return [found.get(pk) for pk in ids]

    return DataLoader(load_fn=batch)


def rows_by_parent(
    context: Context, stmt: sa.Select[Any], parent_column: Any
) -> DataLoader[int, list[Any]]:
    """All rows of `stmt` for each parent id, in `stmt`'s order."""

    async def batch(parent_ids: list[int]) -> list[list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        parent_key = parent_column.key
        for row in context.session.scalars(stmt.where(parent_column.in_(parent_ids))):
            grouped[getattr(row, parent_key)].append(row)
        return [grouped[pid] for pid in parent_ids]

    return DataLoader(load_fn=batch)


def records_by_parent(
    context: Context, stmt: sa.Select[*tuple[Any, ...]], parent_column: Any
) -> DataLoader[int, list[Any]]:
    """As `rows_by_parent` for a select of columns: plain rows (`sa.Row`), in `stmt`'s
    order, for reads that only compute from them."""

    async def batch(parent_ids: list[int]) -> list[list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        parent_key = parent_column.key
        for row in context.session.execute(stmt.where(parent_column.in_(parent_ids))):
            grouped[getattr(row, parent_key)].append(row)
        return [grouped[pid] for pid in parent_ids]

    return DataLoader(load_fn=batch)


def pages_by_parent(
    context: Context,
    stmt: sa.Select[Any],
    entity: Any,
    parent_column: Any,
    keys: Sequence[SortKey],
    keys_of: Callable[[Any], tuple[Any, ...]],
) -> DataLoader[tuple[int, PageRequest], Page]:
    """A page of a nested connection for each (parent id, page request) key.

    Keys asking for the same page shape are answered by one windowed statement.
    """

    async def batch(keys_asked: list[tuple[int, PageRequest]]) -> list[Page]:
        by_request: dict[PageRequest, list[int]] = defaultdict(list)
        for parent_id, request in keys_asked:
            by_request[request].append(parent_id)
        pages: dict[tuple[int, PageRequest], Page] = {}
        for request, parent_ids in by_request.items():
            found = fetch_pages_by_parent(
                context.session, stmt, entity, parent_column, parent_ids, keys, request, keys_of
            )
            pages.update({(pid, request): page for pid, page in found.items()})
        return [pages[key] for key in keys_asked]

    return DataLoader(load_fn=batch)


def counts_by_parent(
    context: Context, stmt: sa.Select[Any], parent_column: Any
) -> DataLoader[int, int]:
    async def batch(parent_ids: list[int]) -> list[int]:
        found = count_by_parent(context.session, stmt, parent_column, parent_ids)
        return [found[pid] for pid in parent_ids]

    return DataLoader(load_fn=batch)
