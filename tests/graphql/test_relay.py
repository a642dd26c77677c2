"""What a connection's resolver learns of the fields asked of its items (`node_fields`)."""

from __future__ import annotations

import asyncio

import pytest
import strawberry

from inset.graphql.relay import node_fields

seen: list[frozenset[str]] = []


@strawberry.type
class Item:
    name: str = "item"
    size: int = 1
    colour: str = "red"


@strawberry.type
class ItemEdge:
    node: Item
    cursor: str = "c"


@strawberry.type
class ItemConnection:
    nodes: list[Item]
    edges: list[ItemEdge]
    total_count: int = 1


@strawberry.type
class Query:
    @strawberry.field
    def items(self, info: strawberry.Info) -> ItemConnection:
        seen.append(node_fields(info))
        return ItemConnection(nodes=[Item()], edges=[ItemEdge(node=Item())])


SCHEMA = strawberry.Schema(query=Query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ items { totalCount } }", set()),
        ("{ items { nodes { name size } } }", {"name", "size"}),
        ("{ items { edges { cursor node { colour } } } }", {"colour"}),
        ("{ items { nodes { name } edges { node { size } } } }", {"name", "size"}),
        ("{ items { nodes { ...F } } } fragment F on Item { colour }", {"colour"}),
        ("{ items { ... on ItemConnection { nodes { ... on Item { size } } } } }", {"size"}),
        ("{ items { ...C } } fragment C on ItemConnection { edges { node { name } } }", {"name"}),
        ("{ items { nodes { big: size } } }", {"size"}),
    ],
)
def test_node_fields_names_what_is_asked_of_the_items_however_it_is_written(
    query: str, expected: set[str]
) -> None:
    seen.clear()
    result = asyncio.run(SCHEMA.execute(query))
    assert result.errors is None
    assert seen == [frozenset(expected)]
