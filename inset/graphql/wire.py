"""The HTTP side of a GraphQL request: its parameters, its body and the media type to
answer in, by the GraphQL over HTTP specification.

A request refused here (`HTTPError`) never reaches the schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from inset.graphql.codes import RequestErrorCode as Code
from inset.text import unstorable_path

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_BODY_BYTES = 1_000_000


class HTTPError(Exception):
    """A request refused before it is a GraphQL request: it never reaches the schema."""

    def __init__(self, status: int, code: Code, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


@dataclass(frozen=True)
class Params:
    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    extensions: dict[str, Any] | None


async def json_body(request: Request) -> Any:
    media_type, *parameters = request.headers.get("content-type", "").lower().split(";")
    charsets = [p.strip().removeprefix("charset=").strip('"') for p in parameters if "=" in p]
    if media_type.strip() != JSON or any(c != "utf-8" for c in charsets):
        raise HTTPError(415, Code.UNSUPPORTED_MEDIA_TYPE, f"Send the body as {JSON} in UTF-8.")
    too_large = HTTPError(413, Code.PAYLOAD_TOO_LARGE, f"The body is over {MAX_BODY_BYTES} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # ValueError covers UnicodeDecodeError too
        raise HTTPError(400, Code.BAD_REQUEST, "The body is not valid JSON.") from None


def request_params(data: Any, *, from_url: bool) -> Params:
    """The GraphQL-over-HTTP request in a JSON body or a URL; null means absent."""
    if not isinstance(data, Mapping):
        raise HTTPError(400, Code.BAD_REQUEST, "The body must be a JSON object, not a batch.")
    _storable(dict(data))  # URL parameters come as a read-only mapping
    query, name = data.get("query"), data.get("operationName")
    if not isinstance(query, str):
        raise HTTPError(400, Code.BAD_REQUEST, "`query` must be a string holding the document.")
    if not isinstance(name, str | None):
        raise HTTPError(400, Code.BAD_REQUEST, "`operationName` must be a string.")
    maps: list[dict[str, Any] | None] = []
    for key in ("variables", "extensions"):
        value = data.get(key)
        if from_url:
            try:
                value = json.loads(value) if value else None  # "" is absent
            except (ValueError, RecursionError):
                raise HTTPError(400, Code.BAD_REQUEST, f"`{key}` is not valid JSON.") from None
        if not isinstance(value, dict | None):
            raise HTTPError(400, Code.BAD_REQUEST, f"`{key}` must be an object.")
        if from_url:
            _storable({key: value})
        maps.append(value or None)
    return Params(query, name or None, *maps)  # an empty operationName means none


def _storable(data: Any) -> None:
    """Refuses text that no database can store or compare, wherever it is in the request."""
    found = unstorable_path(data)
    if found is not None:
        where, what = found
        raise HTTPError(
            400, Code.BAD_USER_INPUT, f"`{where}` holds {what}, which Inset cannot store."
        )


def negotiate(accept: str) -> str | None:
    """The media type to answer in, by RFC 9110; None when neither is acceptable.

    No Accept header, or only wildcards, means `application/json`, as the specification
    recommends, so that a client written before `application/graphql-response+json`
    keeps the status 200 it expects; a client that names the newer type gets it.
    Between equal weights the more specific range wins, then the earlier:
    `application/json, */*` means `application/json`.
    """
    if not accept.strip():
        return JSON
    ranges = [_media_range(item) for item in accept.split(",")]
    best: tuple[float, int, int, int] = (0.0, 0, 0, 0)
    chosen = None
    # On a tie (wildcards only) the legacy type wins.
    for preference, offered in enumerate((JSON, GRAPHQL_RESPONSE)):
        matches = [
            (specificity, -position, q)
            for position, (media_range, q) in enumerate(ranges)
            if (specificity := _specificity(media_range, offered))
        ]
        if matches:
            specificity, position, q = max(matches)  # the most specific range sets q
            if (key := (q, specificity, position, -preference)) > best and q > 0:
                best, chosen = key, offered
    return chosen


def accepts(accept: str, media_type: str) -> bool:
    return any(r == media_type and q > 0 for r, q in map(_media_range, accept.split(",")))


def _media_range(item: str) -> tuple[str, float]:
    media_range, *parameters = (part.strip().lower() for part in item.split(";"))
    weights = [p.removeprefix("q=") for p in parameters if p.startswith("q=")]
    try:
        return media_range, float(weights[0]) if weights else 1.0
    except ValueError:
        return media_range, 0.0  # a malformed weight: ignore the range rather than guess


def _specificity(media_range: str, offered: str) -> int:
    if media_range == offered:
        return 3
    return 2 if media_range == offered.split("/")[0] + "/*" else int(media_range == "*/*")
