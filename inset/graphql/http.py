"""The GraphQL endpoint, by the GraphQL over HTTP specification.

https://graphql.github.io/graphql-over-http/draft/ : POST with a JSON body, GET for
queries only, responses as `application/graphql-response+json` (with its status codes)
to clients that ask for it, otherwise `application/json` (status 200 for any
well-formed request), also when `Accept` is missing or `*/*`. Every response carries
the request id, in the `X-Request-ID` header and in `extensions.requestId`.
"""

from __future__ import annotations

import copy
import functools
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import anyio.to_thread
import strawberry
from graphql import (
    DocumentNode,
    OperationDefinitionNode,
    get_operation_ast,
)
from graphql import OperationType as Operation
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.types.graphql import OperationType

from inset.config import Settings
from inset.economics.stored import basis_of
from inset.errors import AccessDenied, Unauthenticated
from inset.graphql.codes import RequestErrorCode as Code
from inset.graphql.compiled.reads import (
    CompiledReads,
    Found,
    answer,
    read_connection,
    refused_for_shape,
)
from inset.graphql.cost import cost_extension, rate_limit_headers, throttled_message
from inset.graphql.execution import PREPARED, UsePreparedDocument, cancel_leftovers, thread_loop
from inset.graphql.measures import Measures
from inset.graphql.pinned import graphql_schema
from inset.graphql.prepared import prepare
from inset.graphql.responses import (
    Outcome,
    encode,
    error_payload,
    internal_error,
    is_internal,
    mask,
    parsed,
    request_error,
    unavailable,
)
from inset.graphql.unavailable import is_unavailable
from inset.graphql.wire import (
    GRAPHQL_RESPONSE,
    JSON,
    HTTPError,
    Params,
    accepts,
    json_body,
    negotiate,
    request_params,
)
from inset.ratelimit.service import Charge, RateLimiter, credential_key

DOCUMENT_CACHE_SIZE = 256
CACHED_QUERY_CHARS = 20_000

logger = logging.getLogger("inset.graphql")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
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


