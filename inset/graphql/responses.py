"""What the endpoint answers: the payload, its status by the media type, and errors as
the client sees them (internal ones masked and logged)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from inset.errors import AccessDenied, DomainError, Unauthenticated, api_name
from inset.graphql.codes import RequestErrorCode as Code
from inset.graphql.wire import JSON

RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("inset.graphql")


@dataclass
class Outcome:
    payload: dict[str, Any]
    status: int | None = None  # fixed whatever the media type: 401, 403, 405...
    headers: dict[str, str] = field(default_factory=dict)
    internal: bool = False  # no data for want of a working server, not of a good request
    cookies: list[dict[str, Any]] = field(default_factory=list)
    raw_data: str | None = None  # `data` as JSON text, from a compiled read


def unavailable(error: BaseException, request_id: str) -> Outcome:
    logger.warning(
        "request %s: the database is unavailable: %s",
        request_id,
        str(error).splitlines()[0] if str(error) else type(error).__name__,
        extra={"request_id": request_id},
    )
    message = "The database is not available just now. Try again in a few seconds."
    payload = error_payload(message, Code.DATABASE_UNAVAILABLE)
    return Outcome(payload, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def error_payload(message: str, code: Code) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def request_error(error: GraphQLError, code: Code) -> dict[str, Any]:
    """A request error, given `code` unless it names its own."""
    formatted = dict(error.formatted)
    if "code" not in (error.extensions or {}):
        formatted["extensions"] = {**(error.extensions or {}), "code": code}
    return formatted


def mask(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """An execution error as the client sees it: internal ones masked and logged."""
    original = error.original_error
    if isinstance(original, Unauthenticated | AccessDenied):
        code = Code.UNAUTHENTICATED if isinstance(original, Unauthenticated) else Code.FORBIDDEN
        return {**error.formatted, "message": str(original), "extensions": {"code": code}}
    if isinstance(original, DomainError):
        # A bad argument to a query (a page size, a cursor): the client's to fix.
        extensions: dict[str, Any] = {"code": str(original.code)}
        if original.field:
            extensions["field"] = [api_name(part) for part in original.field]
        return {**error.formatted, "message": original.message, "extensions": extensions}
    if original is None or isinstance(original, GraphQLError):
        # Without a path it is a request error, from coercing the variables; with one,
        # a field's own coded error, or graphql-core's (a null where none is allowed),
        # which is a fault of the server's.
        return request_error(
            error, Code.BAD_USER_INPUT if error.path is None else Code.INTERNAL_SERVER_ERROR
        )
    logger.error(
        "internal error at %s in request %s",
        ".".join(map(str, error.path or ())) or "(request)",
        request_id,
        exc_info=(type(original), original, original.__traceback__),
        extra={"request_id": request_id},
    )
    return {**error.formatted, **internal_error(request_id)}


def internal_error(request_id: str) -> dict[str, Any]:
    extensions = {"code": Code.INTERNAL_SERVER_ERROR, "requestId": request_id}
    return {"message": "Internal server error", "extensions": extensions}


def outcome_label(payload: Mapping[str, Any], status: int | None) -> str:
    """How a request ended, whatever the media type: internal_error, denied (401, 403),
    throttled (429), rejected (no data: a bad request, parse, validation or limit
    error), error (data with errors), user_error (a mutation's userErrors), or ok."""
    errors = payload.get("errors") or []
    if any(map(is_internal, errors)):
        return "internal_error"
    if status in (401, 403):
        return "denied"
    if status == 429:
        return "throttled"
    if "data" not in payload:
        return "rejected"
    if errors:
        return "error"
    data = payload["data"] or {}
    if any(isinstance(v, Mapping) and v.get("userErrors") for v in data.values()):
        return "user_error"
    return "ok"


def is_internal(formatted: Mapping[str, Any]) -> bool:
    return bool(formatted.get("extensions", {}).get("code") == Code.INTERNAL_SERVER_ERROR)


def parsed(text: str) -> Any:
    """JSON text the database wrote, parsed (by orjson, a third faster than json.loads on a
    page of 100) only to count its objects for the cost."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # a number past a double's range, which json reads
        return json.loads(text)


def json_bytes(payload: Any) -> bytes:
    """Compact UTF-8 JSON, as `json.dumps(..., ensure_ascii=False)` writes it (the same
    escapes, keys and strings; a float may be written in another, equal form), by orjson
    for speed."""
    try:
        # Dates and dataclasses are refused as json.dumps refuses them, not written.
        return orjson.dumps(payload, option=_ORJSON_REFUSALS)
    except orjson.JSONEncodeError:
        # A lone surrogate that slipped into a message goes out escaped, not as a crash;
        # an integer beyond 64 bits is written whole. Anything else raises as before.
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8", "backslashreplace")


_ORJSON_REFUSALS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def encode(outcome: Outcome, media: str, request_id: str, request: Request) -> Response:
    payload = outcome.payload
    request.state.outcome = outcome_label(payload, outcome.status)  # for the request log
    payload["extensions"] = {**payload.get("extensions", {}), "requestId": request_id}
    # graphql-response+json: no data entry is a 4xx or 5xx; application/json wants 200
    # for every well-formed request, the body alone telling what went wrong.
    status = outcome.status or (
        200 if "data" in payload or media == JSON else 500 if outcome.internal else 400
    )
    body = json_bytes(payload)
    if outcome.raw_data is not None:  # the database wrote `data`: in it goes, unparsed
        data = outcome.raw_data.encode("utf-8", "backslashreplace")
        body = b'{"data":' + data + body.removeprefix(b'{"data":null')
    response = Response(body, status, outcome.headers, f"{media}; charset=utf-8")
    for cookie in outcome.cookies:
        response.set_cookie(**cookie)
    return response
