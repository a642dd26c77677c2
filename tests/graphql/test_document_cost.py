"""Bounded work for any document: its size is checked right after parsing, before the
validation whose cost grows with the square of repeated fields, and aggregates weigh in
the node estimate as what they cost."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError, get_introspection_query, parse

import inset.graphql.prepared
from inset.graphql.document_limits import MAX_SAME_FIELD, check_document, parse_query

# The figures the web client's portfolio page asks for.
FIGURES = """
    asOf projectCount
    byStage { stage count active onHold stopped }
    byTheme { key label count }
    byOrganisationKind { key label count }
    byRegion { key label count }
    conversion { fromStage toStage entered passed passedCount stopped stoppedCount recycled
      recycledCount inProgress inProgressCount }
    medianDaysInStage { stage completedStays completedCount openStays openCount }
    evidenceLevels { key label count }
    totalCost { amount } adjustedBenefit { amount } netBenefit { amount } benefitCostRatio
    stalled(days: $days, first: 50) {
      totalCount
      nodes { id title stage status daysInStage updatedAt leadOrganisation { name } }
    }
    topBarriers(first: 10) { key label count }
"""
PORTFOLIO = (
    "query Portfolio($filter: ProjectFilter, $days: Int!) {\n"
    f"  portfolio(filter: $filter) {{ {FIGURES} }}\n"
    "  themes { id name }\n}"
)
TWO_PORTFOLIOS = (
    "query Two($filter: ProjectFilter, $days: Int!) {\n"
    f"  mine: portfolio(filter: $filter) {{ {FIGURES} }}\n"
    f"  all: portfolio {{ {FIGURES} }}\n}}"
)
# About 12 KB of one field repeated: under the token limit, and about a second of CPU
# to validate before this limit.
REPEATED = "{ viewer { " + "name " * 2400 + "} }"
INLINE_FRAGMENTS = "{ " + "... on Query { viewer { name } } " * 170 + "}"
SPREAD_FRAGMENTS = (
    "{ " + " ".join(f"...F{i}" for i in range(8)) + " } "
    + " ".join(f"fragment F{i} on Query {{ viewer {{ name }} }}" for i in range(8))
)  # fmt: skip
MERGED_BELOW = "{ " + "viewer { organisation { name name } } " * 4 + "}"  # 8 names merge


def size_code(query: str) -> str | None:
    error = check_document(parse(query), max_selections=500, max_aliases=30)
    return None if error is None else str((error.extensions or {})["code"])


@pytest.mark.parametrize(
    "query",
    [REPEATED, INLINE_FRAGMENTS, SPREAD_FRAGMENTS, MERGED_BELOW],
    ids=["repeated", "inline fragments", "spread fragments", "merged below"],
)
def test_fields_that_would_be_compared_pairwise_are_refused_before_validation(query):
    assert size_code(query) == "TOO_MANY_SELECTIONS"


def test_ordinary_documents_pass_the_size_check():
    assert size_code(PORTFOLIO) is None
    assert size_code(get_introspection_query(descriptions=True)) is None
    twice = "{ viewer { name } viewer { name role } ...V ...V } "
    twice += "fragment V on Query { viewer { id } }"
    assert size_code(twice) is None
    assert size_code("{ viewer { " + "name " * MAX_SAME_FIELD + "} }") is None


def test_more_than_the_limit_of_selections_or_aliases_is_refused_whatever_their_names():
    wide = "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(31)) + " }"
    long = "{ " + "viewer { organisation { name kind region } } " * 5 + "}"

    error = check_document(parse(long), max_selections=20, max_aliases=30)

    assert size_code(wide) == "TOO_MANY_ALIASES"
    assert error is not None
    assert error.message == "The query has more than 20 fields and fragments, the limit."
    assert check_document(parse(long), max_selections=25, max_aliases=30) is None


def test_counting_selections_stops_reading_at_the_first_one_too_many():
    # A syntax error after the 501st selection is never reached: reading stopped there.
    broken_at_the_end = "{ viewer { " + "name " * 2400 + "} } }}}} (((("

    with pytest.raises(GraphQLError) as raised:
        parse_query(broken_at_the_end, max_tokens=3000, max_selections=500)

    assert raised.value.extensions == {"code": "TOO_MANY_SELECTIONS"}
    assert raised.value.message == "The query has more than 500 fields and fragments, the limit."


def test_a_document_padded_with_comments_is_still_refused_for_its_tokens():
    padded = "{ viewer { name " + "# nothing to see\n" * 300_000 + "} }"

    with pytest.raises(GraphQLError) as raised:
        parse_query(padded, max_tokens=3000, max_selections=500)

    assert raised.value.extensions == {"code": "TOO_MANY_TOKENS"}


@pytest.mark.parametrize(
    ("query", "selections"),
    [
        ('{ projects(filter: {search: "a b", regions: ["x", "y"]}) { nodes { id } } }', 3),
        ('query($f: ProjectFilter = {search: "x"}) { projects(filter: $f) { totalCount } }', 2),
        ("{ ...F } fragment F on Query { viewer { ... on Account { name } id @skip(if: true) } }",
         5),
        ("{ a: viewer { b: name } }", 2),
    ],
)  # fmt: skip
def test_arguments_aliases_directives_and_type_conditions_are_not_selections(query, selections):
    parse_query(query, max_tokens=3000, max_selections=selections)
    with pytest.raises(GraphQLError):
        parse_query(query, max_tokens=3000, max_selections=selections - 1)


async def test_a_large_uncached_document_is_refused_over_http_without_being_validated(
    api, monkeypatch
):
    validated: list[Any] = []
    real = inset.graphql.prepared.validate_document

    def counting(*args: Any) -> Any:
        validated.append(args)
        return real(*args)

    monkeypatch.setattr(inset.graphql.prepared, "validate_document", counting)

    response = await api.post(REPEATED)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_SELECTIONS"
    assert error["message"] == "The query has more than 500 fields and fragments, the limit."
    assert validated == []
    await api.post("{ viewer { name } }")
    assert len(validated) == 1  # an ordinary document is validated as before


async def test_thirty_aliased_portfolios_are_refused_naming_the_aggregates(api, world):
    staff = world.token(world.staff)
    query = "{ " + " ".join(f"p{i}: portfolio {{ projectCount }}" for i in range(30)) + " }"

    response = await api.post(query, token=staff)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert error["message"] == (
        "The query asks for 60 aggregates (portfolios, their figures, searches), each reading "
        "every record you may read; with the rest they weigh more than the limit of 20000 "
        "nodes. Ask for fewer in one query (one portfolio at a time)."
    )


async def test_the_full_portfolio_page_runs_but_two_in_one_query_are_refused(api, world):
    staff = world.token(world.staff)

    one = await api.post(PORTFOLIO, {"days": 90}, token=staff)
    two = await api.post(TWO_PORTFOLIOS, {"days": 90}, token=staff)

    assert one.status_code == 200
    assert "errors" not in one.json()
    assert two.status_code == 400
    assert two.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


async def test_many_searches_in_one_query_are_refused_but_a_few_run(api):
    def searches(n: int) -> str:
        return "{ " + " ".join(
            f's{i}: lessons(first: 1, search: "carers {i}") {{ totalCount }}' for i in range(n)
        ) + " }"  # fmt: skip

    few = await api.post(searches(5))
    many = await api.post(searches(25))
    by_variable = await api.post(
        "query($f: ProjectFilter) { "
        + " ".join(f"p{i}: projects(first: 1, filter: $f) {{ totalCount }}" for i in range(25))
        + " }",
        {"f": {"search": "carers"}},
    )
    without = await api.post(
        "{ " + " ".join(f"p{i}: projects(first: 1) {{ totalCount }}" for i in range(25)) + " }"
    )

    assert "errors" not in few.json()
    for refused in (many, by_variable):
        assert refused.status_code == 400
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_LARGE"
        assert "25 aggregates (portfolios, their figures, searches)" in error["message"]
    assert "errors" not in without.json()
