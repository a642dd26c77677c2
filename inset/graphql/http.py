"""The GraphQL endpoint, by the GraphQL over HTTP specification.

https://graphql.github.io/graphql-over-http/draft/ : POST with a JSON body, GET for
queries only, responses as `application/graphql-response+json` (with its status codes)
to clients that ask for it, otherwise `application/json` (status 200 for any
well-formed request), also when `Accept` is missing or `*/*`. Every response carries
the request id, in the `X-Request-ID` header and in `extensions.requestId`.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import anyio.to_thread
import orjson
import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    StringValueNode,
    get_operation_ast,
    validate,
)
from graphql import OperationType as Operation
from graphql.language import Visitor, visit
from graphql.validation import specified_rules
from sqlalchemy.engine import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.graphql import OperationType

from inset.config import Settings
from inset.economics.stored import basis_of
from inset.errors import AccessDenied, DomainError, Unauthenticated, api_name
from inset.graphql.codes import RequestErrorCode as Code
from inset.graphql.compiled.reads import CompiledReads, read_connection
from inset.graphql.cost import cost_extension, rate_limit_headers, throttled_message
from inset.graphql.document_limits import check_document
from inset.graphql.limits import parse_query
from inset.graphql.measures import Measures
from inset.graphql.pinned import graphql_schema
from inset.graphql.unavailable import is_unavailable
from inset.ratelimit.service import Charge, RateLimiter, credential_key
from inset.text import NUL, unstorable_path

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_BODY_BYTES = 1_000_000
DOCUMENT_CACHE_SIZE = 256
CACHED_QUERY_CHARS = 20_000
RETRY_AFTER_SECONDS = 5
# `\u0000` or `\u{0}` in a GraphQL string literal: the NUL character, written escaped.
_ESCAPED_NUL = re.compile(r"\\u(?:0000|\{0+\})")

logger = logging.getLogger("inset.graphql")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The document the endpoint has checked, for `_UsePreparedDocument` to hand to strawberry.
_PREPARED: ContextVar[DocumentNode | None] = ContextVar("inset_prepared", default=None)
# Passed to strawberry as well, so that no path through it runs a mutation for a GET.
_GET_OPERATIONS = frozenset({OperationType.QUERY})
_POST_OPERATIONS = frozenset({OperationType.QUERY, OperationType.MUTATION})


class _Closable(Protocol):
    # Cookies the resolvers want set (sign-in, sign-out): keyword arguments of
    # starlette's Response.set_cookie.
    response_cookies: list[dict[str, Any]]
    rate_limit: Charge | None  # what this request paid, for the `rateLimit` field
    actor: Any
    session: Any  # the request's database session, which the rate limit charges through

    def close(self) -> None: ...


ContextT = TypeVar("ContextT", bound=_Closable)


class _HTTPError(Exception):
    """A request refused before it is a GraphQL request: it never reaches the schema."""

    def __init__(self, status: int, code: Code, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


@dataclass(frozen=True)
class _Params:
    query: str
    operation_name: str | None
    variables: dict[str, Any] | None
    extensions: dict[str, Any] | None


@dataclass
class _Outcome:
    payload: dict[str, Any]
    status: int | None = None  # fixed whatever the media type: 401, 403, 405...
    headers: dict[str, str] = field(default_factory=dict)
    internal: bool = False  # no data for want of a working server, not of a good request
    cookies: list[dict[str, Any]] = field(default_factory=list)
    raw_data: str | None = None  # `data` as JSON text, from a compiled read


@dataclass
class _Admitted(Generic[ContextT]):
    """A request that may run: checked, measured and signed in."""

    document: DocumentNode
    operation: OperationDefinitionNode
    cost: int  # what it is charged (`inset.graphql.limits.measure`)
    context: ContextT
    headers: dict[str, str] = field(default_factory=dict)  # the rate limit's
    charged: bool = False


@dataclass(frozen=True)
class _Prepared:
    document: DocumentNode | None
    errors: list[GraphQLError]  # parse or validation errors; read-only once cached


class GraphQLEndpoint(Generic[ContextT]):
    """An ASGI app serving one strawberry schema at one path.

    Route it with `Route(path, endpoint)` and no `methods`, so that every method reaches
    it and it answers 405 with the right `Allow` header itself.
    """

    def __init__(
        self,
        *,
        schema: strawberry.Schema,
        context_factory: Callable[[Request, str], ContextT],
        settings: Settings,
        graphiql_html: str | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        # A shallow copy whose first extension feeds strawberry our checked document,
        # so the caller's schema object stays untouched.
        self._schema = copy.copy(schema)
        self._schema.extensions = (_UsePreparedDocument, *schema.extensions)
        self._context_factory = context_factory
        self._settings = settings
        self._graphiql_html = graphiql_html
        self._rate_limiter = rate_limiter
        # Parsing and validating cost about as much as running a small query, and
        # clients send the same few documents again and again.
        self._prepare = functools.lru_cache(maxsize=DOCUMENT_CACHE_SIZE)(self._parse_and_validate)
        self._measures = Measures(schema=graphql_schema(self._schema), settings=settings)
        self._compiled_reads = CompiledReads(
            schema=self._schema, basis=basis_of(settings.optimism_bias)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise TypeError("GraphQLEndpoint serves HTTP requests only")
        request = Request(scope, receive)
        given = request.headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = await self._respond(request, request_id)
        response.headers["X-Request-ID"] = request_id
        await response(scope, receive, send)

    async def _respond(self, request: Request, request_id: str) -> Response:
        accept = request.headers.get("accept", "")
        media = _negotiate(accept)
        try:
            if request.method not in ("GET", "POST"):
                raise _HTTPError(
                    405, Code.METHOD_NOT_ALLOWED, "Use GET or POST.", Allow="GET, POST"
                )
            browsing = request.method == "GET" and "query" not in request.query_params
            if browsing and self._graphiql_html is not None and _accepts(accept, "text/html"):
                return HTMLResponse(self._graphiql_html)
            if media is None:
                raise _HTTPError(406, Code.NOT_ACCEPTABLE, f"Accept {GRAPHQL_RESPONSE} or {JSON}.")
            if request.method == "GET":
                if len(request.query_params.multi_items()) > len(request.query_params):
                    raise _HTTPError(400, Code.BAD_REQUEST, "Each parameter may appear only once.")
                params = _params(request.query_params, from_url=True)
            else:
                params = _params(await _json_body(request), from_url=False)
        except _HTTPError as error:
            outcome = _Outcome(_error_payload(error.message, error.code), error.status)
            outcome.headers.update(error.headers)
            return _encode(outcome, media or JSON, request_id, request)
        # The whole execution runs in a worker thread: resolvers call a sync SQLAlchemy
        # session, which must not block the event loop, while strawberry's DataLoaders
        # need an event loop to batch on, so the thread runs one of its own.
        return await anyio.to_thread.run_sync(self._in_thread, params, request, request_id, media)

    def _in_thread(
        self, params: _Params, request: Request, request_id: str, media: str
    ) -> Response:
        try:
            admitted = self._admit(params, request, request_id)
            if isinstance(admitted, _Outcome):
                return _encode(admitted, media, request_id, request)
            try:
                outcome = (
                    self._compiled(admitted, params, request)
                    or self._charge(admitted, request)
                    # Only what the compiler leaves to the resolvers needs an event loop.
                    or _thread_loop().run_until_complete(
                        self._execute(admitted, params, request, request_id)
                    )
                )
            finally:
                admitted.context.close()
            return _encode(outcome, media, request_id, request)
        except Unauthenticated as error:
            payload = _error_payload(str(error), Code.UNAUTHENTICATED)
            outcome = _Outcome(payload, 401, {"WWW-Authenticate": "Bearer"})
        except AccessDenied as error:
            outcome = _Outcome(_error_payload(str(error), Code.FORBIDDEN), 403)
        except Exception as error:
            if is_unavailable(error):
                return _encode(_unavailable(error, request_id), media, request_id, request)
            logger.exception("request %s failed", request_id, extra={"request_id": request_id})
            outcome = _Outcome({"errors": [_internal_error(request_id)]}, internal=True)
        return _encode(outcome, media, request_id, request)

    def _admit(
        self, params: _Params, request: Request, request_id: str
    ) -> _Outcome | _Admitted[ContextT]:
        """The request checked, measured, signed in and charged; or why it goes no further."""
        # Long documents, which token limits allow through string literals, would make
        # the cache hold megabytes.
        long = len(params.query) > CACHED_QUERY_CHARS
        prepared = (self._parse_and_validate if long else self._prepare)(params.query)
        if prepared.document is None:
            return _Outcome(
                {"errors": [_format(e, Code.GRAPHQL_PARSE_FAILED) for e in prepared.errors]}
            )
        operation = get_operation_ast(prepared.document, params.operation_name)
        get = request.method == "GET"
        if get and operation is not None and operation.operation is not Operation.QUERY:
            message = f"A {operation.operation.value} must be sent with POST."
            return _Outcome(
                _error_payload(message, Code.METHOD_NOT_ALLOWED), 405, {"Allow": "POST"}
            )
        if prepared.errors:
            return _Outcome(
                {"errors": [_format(e, Code.GRAPHQL_VALIDATION_FAILED) for e in prepared.errors]}
            )
        if operation is None or operation.operation is Operation.SUBSCRIPTION:
            if operation is not None:
                message = "Subscriptions are not served over HTTP."
            elif params.operation_name:
                message = f"No operation named '{params.operation_name}' in the document."
            else:
                message = "The document holds several operations: name the one to run."
            return _Outcome(_error_payload(message, Code.OPERATION_RESOLUTION_FAILURE))
        request.state.operation = operation  # for the request log and metrics
        measured = self._measures.measure(
            params.query,
            prepared.document,
            variables=params.variables,
            operation_name=params.operation_name,
        )
        if measured.error is not None:
            return _Outcome({"errors": [measured.error.formatted]})
        # Only a request known to be acceptable gets as far as authentication, the
        # first database work.
        context = self._context_factory(request, request_id)
        return _Admitted(prepared.document, operation, measured.cost, context)

    def _charge(
        self, admitted: _Admitted[ContextT], request: Request, connection: Connection | None = None
    ) -> _Outcome | None:
        """Charges the request to its bucket, once; the refusal when it cannot pay.
        Through `connection` when given, else through the request's session."""
        if self._rate_limiter is None or admitted.charged:
            return None
        admitted.charged = True
        context = admitted.context
        address = request.client.host if request.client else None
        charge = context.rate_limit = self._rate_limiter.charge(
            credential_key(context.actor, address),
            admitted.cost,
            session=context.session,
            connection=connection,
        )
        admitted.headers.update(rate_limit_headers(charge))
        if charge.paid:
            return None
        refusal = _error_payload(throttled_message(charge), Code.THROTTLED)
        refusal["extensions"] = {"cost": cost_extension(charge, admitted.cost, None)}
        headers = {**admitted.headers, "Retry-After": str(charge.retry_after)}
        return _Outcome(refusal, 429, headers)

    def _compiled(
        self, admitted: _Admitted[ContextT], params: _Params, request: Request
    ) -> _Outcome | None:
        """The answer of one statement (inset.graphql.compiled), charged on the statement's
        connection; None when the compiler leaves the query to the resolvers."""
        context = admitted.context
        if not self._settings.fast_reads or admitted.operation.operation is not Operation.QUERY:
            return None
        if context.session is None:
            return None
        engine = context.session.get_bind()
        found = self._compiled_reads.find(
            query=params.query,
            operation_name=params.operation_name,
            variables=params.variables,
            document=admitted.document,
            operation=admitted.operation,
            dialect=engine.dialect,
            actor=context.actor,
        )
        if found is None:
            return None
        context.session.close()  # what the sign-in read is done with
        with read_connection(engine) as connection:
            if (refused := self._charge(admitted, request, connection)) is not None:
                return refused
            raw = self._compiled_reads.run(found, connection)
        if raw is None:
            return None
        cost = cost_extension(context.rate_limit, admitted.cost, _parsed(raw))
        payload = {"data": None, "extensions": {"cost": cost}}
        return _Outcome(payload, None, admitted.headers, raw_data=raw)

    async def _execute(
        self, admitted: _Admitted[ContextT], params: _Params, request: Request, request_id: str
    ) -> _Outcome:
        """The answer of the resolvers: strawberry runs the checked document."""
        context = admitted.context
        token = _PREPARED.set(admitted.document)
        try:
            result = await self._schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=(
                    _GET_OPERATIONS if request.method == "GET" else _POST_OPERATIONS
                ),
                operation_extensions=params.extensions,
            )
        finally:
            _PREPARED.reset(token)
            try:
                await _cancel_leftovers()
            finally:
                context.close()
        payload: dict[str, Any] = {}
        # No data and no error on a field means a request error (variable coercion),
        # for which the specification wants no data entry.
        if result.data is not None or any(e.path is not None for e in result.errors or ()):
            payload["data"] = result.data
        for error in result.errors or ():
            if error.original_error is not None and is_unavailable(error.original_error):
                # Part of an answer would look like missing records: answer nothing.
                return _unavailable(error.original_error, request_id)
        if errors := [_mask(error, request_id) for error in result.errors or ()]:
            payload["errors"] = errors
        payload["extensions"] = {
            **(result.extensions or {}),
            "cost": cost_extension(context.rate_limit, admitted.cost, result.data),
        }
        internal = bool(errors) and all(map(_is_internal, errors))
        return _Outcome(payload, None, admitted.headers, internal, context.response_cookies)

    def _parse_and_validate(self, query: str) -> _Prepared:
        try:
            document = parse_query(
                query,
                max_tokens=self._settings.max_tokens,
                max_selections=self._settings.max_selections,
            )
        except GraphQLError as error:
            return _Prepared(None, [error])
        refused = check_document(
            document,
            max_selections=self._settings.max_selections,
            max_aliases=self._settings.max_aliases,
        ) or _escaped_nul(query, document)
        if refused is not None:
            return _Prepared(None, [refused])
        try:
            errors = validate_document(
                graphql_schema(self._schema), document, tuple(specified_rules)
            )
        except RecursionError:
            message = "The query is nested too deeply to validate."
            errors = [GraphQLError(message, extensions={"code": Code.QUERY_TOO_DEEP})]
        if self._schema.config.disable_field_suggestions:
            for each in errors:
                self._schema.remove_field_suggestion(each)
        return _Prepared(document, errors)


