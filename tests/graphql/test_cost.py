"""`actualQueryCost` counts the objects that are items of lists, at any depth."""

from __future__ import annotations

from typing import Any

import pytest

from inset.graphql.cost import objects_in_lists

CASES: list[tuple[Any, int]] = [
    (None, 0),
    ({"node": {"id": "1", "title": "A"}}, 0),  # objects, but in no list
    ({"projects": {"nodes": [{"id": "1"}, {"id": "2"}, {"id": "3"}]}}, 3),
    ({"tags": ["a", "b"], "n": [1, 2, None]}, 0),  # lists of scalars
    ({"nodes": [{"partners": [{"id": "p"}, {"id": "q"}], "lead": {"id": "o"}}]}, 3),
    ({"grid": [[{"x": 1}, {"x": 2}], [], [{"x": 3}]]}, 3),  # lists in lists
    ({"nodes": [{"id": "1"}, None, {"id": "2"}]}, 2),  # a null item is no object
    ([{"a": [{"b": [{"c": 1}]}]}], 3),
]


@pytest.mark.parametrize(("data", "objects"), CASES)
def test_objects_in_lists(data: Any, objects: int) -> None:
    assert objects_in_lists(data) == objects