@dataclass
class _Admitted(Generic[ContextT]):
    """A request that may run: checked, measured and signed in."""

    document: DocumentNode
    operation: OperationDefinitionNode
    cost: int  # what it is charged (`inset.graphql.limits.measure`)
    context: ContextT
    headers: dict[str, str] = field(default_factory=dict)  # the rate limit's
    charged: bool = False


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
        self._schema.extensions = (UsePreparedDocument, *schema.extensions)
        self._context_factory = context_factory
        self._settings = settings
        self._graphiql_html = graphiql_html
        self._rate_limiter = rate_limiter
        # Parsing and validating cost about as much as running a small query, and
        # clients send the same few documents again and again.
        self._parse_and_validate = functools.partial(
            prepare, schema=self._schema, settings=settings
        )
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
        media = negotiate(accept)
        try:
            if request.method not in ("GET", "POST"):
                raise HTTPError(405, Code.METHOD_NOT_ALLOWED, "Use GET or POST.", Allow="GET, POST")
            browsing = request.method == "GET" and "query" not in request.query_params
            if browsing and self._graphiql_html is not None and accepts(accept, "text/html"):
                return HTMLResponse(self._graphiql_html)
            if media is None:
                raise HTTPError(406, Code.NOT_ACCEPTABLE, f"Accept {GRAPHQL_RESPONSE} or {JSON}.")
            if request.method == "GET":
                if len(request.query_params.multi_items()) > len(request.query_params):
                    raise HTTPError(400, Code.BAD_REQUEST, "Each parameter may appear only once.")
                params = request_params(request.query_params, from_url=True)
            else:
                params = request_params(await json_body(request), from_url=False)
        except HTTPError as error:
            outcome = Outcome(error_payload(error.message, error.code), error.status)
            outcome.headers.update(error.headers)
            return encode(outcome, media or JSON, request_id, request)
        # The whole execution runs in a worker thread: resolvers call a sync SQLAlchemy
        # session, which must not block the event loop, while strawberry's DataLoaders
        # need an event loop to batch on, so the thread runs one of its own.
        return await anyio.to_thread.run_sync(self._in_thread, params, request, request_id, media)

    def _in_thread(self, params: Params, request: Request, request_id: str, media: str) -> Response:
        try:
            admitted = self._admit(params, request, request_id)
            if isinstance(admitted, Outcome):
                return encode(admitted, media, request_id, request)
            try:
                outcome = (
                    self._compiled(admitted, params, request)
                    or self._charge(admitted, request)
                    # Only what the compiler leaves to the resolvers needs an event loop.
                    or thread_loop().run_until_complete(
                        self._execute(admitted, params, request, request_id)
                    )
                )
            finally:
                admitted.context.close()
            return encode(outcome, media, request_id, request)
        except Unauthenticated as error:
            payload = error_payload(str(error), Code.UNAUTHENTICATED)
            outcome = Outcome(payload, 401, {"WWW-Authenticate": "Bearer"})
        except AccessDenied as error:
            outcome = Outcome(error_payload(str(error), Code.FORBIDDEN), 403)
        except Exception as error:
            if is_unavailable(error):
                return encode(unavailable(error, request_id), media, request_id, request)
            logger.exception("request %s failed", request_id, extra={"request_id": request_id})
            outcome = Outcome({"errors": [internal_error(request_id)]}, internal=True)
        return encode(outcome, media, request_id, request)

    def _admit(
        self, params: Params, request: Request, request_id: str
    ) -> Outcome | _Admitted[ContextT]:
        """The request checked, measured, signed in and charged; or why it goes no further."""
        # Long documents, which token limits allow through string literals, would make
        # the cache hold megabytes.
        long = len(params.query) > CACHED_QUERY_CHARS
        prepared = (self._parse_and_validate if long else self._prepare)(params.query)
        if prepared.document is None:
            return Outcome(
                {"errors": [request_error(e, Code.GRAPHQL_PARSE_FAILED) for e in prepared.errors]}
            )
        operation = get_operation_ast(prepared.document, params.operation_name)
        get = request.method == "GET"
        if get and operation is not None and operation.operation is not Operation.QUERY:
            message = f"A {operation.operation.value} must be sent with POST."
            return Outcome(error_payload(message, Code.METHOD_NOT_ALLOWED), 405, {"Allow": "POST"})
        if prepared.errors:
            return Outcome(
                {
                    "errors": [
                        request_error(e, Code.GRAPHQL_VALIDATION_FAILED) for e in prepared.errors
                    ]
                }
            )
        if operation is None or operation.operation is Operation.SUBSCRIPTION:
            if operation is not None:
                message = "Subscriptions are not served over HTTP."
            elif params.operation_name:
                message = f"No operation named '{params.operation_name}' in the document."
            else:
                message = "The document holds several operations: name the one to run."
            return Outcome(error_payload(message, Code.OPERATION_RESOLUTION_FAILURE))
        request.state.operation = operation  # for the request log and metrics
        measured = self._measures.measure(
            params.query,
            prepared.document,
            variables=params.variables,
            operation_name=params.operation_name,
        )
        if measured.error is not None:
            return Outcome({"errors": [measured.error.formatted]})
        # Only a request known to be acceptable gets as far as authentication, the
        # first database work.
        context = self._context_factory(request, request_id)
        return _Admitted(prepared.document, operation, measured.cost, context)

    def _charge(
        self, admitted: _Admitted[ContextT], request: Request, connection: Connection | None = None
    ) -> Outcome | None:
        """Charges the request to its bucket, once; the refusal when it cannot pay.
        Through `connection` when given, else through the request's session."""
        if self._rate_limiter is None or admitted.charged:
            return None
        charge = self._rate_limiter.charge(
            self._bucket(admitted, request),
            admitted.cost,
            session=admitted.context.session,
            connection=connection,
        )
        return self._settle(admitted, charge)

    def _charged_read(
        self, admitted: _Admitted[ContextT], request: Request, found: Found, connection: Connection
    ) -> tuple[Outcome | None, str | None] | None:
        """The charge and the compiled read in one statement (PostgreSQL): the refusal or
        the read's answer; None when they go one after the other."""
        named = found.named()
        if self._rate_limiter is None or admitted.charged or named is None:
            return None
        try:
            done = self._rate_limiter.charge_then(
                self._bucket(admitted, request),
                admitted.cost,
                connection=connection,
                sql=named[0],
                params=named[1],
            )
        except DBAPIError as error:
            if refused_for_shape(error):
                return None  # nothing was charged: the statement failed whole
            raise
        if done is None:
            return None
        charge, value = done
        return self._settle(admitted, charge), answer(value)

    def _bucket(self, admitted: _Admitted[ContextT], request: Request) -> str:
        address = request.client.host if request.client else None
        return credential_key(admitted.context.actor, address)

    def _settle(self, admitted: _Admitted[ContextT], charge: Charge) -> Outcome | None:
        admitted.charged = True
        admitted.context.rate_limit = charge
        admitted.headers.update(rate_limit_headers(charge))
        if charge.paid:
            return None
        refusal = error_payload(throttled_message(charge), Code.THROTTLED)
        refusal["extensions"] = {"cost": cost_extension(charge, admitted.cost, None)}
        headers = {**admitted.headers, "Retry-After": str(charge.retry_after)}
        return Outcome(refusal, 429, headers)

    def _compiled(
        self, admitted: _Admitted[ContextT], params: Params, request: Request
    ) -> Outcome | None:
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
            together = self._charged_read(admitted, request, found, connection)
            if together is not None:
                refused, raw = together
            else:
                refused = self._charge(admitted, request, connection)
                raw = None if refused else self._compiled_reads.run(found, connection)
        if refused is not None:
            return refused
        if raw is None:
            return None
        cost = cost_extension(context.rate_limit, admitted.cost, parsed(raw))
        payload = {"data": None, "extensions": {"cost": cost}}
        return Outcome(payload, None, admitted.headers, raw_data=raw)

    async def _execute(
        self, admitted: _Admitted[ContextT], params: Params, request: Request, request_id: str
    ) -> Outcome:
        """The answer of the resolvers: strawberry runs the checked document."""
        context = admitted.context
        token = PREPARED.set(admitted.document)
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
            PREPARED.reset(token)
            try:
                await cancel_leftovers()
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
                return unavailable(error.original_error, request_id)
        if errors := [mask(error, request_id) for error in result.errors or ()]:
            payload["errors"] = errors
        payload["extensions"] = {
            **(result.extensions or {}),
            "cost": cost_extension(context.rate_limit, admitted.cost, result.data),
        }
        internal = bool(errors) and all(map(is_internal, errors))
        return Outcome(payload, None, admitted.headers, internal, context.response_cookies)
