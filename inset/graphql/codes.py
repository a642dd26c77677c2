"""The `extensions.code` of every GraphQL error outside `userErrors`: one registry.

Every place that answers with such an error takes its code from `RequestErrorCode`, so
this list is the whole contract; the schema publishes it as the `GraphQLErrorCode` enum
and the README's "Errors" section explains each (a test keeps the three the same).

A query's argument that a service refuses (a cursor from another list, a page size out of
range) is the one exception: its code is the service's `UserErrorCode` (INVALID, NOT_FOUND,
FORBIDDEN...) with `extensions.field` naming the argument, as a mutation's user error would.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inset.graphql.descriptions import described_enum


class RequestErrorCode(StrEnum):
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    TOO_MANY_SELECTIONS = "TOO_MANY_SELECTIONS"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    PAGE_SIZE = "PAGE_SIZE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    THROTTLED = "THROTTLED"
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


@dataclass(frozen=True)
class Explanation:
    status: str  # the HTTP status, by media type where they differ
    meaning: str
    action: str  # what the client should do


# Status of a request error: application/json answers 200 for any well-formed request;
# application/graphql-response+json answers 400 when there is no data.
_NO_DATA = "200 (application/json) or 400 (application/graphql-response+json)"

CODES: dict[RequestErrorCode, Explanation] = {
    RequestErrorCode.BAD_REQUEST: Explanation(
        "400",
        "The HTTP request is not a GraphQL request: the body is not JSON, not an object, "
        "`query` is not a string, a URL parameter appears twice.",
        "Fix the client; sending it again will not help.",
    ),
    RequestErrorCode.METHOD_NOT_ALLOWED: Explanation(
        "405, with `Allow`",
        "Neither GET nor POST, or a mutation sent with GET.",
        "Send mutations with POST.",
    ),
    RequestErrorCode.NOT_ACCEPTABLE: Explanation(
        "406",
        "`Accept` names neither application/graphql-response+json nor application/json.",
        "Accept one of them (or send no `Accept`).",
    ),
    RequestErrorCode.UNSUPPORTED_MEDIA_TYPE: Explanation(
        "415",
        "A POST body that is not application/json in UTF-8.",
        "Send `Content-Type: application/json`.",
    ),
    RequestErrorCode.PAYLOAD_TOO_LARGE: Explanation(
        "413",
        "The body is over 1,000,000 bytes.",
        "Send less in one request (fewer or smaller variables).",
    ),
    RequestErrorCode.BAD_USER_INPUT: Explanation(
        "400 for text Inset cannot store (NUL, a lone surrogate); otherwise " + _NO_DATA,
        "A variable does not fit its type (the message names it and why), text holds a "
        "character no database can store, or an argument is out of bounds "
        "(`filter.externalIds` over 100 keys).",
        "Fix the value named in the message; sending it again will not help.",
    ),
    RequestErrorCode.GRAPHQL_PARSE_FAILED: Explanation(
        _NO_DATA,
        "The document is not valid GraphQL syntax.",
        "Fix the document; `locations` points at the problem.",
    ),
    RequestErrorCode.GRAPHQL_VALIDATION_FAILED: Explanation(
        _NO_DATA,
        "The document does not fit the schema: an unknown field or argument, a wrong "
        "literal, a missing required argument.",
        "Check it against schema.graphql; regenerate a generated client.",
    ),
    RequestErrorCode.OPERATION_RESOLUTION_FAILURE: Explanation(
        _NO_DATA,
        "No operation to run: `operationName` names none in the document, several are "
        "given without a name, or it is a subscription.",
        "Send `operationName`, or one operation a document.",
    ),
    RequestErrorCode.TOO_MANY_TOKENS: Explanation(
        _NO_DATA,
        "The document has more than 3,000 tokens.",
        "Ask for less in one query; split it.",
    ),
    RequestErrorCode.TOO_MANY_SELECTIONS: Explanation(
        _NO_DATA,
        "More than 500 fields, fragment spreads and inline fragments, or more than 5 "
        "fields of one name where fields merge.",
        "Ask for each field once; split the query.",
    ),
    RequestErrorCode.TOO_MANY_ALIASES: Explanation(
        _NO_DATA,
        "More than 30 aliases.",
        "Use fewer aliases; `nodes(ids:)` fetches many records at once.",
    ),
    RequestErrorCode.QUERY_TOO_DEEP: Explanation(
        _NO_DATA,
        "The query is nested more than 12 levels deep.",
        "Nest less; fetch deeper records with a second query.",
    ),
    RequestErrorCode.QUERY_TOO_LARGE: Explanation(
        _NO_DATA,
        "The query could return more than 20,000 nodes (pages multiplied through their "
        "nesting, aggregates by their weight).",
        "Ask for smaller pages, fewer nested lists, one portfolio at a time.",
    ),
    RequestErrorCode.PAGE_SIZE: Explanation(
        _NO_DATA + "; 200 with data when `nodes(ids:)` is given over 100 ids",
        "`first` or `last` outside 1..100, or `nodes(ids:)` with more than 100 ids.",
        "Ask for at most 100 at a time and page with the cursors.",
    ),
    RequestErrorCode.UNAUTHENTICATED: Explanation(
        "401, with `WWW-Authenticate: Bearer`",
        "The API token is not valid, was revoked, has expired, or its account or "
        "integration is closed.",
        "Do not retry with the same token: get a new one.",
    ),
    RequestErrorCode.FORBIDDEN: Explanation(
        "403 when the whole request is refused (a web session's request from another "
        "site); 200 with data when one field is (the field is null)",
        "You may not do this: the audit log without the role, a signed-in request from "
        "another site.",
        "Do not retry; ask someone with the right role.",
    ),
    RequestErrorCode.THROTTLED: Explanation(
        "429, with `Retry-After`",
        "The credential's rate-limit bucket cannot pay for this request's cost; nothing "
        "ran and nothing was charged.",
        "Wait `Retry-After` seconds and send the same request again; ask for smaller "
        "pages to spend less.",
    ),
    RequestErrorCode.DATABASE_UNAVAILABLE: Explanation(
        "503, with `Retry-After`",
        "The database cannot be reached just now; nothing was done.",
        "Wait `Retry-After` seconds and send the same request again (a mutation with "
        "its `idempotencyKey`).",
    ),
    RequestErrorCode.INTERNAL_SERVER_ERROR: Explanation(
        "200 with data when one field failed; otherwise 200 (application/json) or 500 "
        "(application/graphql-response+json)",
        "A fault in Inset; the message is masked and `extensions.requestId` names the "
        "request in the server's log.",
        "Report the requestId. A mutation may be sent again with its `idempotencyKey`.",
    ),
}

described_enum(
    RequestErrorCode,
    "The `extensions.code` of an error in the response's `errors` list, outside any "
    "payload's `userErrors`. A query's argument refused by the service (a cursor from "
    "another list) carries a UserErrorCode instead, with `extensions.field`. No field "
    "returns this enum; it lists the contract for clients to type it.",
    {
        code: f"{e.meaning} HTTP status: {e.status}. What to do: {e.action}"
        for code, e in CODES.items()
    },
    name="GraphQLErrorCode",
)
