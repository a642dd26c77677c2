"""The limits and cost of a query, worked out once per document and page sizes.

Walking a document for its cost (`inset.graphql.limits.measure`) costs a fifth of a
small compiled read. It depends only on the document and on the few variables that give
page sizes and searches, so a client asking for the next id, or the next page, with the
same query reuses the measure of the last.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from graphql import DocumentNode, GraphQLSchema

from inset.config import Settings
from inset.graphql.limits import Measure, measure

CACHE_SIZE = 1024


class Measures:
    def __init__(self, *, schema: GraphQLSchema, settings: Settings) -> None:
        self._schema, self._settings = schema, settings
        self._lock = threading.Lock()
        # per query and operation: the variables its measure reads
        self._reads: dict[tuple[str, str | None], frozenset[str]] = {}
        self._measures: dict[tuple[str, str | None, str], Measure] = {}

    def measure(
        self,
        query: str,
        document: DocumentNode,
        *,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> Measure:
        operation = (query, operation_name)
        read = self._reads.get(operation)
        if read is not None:
            found = self._measures.get((*operation, _values(variables, read)))
            if found is not None:
                return found
        measured = measure(
            document,
            schema=self._schema,
            variables=variables,
            operation_name=operation_name,
            settings=self._settings,
        )
        if measured.error is not None:
            return measured  # a refusal may stop the walk early: its reads are not all
        with self._lock:
            if len(self._measures) >= CACHE_SIZE:
                self._measures.clear()
                self._reads.clear()
            self._reads[operation] = measured.variables_read
            key = (*operation, _values(variables, measured.variables_read))
            self._measures[key] = measured
        return measured


def _values(variables: Mapping[str, Any] | None, names: frozenset[str]) -> str:
    """The values of `names` in the request, telling an absent variable from a null one
    and 1 from 1.0, "1" or true (`repr` of JSON's values does)."""
    given = variables or {}
    return repr([(name, name in given, given.get(name)) for name in sorted(names)])