class _UsePreparedDocument(SchemaExtension):
    """Hands strawberry the document the endpoint has parsed, validated and checked."""

    def on_parse(self) -> Iterator[None]:
        if (document := _PREPARED.get()) is not None:
            self.execution_context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and document is _PREPARED.get():
            # Left to check: only the rules that other extensions have added.
            extra = [rule for rule in context.validation_rules if rule not in specified_rules]
            errors = validate(graphql_schema(context.schema), document, extra) if extra else []
            context.pre_execution_errors = errors
        yield


async def _cancel_leftovers() -> None:
    """Cancels whatever the execution left running, before the context closes.

    When a non-null field fails, graphql-core answers without awaiting the sibling
    fields, and a DataLoader batch may still be due. On the thread's reused loop they
    would run during its next request, with this request's closed session.
    """
    for _ in range(10):
        await asyncio.sleep(0)  # let due callbacks run, so the tasks they create show
        leftovers = asyncio.all_tasks() - {asyncio.current_task()}
        if not leftovers:
            return
        for task in leftovers:
            task.cancel()
        await asyncio.gather(*leftovers, return_exceptions=True)


def _thread_loop() -> asyncio.AbstractEventLoop:
    """The worker thread's event loop: made by its first request, reused by the next."""
    owner: _LoopOwner | None = getattr(_threads, "owner", None)
    if owner is None:
        owner = _threads.owner = _LoopOwner()
    return owner.loop


