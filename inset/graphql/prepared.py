"""A query's document, parsed, checked against the document limits and validated: what the
endpoint keeps per query text, since clients send the same few documents again and again."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from graphql import DocumentNode, GraphQLError
from graphql.validation import specified_rules
from strawberry.schema.schema import validate_document

from inset.config import Settings
from inset.graphql.codes import RequestErrorCode as Code
from inset.graphql.document_limits import check_document, escaped_nul, parse_query
from inset.graphql.pinned import graphql_schema


@dataclass(frozen=True)
class Prepared:
    document: DocumentNode | None
    errors: list[GraphQLError]  # parse or validation errors; read-only once cached


def prepare(query: str, *, schema: strawberry.Schema, settings: Settings) -> Prepared:
    try:
        document = parse_query(
            query, max_tokens=settings.max_tokens, max_selections=settings.max_selections
        )
    except GraphQLError as error:
        return Prepared(None, [error])
    refused = check_document(
        document, max_selections=settings.max_selections, max_aliases=settings.max_aliases
    ) or escaped_nul(query, document)
    if refused is not None:
        return Prepared(None, [refused])
    try:
        errors = validate_document(graphql_schema(schema), document, tuple(specified_rules))
    except RecursionError:
        message = "The query is nested too deeply to validate."
        errors = [GraphQLError(message, extensions={"code": Code.QUERY_TOO_DEEP})]
    if schema.config.disable_field_suggestions:
        for each in errors:
            schema.remove_field_suggestion(each)
    return Prepared(document, errors)
