"""Every bad input is the client's mistake, told in a clear error, never an internal one:
tampered or foreign cursors, ids out of range, times without an offset, text no database
can store, over-long searches, and decimals in forms the Decimal scalar does not take."""

from __future__ import annotations

import base64
import json
from itertools import product
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.db import transaction
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.projects.models import Visibility

LISTS = {
    "projects": "query($c: String) { projects(first: 1, after: $c) { %s } }",
    "projects backwards": "query($c: String) { projects(last: 1, before: $c) { %s } }",
    "lessons": "query($c: String) { lessons(first: 1, after: $c) { %s } }",
    "lessons searched": (
        'query($c: String) { lessons(first: 1, search: "carers", after: $c) { %s } }'
    ),
    "organisations": "query($c: String) { organisations(first: 1, after: $c) { %s } }",
    "audit log": "query($c: String) { auditLog(first: 1, after: $c) { %s } }",
    "stalled": "query($c: String) { portfolio { stalled(days: 1, first: 1, after: $c) { %s } } }",
}
PAGE = "nodes { __typename } pageInfo { endCursor }"


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


HOSTILE_CURSORS = [
    "!!!not base64!!!",
    "x",
    b64("not json"),
    b64("{}"),
    b64("[]"),
    b64("[1]"),
    b64("[null, null]"),
    b64("[true, 1]"),
    b64('["text", 1]'),
    b64("[1.5, 2]"),
    b64("[1e400, 1]"),
    b64("[[1], [2]]"),
    b64("[2, " + "9" * 30 + "]"),
    b64("[2, 2147483648]"),
    b64("[2, -9223372036854775809]"),
    b64('[{"t": "nope"}, 1]'),
    b64('[{"t": 5}, 1]'),
    b64('[{"t": "2024-01-01"}, 1]'),
    b64('[{"t": "2024-01-01T00:00:00"}, 1]'),
    b64('[{"t": "9999-12-31T23:59:59-23:00"}, 1]'),
    b64('[{"t": "2024-01-01T00:00:00+00:00"}, ' + "9" * 25 + "]"),
    b64('["\\ud800", 1]'),
    b64('["a\\u0000b", 1]'),
    b64('[{"t": "2024-01-01T00:00:00+00:00"}, 1, "extra", 4]'),
    b64("[" * 5000 + "]" * 5000),
]


@pytest.fixture
def staff_token(world: Any) -> str:
    token: str = world.token(world.staff)
    return token


@pytest.fixture
def records(world: Any, engine: Engine) -> None:
    """Two public projects with a lesson each, so that every list has pages to turn."""
    lead: Actor = world.lead()
    for n in (1, 2):
        project = world.project(lead, visibility=Visibility.PUBLIC, title=f"Public project {n}")
        with transaction(engine) as session:
            lessons.record_lesson(
                session=session,
                actor=lead,
                project_id=project.id or 0,
                kind=LessonKind.WHAT_WORKED,
                title=f"Carers evenings {n}",
                body="Carers came to the evening sessions.",
            )


async def cursor_of(api: Any, token: str, name: str) -> str:
    data = await api.data(LISTS[name] % PAGE, {"c": None}, token=token)
    page = data["portfolio"]["stalled"] if name == "stalled" else next(iter(data.values()))
    cursor: str = page["pageInfo"]["endCursor"]
    return cursor


def assert_refused_or_served(body: dict[str, Any], argument: str) -> None:
    """Either a page (a cursor from another list of the same shape is a position in this
    one), or a clear INVALID naming the argument; never an internal error."""
    for error in body.get("errors", []):
        assert error["extensions"]["code"] == "INVALID", body
        assert error["extensions"]["field"] == [argument], body
        assert error["message"] == f"{argument} is not a cursor from this list", body


async def test_real_cursors_turn_the_page_of_their_own_list(api, staff_token, records):
    for name in LISTS.keys() - {"stalled"}:  # nothing has stalled yet
        cursor = await cursor_of(api, staff_token, name)
        body = await api.gql(LISTS[name] % PAGE, {"c": cursor}, token=staff_token)
        assert "errors" not in body, (name, body)


async def test_tampered_cursors_are_refused_as_invalid_on_every_list(api, staff_token, records):
    refused = 0
    for name, cursor in product(LISTS, HOSTILE_CURSORS):
        body = await api.gql(LISTS[name] % PAGE, {"c": cursor}, token=staff_token)
        argument = "before" if "backwards" in name else "after"
        assert_refused_or_served(body, argument)
        refused += "errors" in body
    # Only two are well formed: ["text", 1] as an organisation's cursor (name, id), and
    # [1] as the audit log's (id).
    assert refused == len(LISTS) * len(HOSTILE_CURSORS) - 2


