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
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(type(self).__name__, self.pk))  # type: ignore[attr-defined]


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list. Cursors stay valid while records are added.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
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
