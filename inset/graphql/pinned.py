"""What Inset reads of strawberry and graphql-core beyond their public API, in one place.

strawberry keeps the graphql-core schema it builds in a private attribute, `_schema`, and
offers no public accessor; the endpoint validates and measures documents against it, the
compiled reads (inset.graphql.compiled) look fields up in it, and the direct resolvers
(inset.graphql.direct) are installed on its fields. Those direct resolvers also build
strawberry's `Info` and subclass its execution context, and the enum descriptions
(inset.graphql.descriptions) read an enum's strawberry definition.

None of that is promised to survive a release, so pyproject.toml pins both libraries to the
minor versions below, and tests/graphql/test_pinned.py fails when the installed ones differ:
moving to a new minor version is a deliberate act, made with the whole GraphQL test suite.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLSchema

# The minor versions the private parts above were written and tested against.
TESTED_MINOR = {"strawberry-graphql": "0.341", "graphql-core": "3.3"}


def graphql_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema strawberry built for `schema`."""
    return schema._schema