async def test_cut_and_foreign_cursors_are_refused_or_read_as_a_position(api, staff_token, records):
    real = [await cursor_of(api, staff_token, name) for name in LISTS.keys() - {"stalled"}]
    for (name, query), cursor in product(LISTS.items(), real):
        argument = "before" if "backwards" in name else "after"
        for variant in (cursor[: len(cursor) // 2], cursor[:-1], "Z" + cursor, cursor):
            body = await api.gql(query % PAGE, {"c": variant}, token=staff_token)
            assert_refused_or_served(body, argument)


NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
ARCHIVE = """mutation($id: ID!) { archiveRecord(input: {id: $id, reason: "Entered twice."}) {
  userErrors { field code message } } }"""


@pytest.mark.parametrize(
    "global_id",
    [
        b64("Project:" + "9" * 25),  # beyond 64 bits
        b64("Project:9223372036854775808"),  # just beyond 64 bits
        b64("Project:2147483648"),  # beyond PostgreSQL's 32-bit INTEGER
        b64("Project:-1"),
        b64("Project:1.5"),
        b64("Project:" + "9" * 5000),
        "!!",
        "x" * 10_000,
    ],
)
async def test_an_id_out_of_range_reads_as_absent(api, staff_token, global_id):
    node = await api.gql(NODE, {"id": global_id}, token=staff_token)
    nodes = await api.gql(NODES, {"ids": [global_id]}, token=staff_token)
    archived = await api.gql(ARCHIVE, {"id": global_id}, token=staff_token)

    assert node == {"data": {"node": None}, "extensions": node["extensions"]}
    assert nodes["data"] == {"nodes": [None]}
    [error] = archived["data"]["archiveRecord"]["userErrors"]
    assert error["code"] == "NOT_FOUND"
    assert error["field"] == ["input", "id"]


async def test_an_id_of_the_wrong_type_or_kind_reads_as_absent(api, staff_token, world):
    org = world.org()
    as_project = to_global_id("Project", org.id or 0)

    assert (await api.data(NODE, {"id": as_project}, token=staff_token))["node"] is None
    body = await api.gql("{ node(id: 12) { id } }", token=staff_token)
    assert body["data"] == {"node": None}
    refused = await api.gql("{ node(id: 1.5) { id } }", token=staff_token)
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


UPDATED_SINCE = "query($d: DateTime) { projects(filter: {updatedSince: $d}) { totalCount } }"
SINCE = "query($d: DateTime) { auditLog(filter: {since: $d}) { totalCount } }"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2024-01-01T00:00:00", "has no time or no UTC offset"),
        ("2024-01-01", "has no time or no UTC offset"),
        ("2024-01-01 09:30", "has no time or no UTC offset"),
        ("next tuesday", "is not a DateTime"),
        ("9999-12-31T23:59:59-23:00", "is out of range for a DateTime"),
    ],
)
async def test_a_datetime_without_an_offset_is_refused_naming_the_argument(
    api, staff_token, value, says
):
    for query, name in ((UPDATED_SINCE, "updatedSince"), (SINCE, "since")):
        response = await api.post(query, {"d": value}, token=staff_token)
        literal = await api.post(
            query.replace("($d: DateTime)", "").replace("$d", json.dumps(value)),
            token=staff_token,
        )

        for answer in (response, literal):
            assert answer.status_code == 400
            [error] = answer.json()["errors"]
            assert says in error["message"]
            assert "2025-04-01T09:30:00Z" in error["message"] or "out of range" in says
        assert "Variable '$d'" in response.json()["errors"][0]["message"]
        assert "DateTime" in literal.json()["errors"][0]["message"]
        assert name in query


async def test_a_datetime_with_an_offset_is_read_in_utc(api, staff_token, world):
    world.project(world.lead(), visibility=Visibility.PUBLIC)

    later = await api.data(UPDATED_SINCE, {"d": "2999-01-01T00:00:00+01:00"}, token=staff_token)
    earlier = await api.data(UPDATED_SINCE, {"d": "2000-01-01T00:00:00Z"}, token=staff_token)

    assert later["projects"]["totalCount"] == 0
    assert earlier["projects"]["totalCount"] == 1


async def test_a_lone_surrogate_in_the_body_is_a_400_naming_where_it_is(api):
    body = '{"query": "query($s: String) { lessons(search: $s) { totalCount } }", '
    body += '"variables": {"s": "\\ud800"}}'

    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == (
        "`variables.s` holds a lone UTF-16 surrogate (such as \\ud800), which is not text, "
        "which Inset cannot store."
    )


async def test_a_lone_surrogate_written_in_the_query_is_a_syntax_error(api):
    response = await api.post('{ lessons(search: "\\ud800") { totalCount } }')

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Invalid Unicode escape sequence" in error["message"]


