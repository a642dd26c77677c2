"""The GraphQL endpoint over HTTP: media types, status codes, errors, threads, request ids."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import strawberry
import uvicorn
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from inset.access import ANONYMOUS, Actor
from inset.config import Settings
from inset.errors import AccessDenied, Unauthenticated
from inset.graphql.document_limits import parse_query
from inset.graphql.http import GraphQLEndpoint
from inset.ratelimit.service import Charge

GRAPHQL_RESPONSE = "application/graphql-response+json; charset=utf-8"
JSON = "application/json; charset=utf-8"
GRAPHIQL = "<!doctype html><title>GraphiQL</title>"

HELLO = "{ hello }"
ITEMS = "query Items($first: Int) { items(first: $first) { totalCount nodes { id } } }"
BUMP = "mutation { bump }"
BOOM = "{ hello boom }"
REQUIRED_BOOM = "{ requiredBoom }"
TWO_OPERATIONS = "query A { hello } query B { hello }"
DOUBLED_THEN_BOOM = "{ doubled(n: 1) requiredBoom }"
BOOM_THEN_DOUBLED = "{ requiredBoom doubled(n: 1) }"

RAN: list[str] = []
CONTEXTS: list[ToyContext] = []
LATE: list[list[int]] = []  # batches loaded after their request's context closed


@dataclass
class ToyContext:
    request_id: str
    loader: DataLoader[int, int]
    closed: bool = False
    batches: list[list[int]] = field(default_factory=list)
    response_cookies: list[dict[str, object]] = field(default_factory=list)
    rate_limit: Charge | None = None
    actor: Actor = ANONYMOUS
    session: None = None

    def close(self) -> None:
        self.closed = True


@strawberry.type
class Item:
    id: int


@strawberry.type
class ItemConnection:
    nodes: list[Item]
    total_count: int


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        RAN.append("hello")
        return "world"

    @strawberry.field
    def items(self, first: int | None = None) -> ItemConnection:
        RAN.append("items")
        size = first or 20
        return ItemConnection(nodes=[Item(id=i) for i in range(size)], total_count=size)

    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError("SELECT password FROM accounts -- secret")

    @strawberry.field
    def required_boom(self) -> str:
        raise RuntimeError("secret")

    @strawberry.field
    def owners_only(self) -> str | None:
        raise GraphQLError("Only owners may see this.", extensions={"code": "FORBIDDEN"})

    @strawberry.field
    def sign_in_first(self) -> str | None:
        raise Unauthenticated("Sign in to see this.")

    @strawberry.field
    def not_yours(self) -> str | None:
        raise AccessDenied("This belongs to another organisation.")

    @strawberry.field
    def slow(self) -> str:
        time.sleep(0.2)
        return "done"

    @strawberry.field
    def where(self) -> str:
        return f"{threading.get_ident()}:{id(asyncio.get_running_loop())}"

    @strawberry.field
    async def doubled(self, info: Info[ToyContext, None], n: int) -> int:
        return await info.context.loader.load(n)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def bump(self) -> int:
        RAN.append("bump")
        return 1


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation)


def make_context(request: Request, request_id: str) -> ToyContext:
    token = request.headers.get("authorization", "")
    if token == "Bearer expired":
        raise Unauthenticated("The token has expired.")
    if token == "Bearer suspended":
        raise AccessDenied("The account is suspended.")

    async def double(keys: list[int]) -> list[int]:
        (LATE if context.closed else context.batches).append(keys)
        return [k * 2 for k in keys]

    context = ToyContext(request_id, DataLoader(load_fn=double))
    CONTEXTS.append(context)
    return context


def make_app(graphiql_html: str | None = None) -> Starlette:
    endpoint = GraphQLEndpoint(
        schema=SCHEMA,
        context_factory=make_context,
        settings=Settings(max_page_size=50),
        graphiql_html=graphiql_html,
    )
    return Starlette(routes=[Route("/graphql", endpoint=endpoint)])


@pytest.fixture(autouse=True)
def _every_context_is_closed() -> Iterator[None]:
    RAN.clear()
    CONTEXTS.clear()
    LATE.clear()
    yield
    assert all(context.closed for context in CONTEXTS)
    assert LATE == []


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(GRAPHIQL))
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield client


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    accept: str | None = "application/graphql-response+json",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"query": query, "variables": variables}
    request = client.build_request("POST", "/graphql", json=body, headers=headers)
    if accept is None:
        del request.headers["accept"]
    else:
        request.headers["accept"] = accept
    return await client.send(request)


async def post_raw(client: httpx.AsyncClient, body: bytes, content_type: str) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    return await client.post("/graphql", content=body, headers=headers)


# Media types and status codes


async def test_a_query_answers_200_as_graphql_response_json(client: httpx.AsyncClient) -> None:
    response = await post(client, HELLO)
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"hello": "world"}


@pytest.mark.parametrize("accept", [None, "*/*", "application/*"])
async def test_no_accept_or_a_wildcard_means_plain_json_as_legacy_clients_expect(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    response = await post(client, HELLO, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert response.json()["data"] == {"hello": "world"}


@pytest.mark.parametrize("accept", [None, "*/*"])
async def test_without_accept_a_request_error_is_200_in_plain_json(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    response = await post(client, "{ nosuchfield }", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert RAN == []


@pytest.mark.parametrize(
    "accept", ["application/graphql-response+json", "application/graphql-response+json, */*"]
)
async def test_a_client_naming_graphql_response_json_gets_it_with_its_status_codes(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await post(client, "{ nosuchfield }", accept=accept)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", JSON),
        ("application/json, */*;q=0.8", JSON),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0, application/json", JSON),
        ("application/graphql-response+json; charset=utf-8, application/json", GRAPHQL_RESPONSE),
    ],
)
async def test_the_highest_weighted_acceptable_media_type_is_chosen(
    client: httpx.AsyncClient, accept: str, expected: str
) -> None:
    response = await post(client, HELLO, accept=accept)
    assert response.headers["content-type"] == expected


async def test_a_response_is_compact_json_in_utf8(client: httpx.AsyncClient) -> None:
    response = await post(client, HELLO, headers={"x-request-id": "r1"})
    assert response.content == (
        b'{"data":{"hello":"world"},"extensions":{"cost":'
        b'{"requestedQueryCost":1,"actualQueryCost":1},"requestId":"r1"}}'
    )


async def test_a_client_accepting_neither_json_type_gets_406(client: httpx.AsyncClient) -> None:
    response = await post(client, HELLO, accept="text/html")
    assert response.status_code == 406
    assert RAN == []


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ hello", None, "GRAPHQL_PARSE_FAILED"),
        ("{ nosuchfield }", None, "GRAPHQL_VALIDATION_FAILED"),
        (TWO_OPERATIONS, None, "OPERATION_RESOLUTION_FAILURE"),
        ("query($n: Int!) { items(first: $n) { totalCount } }", {"n": "many"}, "BAD_USER_INPUT"),
    ],
    ids=["parse", "validation", "operation", "variables"],
)
async def test_a_request_error_is_400_without_data_as_graphql_response_json(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    response = await post(client, query, variables)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    assert RAN == []


async def test_a_request_error_is_200_without_data_as_application_json(
    client: httpx.AsyncClient,
) -> None:
    response = await post(client, "{ nosuchfield }", accept="application/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    assert "data" not in response.json()


async def test_an_unknown_operation_name_is_a_request_error(client: httpx.AsyncClient) -> None:
    request = {"query": TWO_OPERATIONS, "operationName": "C"}
    response = await client.post("/graphql", json=request, headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    assert "No operation named 'C'" in response.json()["errors"][0]["message"]


async def test_the_named_operation_of_several_runs(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": TWO_OPERATIONS, "operationName": "B"})
    assert response.json()["data"] == {"hello": "world"}


async def test_a_field_error_keeps_the_data_and_status_200(client: httpx.AsyncClient) -> None:
    response = await post(client, BOOM)
    assert response.status_code == 200
    assert response.json()["data"] == {"hello": "world", "boom": None}


async def test_null_data_from_a_failed_non_null_root_field_is_still_200(
    client: httpx.AsyncClient,
) -> None:
    response = await post(client, REQUIRED_BOOM)
    assert response.status_code == 200
    body = response.json()
    assert "data" in body
    assert body["data"] is None


# Requests that are not GraphQL-over-HTTP requests


@pytest.mark.parametrize(
    "content_type",
    [
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=latin-1",
        "application/json; boundary=x; charset=utf-16",
    ],
)
async def test_a_post_not_in_json_is_415(client: httpx.AsyncClient, content_type: str) -> None:
    response = await post_raw(client, json.dumps({"query": HELLO}).encode(), content_type)
    assert response.status_code == 415
    assert RAN == []


async def test_json_with_a_charset_of_utf8_is_accepted(client: httpx.AsyncClient) -> None:
    body = json.dumps({"query": HELLO}).encode()
    response = await post_raw(client, body, "application/json; charset=UTF-8")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"NONSENSE",
        b'{"query":',
        b"\xff\xfe",
        b'[{"query": "{ hello }"}]',
        b'{"qeury": "{ hello }"}',
        b'{"query": 7}',
        b'{"query": null}',
        b'{"query": "{ hello }", "variables": [7]}',
        b'{"query": "{ hello }", "variables": []}',
        b'{"query": "{ hello }", "operationName": false}',
        b'{"query": "{ hello }", "extensions": "x"}',
        b'{"query": "{ hello }", "operationName": 3}',
    ],
)
@pytest.mark.parametrize("accept", ["application/graphql-response+json", "application/json"])
async def test_a_body_that_is_not_a_graphql_request_is_400(
    client: httpx.AsyncClient, body: bytes, accept: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert RAN == []


async def test_null_optional_parameters_mean_absent(client: httpx.AsyncClient) -> None:
    request = {"query": HELLO, "operationName": None, "variables": None, "extensions": None}
    response = await client.post("/graphql", json=request)
    assert response.status_code == 200


async def test_a_body_over_the_size_limit_is_413(client: httpx.AsyncClient) -> None:
    padding = " " * 1_000_001
    response = await post_raw(client, f'{{"query": "{padding}"}}'.encode(), "application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
async def test_other_methods_are_405_allowing_get_and_post(
    client: httpx.AsyncClient, method: str
) -> None:
    response = await client.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


# GET


async def test_a_query_runs_over_get(client: httpx.AsyncClient) -> None:
    params = {"query": ITEMS, "variables": json.dumps({"first": 2}), "operationName": "Items"}
    response = await client.get("/graphql", params=params)
    assert response.status_code == 200
    assert response.json()["data"]["items"]["totalCount"] == 2


async def test_an_empty_operation_name_over_get_means_none(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": HELLO, "operationName": ""})
    assert response.json()["data"] == {"hello": "world"}


async def test_a_mutation_over_get_is_405_allowing_post_and_does_not_run(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/graphql", params={"query": BUMP})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert RAN == []
    assert CONTEXTS == []


async def test_a_mutation_over_post_runs(client: httpx.AsyncClient) -> None:
    response = await post(client, BUMP)
    assert response.json()["data"] == {"bump": 1}
    assert RAN == ["bump"]


@pytest.mark.parametrize(
    "params",
    [
        {"query": HELLO, "variables": "{not json"},
        {"query": HELLO, "variables": "[1]"},
        {"query": HELLO, "extensions": "7"},
        {"variables": "{}"},
        [("query", HELLO), ("query", "{ items { totalCount } }")],
    ],
    ids=["bad-json", "list-variables", "number-extensions", "no-query", "repeated"],
)
async def test_get_parameters_that_are_not_a_graphql_request_are_400(
    client: httpx.AsyncClient, params: Any
) -> None:
    response = await client.get("/graphql", params=params)
    assert response.status_code == 400
    assert RAN == []


async def test_a_browser_without_a_query_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == GRAPHIQL


async def test_a_browser_with_a_query_gets_json(client: httpx.AsyncClient) -> None:
    headers = {"accept": "text/html,*/*;q=0.8"}
    response = await client.get("/graphql", params={"query": HELLO}, headers=headers)
    assert response.headers["content-type"] == JSON


async def test_without_graphiql_a_browser_get_without_a_query_is_refused() -> None:
    transport = httpx.ASGITransport(app=make_app(graphiql_html=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 406
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        response = await client.get("/graphql", headers={"accept": "text/html, */*"})
    assert response.status_code == 400


# Errors


async def test_an_internal_error_is_masked_and_logged_with_the_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="inset.graphql")
    response = await post(client, BOOM, headers={"x-request-id": "req-42"})
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error"
    assert error["path"] == ["boom"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "SELECT" not in response.text
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.name == "inset.graphql"]
    assert record.levelno == logging.ERROR
    assert "req-42" in record.getMessage()
    assert record.exc_info is not None
    assert "SELECT password" in str(record.exc_info[1])
    assert "Traceback" in caplog.text


async def test_a_graphql_error_raised_on_purpose_passes_unchanged(
    client: httpx.AsyncClient,
) -> None:
    response = await post(client, "{ ownersOnly }")
    [error] = response.json()["errors"]
    assert error["message"] == "Only owners may see this."
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert error["path"] == ["ownersOnly"]


@pytest.mark.parametrize(
    ("query", "message", "code"),
    [
        ("{ signInFirst }", "Sign in to see this.", "UNAUTHENTICATED"),
        ("{ notYours }", "This belongs to another organisation.", "FORBIDDEN"),
    ],
)
async def test_access_errors_in_resolvers_become_coded_graphql_errors(
    client: httpx.AsyncClient, query: str, message: str, code: str
) -> None:
    response = await post(client, query)
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": code}


async def test_an_expired_token_is_401_with_a_bearer_challenge(client: httpx.AsyncClient) -> None:
    response = await post(client, HELLO, headers={"authorization": "Bearer expired"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    [error] = response.json()["errors"]
    assert error == {"message": "The token has expired.", "extensions": {"code": "UNAUTHENTICATED"}}
    assert RAN == []


async def test_a_suspended_account_is_403(client: httpx.AsyncClient) -> None:
    response = await post(
        client, HELLO, headers={"authorization": "Bearer suspended"}, accept="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# Request ids, contexts, threads


async def test_a_sane_request_id_is_passed_through(client: httpx.AsyncClient) -> None:
    response = await post(client, HELLO, headers={"x-request-id": "edge.7f3a_b-1"})
    assert response.headers["x-request-id"] == "edge.7f3a_b-1"
    assert response.json()["extensions"]["requestId"] == "edge.7f3a_b-1"


@pytest.mark.parametrize("given", ["", "has space", "x" * 65, "semi;colon"])
async def test_an_unusable_request_id_is_replaced(client: httpx.AsyncClient, given: str) -> None:
    response = await post(client, HELLO, headers={"x-request-id": given})
    request_id = response.headers["x-request-id"]
    assert request_id != given
    assert len(request_id) == 32
    assert response.json()["extensions"]["requestId"] == request_id


async def test_even_a_refused_request_carries_its_request_id(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", headers={"x-request-id": "r-put"})
    assert response.headers["x-request-id"] == "r-put"
    assert response.json()["extensions"]["requestId"] == "r-put"


@pytest.mark.parametrize("query", [HELLO, BOOM, REQUIRED_BOOM, "{ signInFirst }", BUMP])
async def test_the_context_is_closed_after_every_request(
    client: httpx.AsyncClient, query: str
) -> None:
    await post(client, query)
    [context] = CONTEXTS
    assert context.closed


async def test_data_loaders_batch_on_the_worker_threads_loop(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ a: doubled(n: 1) b: doubled(n: 2) }")
    assert response.json()["data"] == {"a": 2, "b": 4}
    assert CONTEXTS[0].batches == [[1, 2]]


@pytest.mark.parametrize("query", [DOUBLED_THEN_BOOM, BOOM_THEN_DOUBLED])
async def test_work_left_by_a_failed_request_does_not_run_in_the_next(
    client: httpx.AsyncClient, query: str
) -> None:
    failed = await post(client, query)
    assert failed.json()["data"] is None
    await post(client, "{ a: doubled(n: 3) }")
    await post(client, HELLO)
    assert LATE == []
    assert CONTEXTS[1].batches == [[3]]


async def test_execution_runs_off_the_event_loop_on_one_loop_per_thread(
    client: httpx.AsyncClient,
) -> None:
    first = (await post(client, "{ where }")).json()["data"]["where"]
    second = (await post(client, "{ where }")).json()["data"]["where"]
    thread, loop = first.split(":")
    assert int(thread) != threading.get_ident()
    assert int(loop) != id(asyncio.get_running_loop())
    assert second == first  # the idle worker thread is reused, and so is its loop


async def test_a_slow_resolver_does_not_block_the_event_loop(client: httpx.AsyncClient) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    response = await post(client, "{ slow }")
    ticker.cancel()
    assert response.json()["data"] == {"slow": "done"}
    assert ticks >= 5


async def test_a_document_is_parsed_once_and_strawberry_reuses_it(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []

    def counting_parse(query: str, **limits: int) -> Any:
        parsed.append(query)
        return parse_query(query, **limits)

    def no_second_parse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("strawberry parsed the document again")

    monkeypatch.setattr("inset.graphql.prepared.parse_query", counting_parse)
    monkeypatch.setattr("strawberry.schema.schema.parse", no_second_parse)
    for _ in range(3):
        response = await post(client, "{ hello items(first: 1) { totalCount } }")
        assert response.json()["data"]["hello"] == "world"
    assert len(parsed) == 1


async def test_the_callers_schema_is_left_as_it_was() -> None:
    make_app()
    assert SCHEMA.extensions == ()


# On the wire


def test_a_live_server_answers_each_media_type_with_its_status_codes() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_app(), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/graphql"
    bad = {"query": "{ nosuchfield }"}
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        asked = {"accept": "application/graphql-response+json"}
        response = httpx.post(url, json={"query": HELLO}, headers=asked)
        refused = httpx.post(url, json=bad, headers=asked)
        # No Accept header at all, as some legacy clients send.
        plain = httpx.Client(headers={})
        del plain.headers["accept"]
        legacy = plain.post(url, json=bad)
        plain.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
    assert (refused.status_code, refused.headers["content-type"]) == (400, GRAPHQL_RESPONSE)
    assert (legacy.status_code, legacy.headers["content-type"]) == (200, JSON)
    assert legacy.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"hello": "world"}
    assert len(response.headers["x-request-id"]) == 32
