"""Direct resolvers (inset.graphql.direct) answer exactly what strawberry's own would."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import strawberry
from sqlalchemy.engine import Engine
from sqlmodel import Session
from strawberry.permission import BasePermission

from inset.access import ANONYMOUS, SYSTEM, Actor
from inset.config import Settings
from inset.graphql.context import Context
from inset.graphql.direct import LEAF, DirectExecutionContext, resolve_directly
from inset.graphql.schema import build_schema
from inset.seed import load_seeds

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Enums, dates, timestamps, decimals, floats, booleans, nulls, lists and ids, through
# plain data fields, methods, relations and nested connections.
EVERYTHING = """
fragment Org on Organisation { id name kind sector region }
query Everything {
  projects(first: 100, orderBy: {field: TITLE, direction: ASC}) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes {
      id title summary problem theoryOfChange stage status visibility innovationType
      evidenceLevel startedOn stageEnteredAt revisitOn createdAt updatedAt version daysInStage
      leadOrganisation { ...Org } partners { ...Org } themes { id name slug }
      costs(first: 100) {
        totalCount
        nodes {
          id category description amount { amount currency } recurring periodStart periodEnd
          stage fundingSource confidence recordedAt adjustedAmount { amount currency }
        }
      }
      benefits(first: 100) {
        nodes {
          id kind description amount { amount } beneficiary periodStart periodEnd deadweight
          attribution confidence stage recordedAt adjustedAmount { amount }
        }
      }
      economics {
        grossCost { amount currency } totalCost { amount } grossBenefit { amount }
        adjustedBenefit { amount } netBenefit { amount } benefitCostRatio fiscalRoi
        paybackMonths presentValueBenefit { amount }
      }
      evidence(first: 100) {
        nodes { id kind title summary level independent stage reference recordedAt }
      }
      outcomes {
        id name unit higherIsBetter baseline baselineOn target latest change improved
        observations { value observedOn note }
      }
      decisions(first: 100) {
        nodes {
          id decision fromStage toStage statusAfter rationale override unmetCriteria
          revisitOn decidedAt lesson { id title }
        }
      }
      lessons(first: 100) {
        nodes { id kind title body stage anonymised recordedAt barriers visibility }
      }
    }
  }
  portfolio {
    projectCount
    byStage { stage count active onHold stopped }
    conversion { fromStage toStage entered passed passedCount }
    medianDaysInStage { stage completedStays completedCount openStays openCount }
    grossCost { amount } benefitCostRatio
  }
}
"""


def run(schema: strawberry.Schema, engine: Engine, actor: Actor, query: str) -> Any:
    async def execute() -> Any:
        context = Context(
            session=Session(engine),
            actor=actor,
            settings=Settings(database_url=str(engine.url), secret_key="test-secret-key"),
            request_id="test",
        )
        try:
            return await schema.execute(query, context_value=context)
        finally:
            context.close()

    return asyncio.run(execute())


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    load_seeds(engine, SEEDS)
    return engine


@pytest.mark.parametrize("actor", [SYSTEM, ANONYMOUS], ids=["staff", "anonymous"])
def test_the_schema_with_direct_resolvers_answers_as_strawberrys_own(
    seeded: Engine, actor: Actor
) -> None:
    # given the demo portfolio, and the schema with and without direct resolvers
    direct, plain = build_schema(), build_schema(direct_resolvers=False)

    # when both answer a query over every kind of value
    got = run(direct, seeded, actor, EVERYTHING)
    expected = run(plain, seeded, actor, EVERYTHING)

    # then the answers are the same, to the last enum, date, decimal and float
    assert expected.errors is None
    assert got.errors is None
    assert got.data == expected.data
    assert expected.data["projects"]["nodes"]  # the query did look at something


def test_direct_resolvers_leave_the_exported_schema_as_it_was() -> None:
    assert build_schema().as_str() == build_schema(direct_resolvers=False).as_str()


# A small schema with the cases a real one should never reach: errors must be reported
# exactly as graphql-core reports them without the shortcut.


class Holder:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class Refuse(BasePermission):
    message = "refused"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Thing:
    name: str
    count: int
    note: str | None
    secret: str = strawberry.field(permission_classes=[Refuse])

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [
            Holder(name="fine", count=1, note=None, secret="s"),  # type: ignore[list-item]
            Holder(name=None, count="many", note=3, secret="s"),  # type: ignore[list-item]
        ]


def small(direct: bool) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=Query, execution_context_class=DirectExecutionContext if direct else None
    )
    if direct:
        resolve_directly(schema)
    return schema


@pytest.mark.parametrize("query", ["{ things { name } }", "{ things { count note shout } }"])
def test_a_value_its_type_refuses_is_the_same_error_with_or_without_the_shortcut(
    query: str,
) -> None:
    # when a non-null field is null, or a value is not of the field's type
    got = asyncio.run(small(direct=True).execute(query))
    expected = asyncio.run(small(direct=False).execute(query))

    # then the errors and the data are the same
    assert expected.errors
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors
    ]
    assert got.data == expected.data


def test_a_field_with_a_permission_keeps_strawberrys_resolver_and_its_check() -> None:
    schema = small(direct=True)
    fields = schema._schema.type_map["Thing"].fields  # type: ignore[union-attr]

    # then plain fields and the method are direct, the guarded field is not
    assert getattr(fields["name"].resolve, LEAF, None) is not None
    assert getattr(fields["shout"].resolve, LEAF, None) is not None
    assert getattr(fields["secret"].resolve, LEAF, None) is None
    result = asyncio.run(schema.execute("{ things { secret } }"))
    assert result.errors
    assert {e.message for e in result.errors} == {"refused"}