CREATE_ORG = """mutation($name: String!) {
  createOrganisation(input: {name: $name, kind: CHARITY}) {
    organisation { name } userErrors { field code message } } }"""


async def test_a_nul_character_is_refused_and_nothing_is_stored(api, staff_token):
    as_variable = await api.post(CREATE_ORG, {"name": "Harbour\x00light"}, token=staff_token)
    in_the_query = await api.post(
        CREATE_ORG.replace("($name: String!)", "").replace("$name", '"Harbour\\u0000light"'),
        token=staff_token,
    )
    braced = await api.post(
        '{ organisations(filter: {search: "a\\u{0}b"}) { totalCount } }', token=staff_token
    )

    assert as_variable.status_code == 400
    assert as_variable.json()["errors"][0]["message"] == (
        "`variables.name` holds the NUL character (U+0000), which Inset cannot store."
    )
    for refused in (in_the_query, braced):
        assert refused.status_code == 400
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "NUL character (U+0000)" in error["message"]
    listed = await api.data("{ organisations { totalCount } }", token=staff_token)
    assert listed["organisations"]["totalCount"] == 1  # the staff's own, nothing new


async def test_a_nul_character_in_a_get_request_is_refused_too(api):
    query = '{ organisations(filter: {search: "a\u0000b"}) { totalCount } }'
    in_the_url = await api.client.get("/graphql", params={"query": "{ viewer { name } }\x00"})
    in_variables = await api.client.get(
        "/graphql",
        params={
            "query": "query($s: String) { organisations(filter: {search: $s}) { totalCount } }",
            "variables": '{"s": "a\\u0000b"}',
        },
    )
    escaped = await api.client.get("/graphql", params={"query": query})

    for refused in (in_the_url, in_variables, escaped):
        assert refused.status_code == 400
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "NUL character (U+0000)" in error["message"]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("query($s: String) { projects(filter: {search: $s}) { totalCount } }", "search"),
        ("query($s: String) { organisations(filter: {search: $s}) { totalCount } }", "search"),
        ("query($s: String) { lessons(search: $s) { totalCount } }", "search"),
    ],
)
async def test_a_search_of_sixty_thousand_characters_is_invalid(api, records, query, argument):
    for text in ("x" * 60_000, "kin " * 15_000, "-" * 60_000):
        body = await api.gql(query, {"s": text})

        [error] = body["errors"]
        assert error["extensions"]["code"] == "INVALID"
        assert error["extensions"]["field"][-1] == argument
        assert error["message"] == "search must be at most 200 characters"


async def test_a_search_of_dashes_is_a_search_not_an_error(api, records):
    body = await api.gql(
        "query($s: String) { lessons(search: $s) { totalCount } }", {"s": "- " * 60 + "-" * 70}
    )

    assert "errors" not in body, body["errors"]


OBSERVE_FIGURE = "query($d: Decimal!) { __typename }"
DEFINE = """mutation($input: DefineOutcomeInput!) {
  defineOutcome(input: $input) { outcome { baseline } userErrors { field code message } } }"""


@pytest.mark.parametrize("figure", ["45", "45.5", "-3.25", "0", "0.0001", 45, "00012.50"])
async def test_a_decimal_of_digits_one_point_and_a_minus_is_taken(api, world, figure):
    lead = world.lead()
    project = world.project(lead)
    token = world.token(lead)
    outcome = {
        "projectId": to_global_id("Project", project.id or 0),
        "name": "Children missing from care",
        "unit": "children a month",
        "higherIsBetter": False,
        "baseline": figure,
    }

    data = await api.data(DEFINE, {"input": outcome}, token=token)

    assert data["defineOutcome"]["userErrors"] == []


@pytest.mark.parametrize(
    "figure",
    ["1e3", "1E3", "NaN", "Infinity", "-Infinity", "sNaN", " 45", "45 ", "4 5", "1,000",
     "+5", ".5", "5.", "1.2.3", "--5", "", "0x10", "٤٥", "1" * 41, 4.5, True],
)  # fmt: skip
async def test_any_other_decimal_is_refused_saying_what_a_decimal_is(api, world, figure):
    lead = world.lead()
    project = world.project(lead)
    token = world.token(lead)
    outcome = {
        "projectId": to_global_id("Project", project.id or 0),
        "name": "Children missing from care",
        "unit": "children a month",
        "higherIsBetter": False,
        "baseline": figure,
    }

    response = await api.post(DEFINE, {"input": outcome}, token=token)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    message = error["message"]
    assert "is not a decimal number: write digits" in message or (
        "a Decimal is a string of digits" in message or "at most 40 characters" in message
    )
