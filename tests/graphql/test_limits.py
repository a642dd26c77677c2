"""Request limits: each refused with its own code, before any resolver or database work."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from graphql import get_introspection_query, parse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from inset.access import ANONYMOUS
from inset.config import Settings
from inset.graphql.document_limits import parse_query
from inset.graphql.http import GraphQLEndpoint
from inset.graphql.limits import check_limits

SETTINGS = Settings(max_depth=6, max_aliases=3, max_tokens=200, max_nodes=1000, max_page_size=50)

PROJECTS = "query($first: Int) { projects(first: $first) { nodes { name } } }"
PROJECT_LESSONS = "{ projects(first: 50) { nodes { lessons(first: 20) { nodes { title } } } } }"
DEFAULT_PAGES = "{ projects { nodes { lessons { nodes { tags { name } } } } } }"
PLAIN_LISTS = "{ team { tags { related { related { name } } } } }"
DEEP = "{ team { tags { related { related { related { related { name } } } } } } }"
DEEP_BY_FRAGMENTS = """
{ team { tags { ...One } } }
fragment One on Tag { related { ...Two } }
fragment Two on Tag { related { related { related { name } } } }
"""
ALIASES = "{ a: team { name } b: team { name } c: team { name } d: team { name } }"
ALIASES_BY_FRAGMENT = """
{ ...Names ...Names2 }
fragment Names on Query { a: team { name } b: team { name } }
fragment Names2 on Query { ...Names }
"""

RAN: list[str] = []
CONTEXTS: list[str] = []


@strawberry.type
class Tag:
    name: str

    @strawberry.field
    def related(self) -> list[Tag]:
        RAN.append("related")
        return []


@strawberry.type
class Lesson:
    title: str
    tags: list[Tag]


@strawberry.type
class LessonConnection:
    nodes: list[Lesson]


@strawberry.type
class Project:
    name: str

    @strawberry.field
    def lessons(self, first: int | None = None, last: int | None = None) -> LessonConnection:
        RAN.append("lessons")
        return LessonConnection(nodes=[])


@strawberry.type
class ProjectConnection:
    nodes: list[Project]


@strawberry.type
class Team:
    name: str
    tags: list[Tag]


@strawberry.type
class Query:
    @strawberry.field
    def projects(self, first: int | None = None, last: int | None = None) -> ProjectConnection:
        RAN.append("projects")
        return ProjectConnection(nodes=[Project(name="Family Valued")])

    @strawberry.field
    def team(self) -> Team:
        RAN.append("team")
        return Team(name="Leeds", tags=[])


SCHEMA = strawberry.Schema(query=Query)


class ToyContext:
    def __init__(self) -> None:
        self.response_cookies: list[dict[str, object]] = []
        self.rate_limit = None
        self.actor = ANONYMOUS
        self.session = None

    def close(self) -> None:
        pass


def make_context(request: Request, request_id: str) -> ToyContext:
    CONTEXTS.append(request_id)  # stands for authentication, the first database work
    return ToyContext()


def limit(query: str, variables: dict[str, Any] | None = None, **settings: int) -> str | None:
    """The code of the limit the query breaks, or None."""
    error = check_limits(
        parse(query),
        schema=SCHEMA._schema,
        variables=variables,
        operation_name=None,
        settings=Settings(**{**SETTINGS.__dict__, **settings}),
    )
    return None if error is None else str((error.extensions or {})["code"])


@pytest.fixture(autouse=True)
def _fresh() -> None:
    RAN.clear()
    CONTEXTS.clear()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    endpoint = GraphQLEndpoint(schema=SCHEMA, context_factory=make_context, settings=SETTINGS)
    app = Starlette(routes=[Route("/graphql", endpoint=endpoint)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield client


# Over HTTP: refused with a coded error, before authentication or any resolver


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        (DEEP, None, "QUERY_TOO_DEEP"),
        (ALIASES, None, "TOO_MANY_ALIASES"),
        ("{ team { name " + "name " * 200 + "} }", None, "TOO_MANY_TOKENS"),
        ("{ projects(first: 51) { nodes { name } } }", None, "PAGE_SIZE"),
        (PROJECTS, {"first": 0}, "PAGE_SIZE"),
        (PROJECT_LESSONS, None, "QUERY_TOO_LARGE"),
    ],
)
async def test_a_request_over_a_limit_is_refused_before_anything_runs(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    body = {"query": query, "variables": variables}
    headers = {"accept": "application/graphql-response+json"}
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"] == {"code": code}
    assert body["extensions"]["requestId"] == response.headers["x-request-id"]
    assert RAN == []
    assert CONTEXTS == []


async def test_a_limit_error_is_200_for_an_application_json_client(
    client: httpx.AsyncClient,
) -> None:
    headers = {"accept": "application/json"}
    response = await client.post("/graphql", json={"query": DEEP}, headers=headers)
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"


async def test_a_request_within_every_limit_runs(client: httpx.AsyncClient) -> None:
    request = {"query": PROJECTS, "variables": {"first": 50}}
    response = await client.post("/graphql", json=request)
    assert response.status_code == 200
    assert RAN == ["projects"]
    assert CONTEXTS != []


async def test_a_page_size_over_get_is_refused_too(client: httpx.AsyncClient) -> None:
    params = {"query": PROJECTS, "variables": '{"first": 1000}'}
    response = await client.get("/graphql", params=params)
    assert response.json()["errors"][0]["extensions"]["code"] == "PAGE_SIZE"
    assert RAN == []


# Messages


def test_each_message_names_the_limit_and_the_number() -> None:
    def message(query: str, variables: dict[str, Any] | None = None) -> str:
        error = check_limits(
            parse(query), schema=SCHEMA._schema, variables=variables,
            operation_name=None, settings=SETTINGS,
        )  # fmt: skip
        assert error is not None
        return error.message

    assert message(DEEP) == "The query is 7 levels deep; the limit is 6."
    assert message(ALIASES) == "The query uses 4 aliases; the limit is 3."
    assert message(PROJECTS, {"first": 51}) == (
        "`first` on `projects` is 51; a page holds from 1 to 50 items."
    )
    assert message(PROJECT_LESSONS).startswith(
        "The query could return more than 1000 nodes, the limit."
    )


# Tokens


def test_a_document_over_the_token_limit_is_not_parsed_to_the_end() -> None:
    huge = "{ team { " + "name " * 1_000_000 + "} }"
    started = time.perf_counter()
    with pytest.raises(Exception, match="more than 200 tokens") as raised:
        parse_query(huge, max_tokens=200)
    assert time.perf_counter() - started < 0.5
    assert raised.value.extensions == {"code": "TOO_MANY_TOKENS"}  # type: ignore[attr-defined]


def test_comments_count_against_the_token_limit() -> None:
    padded = "{ team { name } }" + "\n#" * 500
    with pytest.raises(Exception, match="200") as raised:
        parse_query(padded, max_tokens=200)
    assert raised.value.extensions == {"code": "TOO_MANY_TOKENS"}  # type: ignore[attr-defined]


def test_a_syntax_error_is_reported_as_such() -> None:
    with pytest.raises(Exception, match="Syntax Error") as raised:
        parse_query("{ team {", max_tokens=200)
    assert not raised.value.extensions  # type: ignore[attr-defined]


# Depth


def test_depth_counts_fields_from_the_root() -> None:
    assert limit(PLAIN_LISTS, max_depth=5, max_nodes=10**6) is None
    assert limit(PLAIN_LISTS, max_depth=4) == "QUERY_TOO_DEEP"


def test_depth_follows_named_fragments() -> None:
    assert limit(DEEP_BY_FRAGMENTS) == "QUERY_TOO_DEEP"
    assert limit(DEEP_BY_FRAGMENTS, max_depth=7, max_nodes=10**6) is None


def test_depth_follows_inline_fragments() -> None:
    query = "{ team { ... on Team { tags { ... { related { name } } } } } }"
    assert limit(query, max_depth=4) is None
    assert limit(query, max_depth=3) == "QUERY_TOO_DEEP"


def test_the_graphiql_introspection_query_fits_the_default_limits() -> None:
    document = parse(get_introspection_query(descriptions=True))
    error = check_limits(
        document, schema=SCHEMA._schema, variables=None, operation_name=None, settings=Settings()
    )
    assert error is None


def test_nested_introspection_is_still_limited() -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    assert limit(query) == "QUERY_TOO_DEEP"


# Aliases


def test_aliases_in_a_fragment_count_each_time_it_is_spread() -> None:
    assert limit(ALIASES_BY_FRAGMENT) == "TOO_MANY_ALIASES"
    assert limit(ALIASES_BY_FRAGMENT, max_aliases=4) is None


# Page sizes


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ projects(first: 0) { nodes { name } } }", None),
        ("{ projects(last: 51) { nodes { name } } }", None),
        ("{ projects(first: -1) { nodes { name } } }", None),
        (PROJECTS, {"first": 1000}),
        (PROJECTS, {"first": 1000.0}),
        ("query($n: Int = 500) { projects(first: $n) { nodes { name } } }", None),
        ("{ projects(first: 5) { nodes { lessons(last: 99) { nodes { title } } } } }", None),
    ],
)
def test_a_page_size_outside_1_to_the_maximum_is_refused(
    query: str, variables: dict[str, Any] | None
) -> None:
    assert limit(query, variables) == "PAGE_SIZE"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (PROJECTS, {"first": 1}),
        (PROJECTS, {"first": 50}),
        (PROJECTS, {"first": None}),
        (PROJECTS, None),
        ("query($n: Int = 10) { projects(first: $n) { nodes { name } } }", {"n": 50}),
        (PROJECTS, {"first": "many"}),  # variable coercion refuses it, with its own message
    ],
)
def test_a_page_size_within_range_or_absent_passes(
    query: str, variables: dict[str, Any] | None
) -> None:
    assert limit(query, variables) is None


# Node estimate


def test_nested_connections_multiply_their_page_sizes() -> None:
    # 50 projects, and 20 lessons for each: 50 + 50 * 20 = 1050.
    assert limit(PROJECT_LESSONS, max_nodes=1050) is None
    assert limit(PROJECT_LESSONS, max_nodes=1049) == "QUERY_TOO_LARGE"


def test_a_connection_without_first_or_last_counts_twenty() -> None:
    # 20 projects, 20 * 20 lessons, 20 * 20 * 10 tags: 20 + 400 + 4000 = 4420.
    assert limit(DEFAULT_PAGES, max_nodes=4420) is None
    assert limit(DEFAULT_PAGES, max_nodes=4419) == "QUERY_TOO_LARGE"


def test_plain_lists_count_ten_at_each_level() -> None:
    # 10 tags, 100 related, 1000 related: 1110.
    assert limit(PLAIN_LISTS, max_nodes=1110) is None
    assert limit(PLAIN_LISTS, max_nodes=1109) == "QUERY_TOO_LARGE"


def test_the_page_size_from_a_variable_drives_the_estimate() -> None:
    query = """
    query($n: Int) { projects(first: $n) { nodes { lessons(first: $n) { nodes { title } } } } }
    """
    assert limit(query, {"n": 30}) is None  # 30 + 900
    assert limit(query, {"n": 40}) == "QUERY_TOO_LARGE"  # 40 + 1600


# Robustness


def test_cyclic_fragments_do_not_hang_the_check() -> None:
    query = """
    { team { tags { ...A } } }
    fragment A on Tag { related { ...B } }
    fragment B on Tag { related { ...A } }
    """
    assert limit(query, max_depth=100, max_nodes=10**6) is None


def test_a_fragment_spread_exponentially_is_estimated_without_being_expanded() -> None:
    levels = 40
    fragments = " ".join(
        f"fragment F{i} on Tag {{ related {{ ...F{i - 1} }} x{i}: related {{ ...F{i - 1} }} }}"
        for i in range(1, levels)
    )
    query = (
        f"{{ team {{ tags {{ ...F{levels - 1} }} }} }} fragment F0 on Tag {{ name }} " + fragments
    )
    started = time.perf_counter()
    code = limit(query, max_depth=100, max_aliases=10**13)
    assert time.perf_counter() - started < 1
    assert code == "QUERY_TOO_LARGE"


def test_a_long_chain_of_fragments_is_refused_not_crashed() -> None:
    links = 2000
    fragments = " ".join(f"fragment F{i} on Team {{ ...F{i + 1} }}" for i in range(links))
    query = f"{{ team {{ ...F0 }} }} {fragments} fragment F{links} on Team {{ name }}"
    assert limit(query) == "QUERY_TOO_DEEP"