class _LoopOwner:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        # Runs as the thread ends and its locals go; an unclosed loop would leak its
        # selector and warn.
        self.loop.close()


_threads = threading.local()


async def _json_body(request: Request) -> Any:
    media_type, *parameters = request.headers.get("content-type", "").lower().split(";")
    charsets = [p.strip().removeprefix("charset=").strip('"') for p in parameters if "=" in p]
    if media_type.strip() != JSON or any(c != "utf-8" for c in charsets):
        raise _HTTPError(415, Code.UNSUPPORTED_MEDIA_TYPE, f"Send the body as {JSON} in UTF-8.")
    too_large = _HTTPError(413, Code.PAYLOAD_TOO_LARGE, f"The body is over {MAX_BODY_BYTES} bytes.")
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
        raise _HTTPError(400, Code.BAD_REQUEST, "The body is not valid JSON.") from None


def _params(data: Any, *, from_url: bool) -> _Params:
    """The GraphQL-over-HTTP request in a JSON body or a URL; null means absent."""
    if not isinstance(data, Mapping):
        raise _HTTPError(400, Code.BAD_REQUEST, "The body must be a JSON object, not a batch.")
    _storable(dict(data))  # URL parameters come as a read-only mapping
    query, name = data.get("query"), data.get("operationName")
    if not isinstance(query, str):
        raise _HTTPError(400, Code.BAD_REQUEST, "`query` must be a string holding the document.")
    if not isinstance(name, str | None):
        raise _HTTPError(400, Code.BAD_REQUEST, "`operationName` must be a string.")
    maps: list[dict[str, Any] | None] = []
    for key in ("variables", "extensions"):
        value = data.get(key)
        if from_url:
            try:
                value = json.loads(value) if value else None  # "" is absent
            except (ValueError, RecursionError):
                raise _HTTPError(400, Code.BAD_REQUEST, f"`{key}` is not valid JSON.") from None
        if not isinstance(value, dict | None):
            raise _HTTPError(400, Code.BAD_REQUEST, f"`{key}` must be an object.")
        if from_url:
            _storable({key: value})
        maps.append(value or None)
    return _Params(query, name or None, *maps)  # an empty operationName means none


