"""What Inset reads of strawberry and graphql-core beyond their public API, in one place.

strawberry keeps the graphql-core schema it builds in a private attribute, `_schema`, and
offers no public accessor; the endpoint validates and measures documents against it, the
compiled reads (inset.graphql.compiled) look fields up in it, and the direct resolvers
(inset.graphql.direct) are installed on its fields. Beyond that:

- the direct resolvers subclass strawberry's execution context, build its `Info` from its
  private fields, mark a default resolver as strawberry does, and read its field
  definitions' resolver details;
- the compiled reads convert arguments with strawberry's own `convert_arguments` and
  scalar registry, so they receive what a resolver would;
- the endpoint validates with strawberry's `validate_document` (its extra rules included);
- the enum descriptions (inset.graphql.descriptions) read `__strawberry_definition__`.

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
