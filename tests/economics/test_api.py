"""Costs, benefits and economics through the GraphQL API: every figure worked out by hand."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from conftest import Api, statement_counter
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.app import create_app
from inset.config import Settings
from inset.db import transaction
from inset.economics import service
from inset.economics.models import BenefitKind, CostCategory
from inset.ids import pk_of, to_global_id
from inset.projects.models import Project

RECORD_COST = """
mutation RecordCost($input: RecordCostInput!) {
  recordCost(input: $input) {
    cost { id amount { amount currency } adjustedAmount { amount } stage confidence }
    project { id costs { totalCount } }
    userErrors { field code message }
  }
}
"""

RECORD_BENEFIT = """
mutation RecordBenefit($input: RecordBenefitInput!) {
  recordBenefit(input: $input) {
    benefit {
      id kind amount { amount currency } beneficiary deadweight attribution
      adjustedAmount { amount }
    }
    project { id }
    userErrors { field code message }
  }
}
"""

PROJECT_ECONOMICS = """
query ProjectEconomics($id: ID!) {
  node(id: $id) {
    ... on Project {
      economics {
        grossCost { amount currency }
        totalCost { amount }
        grossBenefit { amount }
        adjustedBenefit { amount }
        netBenefit { amount }
        benefitCostRatio
        fiscalRoi
        paybackMonths
        presentValueBenefit { amount }
      }
      costs { totalCount nodes { amount { amount } adjustedAmount { amount } } }
      benefits { totalCount nodes { description adjustedAmount { amount } } }
    }
  }
}
"""

COST_PAGE = """
query CostPage($id: ID!, $after: String) {
  node(id: $id) {
    ... on Project {
      costs(first: 2, after: $after) {
        totalCount
        nodes { amount { amount } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}
"""

NODE_COST = """
query Node($id: ID!) { node(id: $id) { id ... on Cost { description } } }
"""

PAGE_OF_PROJECTS = """
query Page($first: Int!) {
  projects(first: $first) {
    nodes {
      economics { totalCost { amount } adjustedBenefit { amount } benefitCostRatio paybackMonths }
    }
  }
}
"""


def project_id(project: Project) -> str:
    return to_global_id("Project", project.id or 0)


def cost_input(project: Project, amount: str, confidence: int, **extra: Any) -> dict[str, Any]:
    return {
        "projectId": project_id(project),
        "category": "STAFF",
        "description": "Two family support workers",
        "amount": {"amount": amount},
        "confidence": confidence,
        **extra,
    }


def benefit_input(project: Project, **values: Any) -> dict[str, Any]:
    return {"projectId": project_id(project), "description": "Fewer placements", **values}


@pytest.fixture
def lead(world: Any) -> Actor:
    actor: Actor = world.lead()
    return actor


@pytest.fixture
def token(world: Any, lead: Actor) -> str:
    secret: str = world.token(lead)
    return secret


@pytest.fixture
def project(world: Any, lead: Actor) -> Project:
    # The worked example's project starts on 1 April 2025: month 1 is April 2025.
    created: Project = world.project(lead, started_on=date(2025, 4, 1))
    return created


async def record_cost(api: Any, token: str, input: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(RECORD_COST, {"input": input}, token=token)
    payload: dict[str, Any] = data["recordCost"]
    return payload


async def record_benefit(api: Any, token: str, input: dict[str, Any]) -> dict[str, Any]:
    data = await api.data(RECORD_BENEFIT, {"input": input}, token=token)
    payload: dict[str, Any] = data["recordBenefit"]
    return payload


async def economics(api: Any, token: str, project: Project) -> dict[str, Any]:
    data = await api.data(PROJECT_ECONOMICS, {"id": project_id(project)}, token=token)
    node: dict[str, Any] = data["node"]
    return node


async def test_the_readme_worked_example_through_the_api(
    api: Any, token: str, project: Project
) -> None:
    # given the two costs of docs/economics-example.md (default optimism bias)
    cost_a = await record_cost(api, token, cost_input(project, "40000.00", 2))
    cost_b = await record_cost(api, token, cost_input(project, "8000.00", 4))
    assert cost_a["userErrors"] == cost_b["userErrors"] == []
    # Cost A: 40,000 x 1.05 = 42,000.00; Cost B: 8,000 x 1.15 = 9,200.00
    assert cost_a["cost"]["adjustedAmount"] == {"amount": "42000.00"}
    assert cost_b["cost"]["adjustedAmount"] == {"amount": "9200.00"}
    assert cost_a["cost"]["stage"] == "IDEA"
    # and its three benefits
    council = "Children's services, Example Council"
    benefit_1 = await record_benefit(
        api,
        token,
        benefit_input(
            project,
            kind="FISCAL",
            amount={"amount": "90000.00"},
            beneficiary=council,
            periodStart="2025-04-01",
            periodEnd="2026-03-31",
            deadweight=0.2,
            attribution=0.75,
            confidence=3,
        ),
    )
    benefit_2 = await record_benefit(
        api,
        token,
        benefit_input(
            project,
            kind="FISCAL",
            amount={"amount": "60000.00"},
            beneficiary=council,
            periodStart="2026-04-01",
            periodEnd="2027-03-31",
            deadweight=0.1,
            attribution=0.5,
            confidence=2,
        ),
    )
    benefit_3 = await record_benefit(
        api,
        token,
        benefit_input(
            project,
            kind="SOCIAL",
            amount={"amount": "10000.00"},
            periodStart="2025-10-01",
            periodEnd="2027-03-31",
            deadweight=0.15,
            confidence=5,
        ),
    )
    assert benefit_1["userErrors"] == benefit_2["userErrors"] == benefit_3["userErrors"] == []
    # the shares come back as they went in; attribution defaults to 1
    assert (benefit_1["benefit"]["deadweight"], benefit_1["benefit"]["attribution"]) == (0.2, 0.75)
    assert benefit_3["benefit"]["attribution"] == 1.0

    # when the project's economics are read
    node = await economics(api, token, project)

    # then every line and figure of the example comes back exactly
    assert node["costs"]["totalCount"] == 2
    # newest first: Benefit 3, 2, 1
    # 3: 10,000 x 0.85 x 1 x 0.75 = 6,375.00 (grade 5, bias 25%)
    # 2: 60,000 x 0.90 x 0.50 x 0.95 = 25,650.00 (grade 2, bias 5%)
    # 1: 90,000 x 0.80 x 0.75 x 0.90 = 48,600.00 (grade 3, bias 10%)
    assert [b["adjustedAmount"]["amount"] for b in node["benefits"]["nodes"]] == [
        "6375.00",
        "25650.00",
        "48600.00",
    ]
    figures = node["economics"]
    # gross cost: 40,000 + 8,000
    assert figures["grossCost"] == {"amount": "48000.00", "currency": "GBP"}
    # total cost: 42,000 + 9,200
    assert figures["totalCost"]["amount"] == "51200.00"
    # gross benefit: 90,000 + 60,000 + 10,000
    assert figures["grossBenefit"]["amount"] == "160000.00"
    # adjusted benefit: 48,600 + 25,650 + 6,375
    assert figures["adjustedBenefit"]["amount"] == "80625.00"
    # net benefit: 80,625 - 51,200
    assert figures["netBenefit"]["amount"] == "29425.00"
    # benefit-cost ratio: 80,625 / 51,200 = 1.5747 -> 1.57
    assert figures["benefitCostRatio"] == 1.57
    # fiscal ROI: (48,600 + 25,650 - 51,200) / 51,200 = 23,050 / 51,200 = 0.4502 -> 0.45
    assert figures["fiscalRoi"] == 0.45
    # payback: 48,600 / 12 = 4,050.00 a month in months 1-12, 25,650 / 12 = 2,137.50 a month
    # in months 13-24. Month 12: 48,600 < 51,200; month 13: 50,737.50 < 51,200;
    # month 14: 52,875.00 >= 51,200
    assert figures["paybackMonths"] == 14
    # present value: Benefit 1 in year 0: 48,600.00; Benefit 2 in year 1:
    # 25,650 / 1.035 = 24,782.608... -> 24,782.61; Benefit 3, 18 months (7-24), 6 in year 0
    # and 12 in year 1: 6,375 x 6/18 = 2,125 + 4,250 / 1.035 = 4,106.280... -> 6,231.28.
    # 48,600.00 + 24,782.61 + 6,231.28 = 79,613.89
    assert figures["presentValueBenefit"]["amount"] == "79613.89"


async def test_the_benefit_cost_ratio_is_null_without_costs(
    api: Any, token: str, project: Project
) -> None:
    # given a benefit and no cost
    await record_benefit(
        api,
        token,
        benefit_input(project, kind="SOCIAL", amount={"amount": "5000.00"}, confidence=1),
    )
    figures = (await economics(api, token, project))["economics"]
    # then there is nothing to divide by: the ratios are null, the money is zero
    assert figures["benefitCostRatio"] is None
    assert figures["fiscalRoi"] is None
    assert figures["totalCost"]["amount"] == "0.00"
    assert figures["netBenefit"]["amount"] == "5000.00"


async def test_payback_is_null_while_fiscal_benefits_only_match_the_cost(
    api: Any, token: str, project: Project
) -> None:
    # given a cost of 10,000.00 at grade 1 (10,000 x 1.00 = 10,000.00)
    await record_cost(api, token, cost_input(project, "10000.00", 1))
    # and a fiscal benefit that exactly meets it (10,000 x 1 x 1 x 1.00 = 10,000.00), plus
    # a large social benefit, which never pays a cost back in cash
    await record_benefit(
        api,
        token,
        benefit_input(
            project,
            kind="FISCAL",
            amount={"amount": "10000.00"},
            beneficiary="The council",
            confidence=1,
        ),
    )
    await record_benefit(
        api,
        token,
        benefit_input(project, kind="SOCIAL", amount={"amount": "50000.00"}, confidence=1),
    )
    figures = (await economics(api, token, project))["economics"]
    # then fiscal benefits do not outrun the cost: no payback
    assert figures["paybackMonths"] is None
    # fiscal ROI: (10,000 - 10,000) / 10,000 = 0; ratio: 60,000 / 10,000 = 6
    assert figures["fiscalRoi"] == 0.0
    assert figures["benefitCostRatio"] == 6.0


async def test_money_is_a_string_with_two_decimal_places(
    api: Any, token: str, project: Project
) -> None:
    # given amounts sent without pence, and with one digit of them
    whole = await record_cost(api, token, cost_input(project, "12500", 1))
    half = await record_cost(api, token, cost_input(project, "0.5", 1))
    # then they come back as strings with two decimal places, never as floats
    assert whole["cost"]["amount"] == {"amount": "12500.00", "currency": "GBP"}
    assert half["cost"]["amount"]["amount"] == "0.50"
    # and the payload's project already counts them
    assert half["project"]["costs"]["totalCount"] == 2


async def test_an_explicit_null_means_the_default(api: Any, token: str, project: Project) -> None:
    # when a benefit is sent with null currency, deadweight and attribution
    payload = await record_benefit(
        api,
        token,
        benefit_input(
            project,
            kind="SOCIAL",
            amount={"amount": "10.00", "currency": None},
            deadweight=None,
            attribution=None,
            confidence=1,
        ),
    )
    # then they are GBP, no deadweight and full attribution: 10 x 1 x 1 x 1.00 = 10.00
    benefit = payload["benefit"]
    assert benefit["amount"] == {"amount": "10.00", "currency": "GBP"}
    assert (benefit["deadweight"], benefit["attribution"]) == (0.0, 1.0)
    assert benefit["adjustedAmount"] == {"amount": "10.00"}


async def test_costs_are_paged_newest_first(api: Any, token: str, project: Project) -> None:
    # given costs of 1.00, 2.00 and 3.00, recorded in that order
    for amount in ("1.00", "2.00", "3.00"):
        await record_cost(api, token, cost_input(project, amount, 1))
    # when they are read two at a time
    variables: dict[str, Any] = {"id": project_id(project), "after": None}
    first = (await api.data(COST_PAGE, variables, token=token))["node"]["costs"]
    variables["after"] = first["pageInfo"]["endCursor"]
    second = (await api.data(COST_PAGE, variables, token=token))["node"]["costs"]
    # then the newest come first, and the second page holds the rest
    assert [c["amount"]["amount"] for c in first["nodes"]] == ["3.00", "2.00"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [c["amount"]["amount"] for c in second["nodes"]] == ["1.00"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert first["totalCount"] == second["totalCount"] == 3


async def test_a_fraction_of_a_penny_is_a_user_error(
    api: Any, token: str, project: Project
) -> None:
    payload = await record_cost(api, token, cost_input(project, "10.005", 1))
    assert payload["cost"] is None
    assert payload["project"] is None
    [error] = payload["userErrors"]
    assert error["field"] == ["input", "amount", "amount"]
    assert error["code"] == "INVALID"


async def test_a_fiscal_benefit_without_a_beneficiary_is_a_user_error(
    api: Any, token: str, project: Project
) -> None:
    payload = await record_benefit(
        api, token, benefit_input(project, kind="FISCAL", amount={"amount": "1.00"}, confidence=1)
    )
    assert payload["benefit"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "beneficiary"], "REQUIRED")
    ]


async def test_deadweight_over_one_is_a_user_error(api: Any, token: str, project: Project) -> None:
    payload = await record_benefit(
        api, token, benefit_input(project, kind="SOCIAL", deadweight=1.2, confidence=1)
    )
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "deadweight"], "INVALID")
    ]
    assert (await economics(api, token, project))["benefits"]["totalCount"] == 0


async def test_a_currency_other_than_gbp_is_refused(api: Any, token: str, project: Project) -> None:
    input = {**cost_input(project, "100.00", 1), "amount": {"amount": "100.00", "currency": "EUR"}}
    body = await api.gql(RECORD_COST, {"input": input}, token=token)
    assert "Inset records money in GBP" in body["errors"][0]["message"]
    assert (await economics(api, token, project))["costs"]["totalCount"] == 0


async def test_record_cost_replays_with_the_same_idempotency_key(
    api: Any, token: str, project: Project
) -> None:
    # given a cost recorded with an idempotency key
    input = cost_input(project, "750.00", 2, idempotencyKey="invoice-2025-041")
    first = await record_cost(api, token, input)
    # when the same request is sent again
    again = await record_cost(api, token, input)
    # then the first cost comes back, and only one was stored
    assert again["userErrors"] == []
    assert again["cost"]["id"] == first["cost"]["id"]
    assert (await economics(api, token, project))["costs"]["totalCount"] == 1
    # and the same key with other input is a DUPLICATE, storing nothing
    other = await record_cost(
        api, token, cost_input(project, "751.00", 2, idempotencyKey="invoice-2025-041")
    )
    assert other["cost"] is None
    assert [(e["field"], e["code"]) for e in other["userErrors"]] == [
        (["input", "idempotencyKey"], "DUPLICATE")
    ]
    assert (await economics(api, token, project))["costs"]["totalCount"] == 1


async def test_an_outsider_neither_records_on_nor_reads_a_private_project(
    api: Any, world: Any, token: str, project: Project
) -> None:
    # given a cost on the lead's PRIVATE project, and a lead of another organisation
    recorded = await record_cost(api, token, cost_input(project, "100.00", 1))
    outsider = world.token(world.lead())
    # then to the outsider the project is NOT_FOUND, and the cost is not there
    payload = await record_cost(api, outsider, cost_input(project, "100.00", 1))
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "projectId"], "NOT_FOUND")
    ]
    cost_id = recorded["cost"]["id"]
    assert (await api.data(NODE_COST, {"id": cost_id}, token=outsider))["node"] is None
    owner_view = await api.data(NODE_COST, {"id": cost_id}, token=token)
    assert owner_view["node"] == {"id": cost_id, "description": "Two family support workers"}


async def test_an_archived_cost_leaves_the_list_and_the_figures(
    api: Any, engine: Engine, lead: Actor, token: str, project: Project
) -> None:
    # given two costs of 100.00 at grade 1, one of them archived
    await record_cost(api, token, cost_input(project, "100.00", 1))
    archived = await record_cost(api, token, cost_input(project, "100.00", 1))
    with transaction(engine) as session:
        service.archive_cost(
            session=session,
            actor=lead,
            cost_id=pk_of(archived["cost"]["id"], "Cost") or 0,
            reason="Entered twice",
        )
    node = await economics(api, token, project)
    # then only one counts: 100.00 x 1.00
    assert node["costs"]["totalCount"] == 1
    assert node["economics"]["totalCost"]["amount"] == "100.00"
    assert (await api.data(NODE_COST, {"id": archived["cost"]["id"]}, token=token))["node"] is None


async def test_economics_of_a_page_of_projects_costs_the_same_statements_for_10_and_40(
    world: Any, engine: Engine, db_url: str, lead: Actor, token: str
) -> None:
    """Through the resolvers, which work the figures out from the lines (a compiled read
    takes the stored figures in its one statement: tests/graphql/compiled)."""
    settings = Settings(database_url=db_url, secret_key="test-secret-key", fast_reads=False)
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    client = httpx.AsyncClient(transport=transport, base_url="http://inset.test")
    api = Api(client)
    # given 40 projects, each with a cost and a fiscal benefit
    for _ in range(40):
        project = world.project(lead)
        with transaction(engine) as session:
            service.record_cost(
                session=session,
                actor=lead,
                project_id=project.id or 0,
                category=CostCategory.TECHNOLOGY,
                description="Licences",
                amount=Decimal("1000.00"),
                confidence=1,
            )
            service.record_benefit(
                session=session,
                actor=lead,
                project_id=project.id or 0,
                kind=BenefitKind.FISCAL,
                description="Fewer agency hours",
                amount=Decimal("3000.00"),
                beneficiary="The council",
                confidence=1,
            )
    seen = statement_counter(engine)

    async def statements_for(first: int) -> list[str]:
        start = len(seen)
        data = await api.data(PAGE_OF_PROJECTS, {"first": first}, token=token)
        nodes: list[dict[str, Any]] = data["projects"]["nodes"]
        assert len(nodes) == first
        # each: 3,000 / 1,000 = 3.0; the benefit falls in month 1, so payback is 1
        assert {n["economics"]["benefitCostRatio"] for n in nodes} == {3.0}
        assert {n["economics"]["paybackMonths"] for n in nodes} == {1}
        return seen[start:]

    # A token's first use of the minute records its last use: keep that write out of it.
    await statements_for(1)
    ten = await statements_for(10)
    forty = await statements_for(40)

    # then the count does not grow with the page: one statement for all the costs and
    # one for all the benefits of the page
    assert len(ten) == len(forty)
    assert sum(" FROM cost " in s.replace("\n", " ") for s in forty) == 1
    assert sum(" FROM benefit " in s.replace("\n", " ") for s in forty) == 1
    await client.aclose()


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            {"periodStart": "1989-12-31"},
            "periodStart",
            "periodStart must be from 1 January 1990 to 31 December 2100, not 1989-12-31",
        ),
        (
            {"periodStart": "2025-04-01", "periodEnd": "9999-12-31"},
            "periodEnd",
            "periodEnd must be from 1 January 1990 to 31 December 2100, not 9999-12-31",
        ),
        (
            {"periodStart": "2025-04-01", "periodEnd": "2055-04-01"},
            "periodEnd",
            "a period may last at most 30 years: periodEnd must be before 2055-04-01",
        ),
        (
            {"periodStart": "2024-02-29", "periodEnd": "2054-03-01"},
            "periodEnd",
            "a period may last at most 30 years: periodEnd must be before 2054-03-01",
        ),
    ],
)
async def test_a_period_out_of_bounds_is_refused_naming_its_field(
    api: Any, token: str, project: Project, period: dict[str, str], field: str, message: str
) -> None:
    benefit = benefit_input(
        project, kind="FISCAL", beneficiary="The council", confidence=1, **period
    )
    benefit["amount"] = {"amount": "1000.00"}
    cost = cost_input(project, "1000.00", 1, **period)

    refused = [await record_benefit(api, token, benefit), await record_cost(api, token, cost)]

    for payload in refused:
        assert payload["userErrors"] == [
            {"field": ["input", field], "code": "INVALID", "message": message}
        ]
    figures = (await economics(api, token, project))["economics"]
    assert figures["grossCost"]["amount"] == "0.00"


async def test_a_thirty_year_period_counts_to_the_penny(
    api: Any, token: str, project: Project
) -> None:
    # 36,000.00 over 360 months from April 2025 is 1,200.00 a year for 30 years; at
    # grade 1 nothing is taken off. Present value: the sum of 1,200 / 1.035^t for t = 0
    # to 29, before the line is rounded: 22,842.92 (the geometric series
    # 1,200 x (1 - 1.035^-30) / (1 - 1/1.035) = 22,842.9204...).
    benefit = benefit_input(
        project,
        kind="FISCAL",
        beneficiary="The council",
        confidence=1,
        periodStart="2025-04-01",
        periodEnd="2055-03-31",
    )
    benefit["amount"] = {"amount": "36000.00"}
    await record_benefit(api, token, benefit)
    await record_cost(api, token, cost_input(project, "12000.00", 1))

    figures = (await economics(api, token, project))["economics"]

    assert figures["presentValueBenefit"]["amount"] == "22842.92"
    # 100.00 a month: by month 120 the 12,000.00 of costs are met.
    assert figures["paybackMonths"] == 120