def _storable(data: Any) -> None:
    """Refuses text that no database can store or compare, wherever it is in the request."""
    found = unstorable_path(data)
    if found is not None:
        where, what = found
        raise _HTTPError(
            400, Code.BAD_USER_INPUT, f"`{where}` holds {what}, which Inset cannot store."
        )


def _escaped_nul(query: str, document: DocumentNode) -> GraphQLError | None:
    """A string literal of the document that holds NUL, written as an escape."""
    if not _ESCAPED_NUL.search(query):
        return None  # the common case: one search of the text, no walk of the document
    found: list[StringValueNode] = []

    class _Finder(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            if NUL in node.value:
                found.append(node)

    visit(document, _Finder())
    if not found:
        return None
    return GraphQLError(
        "A string in the query holds the NUL character (U+0000), which Inset cannot store.",
        found[0],
        extensions={"code": Code.BAD_USER_INPUT},
    )


def _unavailable(error: BaseException, request_id: str) -> _Outcome:
    logger.warning(
        "request %s: the database is unavailable: %s",
        request_id,
        str(error).splitlines()[0] if str(error) else type(error).__name__,
        extra={"request_id": request_id},
    )
    message = "The database is not available just now. Try again in a few seconds."
    payload = _error_payload(message, Code.DATABASE_UNAVAILABLE)
    return _Outcome(payload, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _negotiate(accept: str) -> str | None:
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


def _accepts(accept: str, media_type: str) -> bool:
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


def _error_payload(message: str, code: Code) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _format(error: GraphQLError, code: Code) -> dict[str, Any]:
    """A request error, given `code` unless it names its own."""
    formatted = dict(error.formatted)
    if "code" not in (error.extensions or {}):
        formatted["extensions"] = {**(error.extensions or {}), "code": code}
    return formatted


def _mask(error: GraphQLError, request_id: str) -> dict[str, Any]:
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
        return _format(
            error, Code.BAD_USER_INPUT if error.path is None else Code.INTERNAL_SERVER_ERROR
        )
    logger.error(
        "internal error at %s in request %s",
        ".".join(map(str, error.path or ())) or "(request)",
        request_id,
        exc_info=(type(original), original, original.__traceback__),
        extra={"request_id": request_id},
    )
    return {**error.formatted, **_internal_error(request_id)}


def _internal_error(request_id: str) -> dict[str, Any]:
    extensions = {"code": Code.INTERNAL_SERVER_ERROR, "requestId": request_id}
    return {"message": "Internal server error", "extensions": extensions}


def _outcome_label(payload: Mapping[str, Any], status: int | None) -> str:
    """How a request ended, whatever the media type: internal_error, denied (401, 403),
    throttled (429), rejected (no data: a bad request, parse, validation or limit
    error), error (data with errors), user_error (a mutation's userErrors), or ok."""
    errors = payload.get("errors") or []
    if any(map(_is_internal, errors)):
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


def _is_internal(formatted: Mapping[str, Any]) -> bool:
    return bool(formatted.get("extensions", {}).get("code") == Code.INTERNAL_SERVER_ERROR)


def _parsed(text: str) -> Any:
    """JSON text the database wrote, parsed (by orjson, a third faster than json.loads on a
    page of 100) only to count its objects for the cost."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # a number past a double's range, which json reads
        return json.loads(text)


def _json_bytes(payload: Any) -> bytes:
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


def _encode(outcome: _Outcome, media: str, request_id: str, request: Request) -> Response:
    payload = outcome.payload
    request.state.outcome = _outcome_label(payload, outcome.status)  # for the request log
    payload["extensions"] = {**payload.get("extensions", {}), "requestId": request_id}
    # graphql-response+json: no data entry is a 4xx or 5xx; application/json wants 200
    # for every well-formed request, the body alone telling what went wrong.
    status = outcome.status or (
        200 if "data" in payload or media == JSON else 500 if outcome.internal else 400
    )
    body = _json_bytes(payload)
    if outcome.raw_data is not None:  # the database wrote `data`: in it goes, unparsed
        data = outcome.raw_data.encode("utf-8", "backslashreplace")
        body = b'{"data":' + data + body.removeprefix(b'{"data":null')
    response = Response(body, status, outcome.headers, f"{media}; charset=utf-8")
    for cookie in outcome.cookies:
        response.set_cookie(**cookie)
    return response
