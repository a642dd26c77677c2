"""Relay's Node interface and connections, on keyset pages (inset.pagination)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from inset.ids import to_global_id
from inset.pagination import Page

T = TypeVar("T")


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    @strawberry.field(
        description="The global id: opaque, stable for ever, and unique across every type. "
        "Pass it to `node(id:)` or to any input that names this record; do not parse it."
    )
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(type(self).__name__, self.pk))  # type: ignore[attr-defined]


@strawberry.type(description="Where this page sits in its list, and the cursors to move on.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether records follow this page: ask again with "
        "`first` and `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether records come before this page: ask again with "
        "`last` and `before: startCursor`."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first record; null when the page is empty."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last record; null when the page is empty."
    )


@strawberry.type(description="One record of a page, with the cursor that marks its place.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The record itself.")
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` or `before` to page on from this record. "
        "It stays valid while records are added, but only for this same list."
    )


@strawberry.type(description="A page of a list. Cursors stay valid while records are added.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(
        description="The page's records with their cursors, in the list's order."
    )
    nodes: list[T] = strawberry.field(
        description="The page's records in the list's order, without cursors: the same "
        "records as `edges`."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more records come before or after this page, and the cursors "
        "to ask for them."
    )
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many records the whole list has, for this viewer.")
    async def total_count(self) -> int:
        return await self.counter()


def connection(
    page: Page, to_type: Callable[[Any], T], counter: Callable[[], Awaitable[int]]
) -> Connection[T]:
    nodes = [to_type(row) for row in page.rows]
    return Connection(
        edges=[Edge(node=n, cursor=c) for n, c in zip(nodes, page.cursors, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        counter=counter,
    )


def node_fields(info: strawberry.Info) -> frozenset[str]:
    """The GraphQL names of the fields asked of a connection's items, under `nodes` or
    `edges { node }`, fragments included: what its resolver may load for the whole page
    at once. Directives are not weighed: a field skipped by one is still named."""
    return frozenset(_names(_items(info.selected_fields)))


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def _items(connections: Iterable[Selection]) -> Iterable[Selection]:
    for connection in _fields(connections):
        for field in _fields(connection.selections):
            if field.name == "nodes":
                yield from field.selections
            elif field.name == "edges":
                for node in _fields(field.selections):
                    if node.name == "node":
                        yield from node.selections


def _names(selections: Iterable[Selection]) -> Iterable[str]:
    return (field.name for field in _fields(selections))
