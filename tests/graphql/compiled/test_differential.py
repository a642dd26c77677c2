"""Compiled reads answer exactly as the resolvers do, for every reader.

Each document of the corpus runs as each reader twice, through an app that compiles
reads (the default) and through one that sends every query to the resolvers
(`fast_reads=False`); the two responses must be the same JSON. A second set of tests
makes sure the compiled path is taken at all, so that agreement cannot come from both
apps running the resolvers.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from conftest import World, is_postgres, statement_counter
from sqlalchemy.engine import Engine

from inset.access import Actor
from inset.app import create_app
from inset.config import Settings
from inset.db import transaction
from inset.economics import corrections as economics_corrections
from inset.economics import service as economics
from inset.economics.models import BenefitKind, CostCategory, ProjectEconomics
from inset.ids import from_global_id, to_global_id
from inset.organisations.models import OrganisationKind
from inset.projects import replication
from inset.projects import service as projects
from inset.projects.models import Visibility

PRIVATE, MEMBERS, PUBLIC = Visibility.PRIVATE, Visibility.MEMBERS, Visibility.PUBLIC
READERS = ["anonymous", "member", "lead", "partner lead", "outside lead", "staff"]

PROJECT_FIELDS = """
  __typename id title summary problem theoryOfChange stage status visibility innovationType
  evidenceLevel startedOn stageEnteredAt revisitOn createdAt updatedAt version externalId
  leadOrganisation { __typename id name kind sector region }
  partners { id name kind sector region }
  themes { __typename id name slug }
"""
MONEY = "{ __typename amount currency }"
# every field but fiscalRoi, whose negative zero SQLite cannot hold (see "fiscal returns")
ECONOMICS_FIELDS = f"""
  __typename grossCost {MONEY} totalCost {MONEY} grossBenefit {MONEY}
  adjustedBenefit {MONEY} netBenefit {MONEY} benefitCostRatio paybackMonths
  presentValueBenefit {MONEY}
"""
PAGE_INFO = "pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }"

# (name, document, variables); "{lead_id}" and the like are filled in from the world.
CORPUS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "node project",
        f'{{ node(id: "{{public}}") {{ ... on Project {{ {PROJECT_FIELDS} }} }} }}',
        {},
    ),
    (
        "node private",
        f'{{ node(id: "{{private}}") {{ id ... on Project {{ {PROJECT_FIELDS} }} }} }}',
        {},
    ),
    (
        "node members",
        '{ node(id: "{members}") { __typename ... on Project { title visibility } } }',
        {},
    ),
    ("node archived", '{ node(id: "{archived}") { id ... on Project { title } } }', {}),
    ("node shared", '{ node(id: "{shared}") { ... on Project { title partners { name } } } }', {}),
    (
        "node organisation",
        '{ node(id: "{lead_org}") { __typename id ... on Organisation { name kind'
        " sector region } } }",
        {},
    ),
    (
        "node theme",
        '{ node(id: "{theme}") { id ... on Theme { name slug } ... on Project { title } } }',
        {},
    ),
    ("node missing", '{ node(id: "{missing}") { id } }', {}),
    ("node bad id", '{ node(id: "not-an-id") { id } a: node(id: "") { id } }', {}),
    ("node of another kind", '{ node(id: "{token}") { id } }', {}),
    (
        "node with variables",
        "query One($id: ID!, $withThemes: Boolean!, $skipLead: Boolean = false) {"
        " node(id: $id) { id ...P } }"
        " fragment P on Project { title themes @include(if: $withThemes) { name }"
        " leadOrganisation @skip(if: $skipLead) { name } }",
        {"id": "{shared}", "withThemes": True},
    ),
    (
        "aliases and merged fields",
        '{ first: node(id: "{shared}") { ... on Project { t: title title'
        " leadOrganisation { name } leadOrganisation { id } } }"
        ' second: node(id: "{public}") { ... on Node { id } ... on Project { title } } }',
        {},
    ),
    (
        "nodes of every kind",
        '{ nodes(ids: ["{public}", "{private}", "{lead_org}", "{theme}", "bad", "{missing}"])'
        " { __typename id ... on Project { title } ... on Organisation { name } } }",
        {},
    ),
    ("nodes of none", "{ nodes(ids: []) { id } }", {}),
    (
        "wider than a database function takes",
        '{ node(id: "{public}") { ... on Project {'
        + PROJECT_FIELDS
        + " ".join(f"t{n}: title" for n in range(30))
        + " } } }",
        {},
    ),
    (
        "replications",
        '{ a: node(id: "{public}") { ... on Project { title replicatedFrom { title }'
        " replications { title visibility replicatedFrom { title } leadOrganisation { name } } } }"
        ' b: node(id: "{shared}") { ... on Project { replications { id title } } } }',
        {},
    ),
    (
        "page with replications",
        "{ projects(first: 20) { nodes { title replicatedFrom { id title visibility }"
        " replications { title } } } }",
        {},
    ),
    ("typename of the query", '{ __typename node(id: "{public}") { __typename } }', {}),
    (
        "page",
        f"{{ projects {{ totalCount edges {{ cursor node {{ {PROJECT_FIELDS} }} }}"
        f" {PAGE_INFO} }} }}",
        {},
    ),
    (
        "page of nodes",
        f"{{ projects(first: 3) {{ nodes {{ id title }} {PAGE_INFO} totalCount }} }}",
        {},
    ),
    (
        "page after a cursor",
        f"query P($after: String) {{ projects(first: 2, after: $after) {{ edges {{"
        f" cursor node {{ title }} }} {PAGE_INFO} }} }}",
        {"after": "{cursor}"},
    ),
    (
        "last page",
        f"{{ projects(last: 2) {{ edges {{ cursor node {{ title }} }} {PAGE_INFO} }} }}",
        {},
    ),
    (
        "before a cursor",
        f"query P($before: String) {{ projects(last: 2, before: $before) {{ edges {{"
        f" node {{ title }} }} {PAGE_INFO} }} }}",
        {"before": "{cursor}"},
    ),
    (
        "order by title",
        f"{{ projects(orderBy: {{field: TITLE, direction: ASC}}) {{ edges {{ cursor"
        f" node {{ title }} }} {PAGE_INFO} }} }}",
        {},
    ),
    (
        "order by updated",
        f"{{ projects(first: 4, orderBy: {{field: UPDATED_AT}}) {{ edges {{ cursor"
        f" node {{ id }} }} {PAGE_INFO} }} }}",
        {},
    ),
    (
        "filtered",
        "query F($f: ProjectFilter) { projects(filter: $f) { totalCount nodes {"
        " title stage visibility } } }",
        {"f": {"visibility": ["PUBLIC", "PRIVATE"], "search": "project"}},
    ),
    (
        "filtered by organisation and theme",
        '{ projects(filter: {organisations: ["{partner_org}"], themes:'
        ' ["{theme}"]}) { totalCount nodes { title } } }',
        {},
    ),
    (
        "empty page",
        '{ projects(filter: {search: "no such words"}) { totalCount edges { cursor'
        " } nodes { id } pageInfo { hasNextPage startCursor endCursor } } }",
        {},
    ),
    ("bad cursor", '{ projects(after: "nonsense") { nodes { id } } }', {}),
    ("bad page size", "{ projects(first: 1000) { nodes { id } } }", {}),
    (
        "bad variable",
        "query P($first: Int) { projects(first: $first) { nodes { id } } }",
        {"first": "ten"},
    ),
    (
        "organisations",
        f"{{ organisations {{ totalCount edges {{ cursor node {{ id name kind sector"
        f" region }} }} {PAGE_INFO} }} }}",
        {},
    ),
    (
        "organisations with projects",
        "{ organisations(first: 10) { nodes { name projects(first: 2) { totalCount"
        f" edges {{ cursor node {{ title partners {{ name }} }} }} {PAGE_INFO} }} }} }} }}",
        {},
    ),
    (
        "organisations filtered",
        '{ organisations(filter: {kinds: [CHARITY], search: "trust"}) { nodes { name kind } } }',
        {},
    ),
    (
        "organisation projects after a cursor",
        "query O($id: ID!, $after: String) { node(id: $id) { ... on Organisation {"
        " projects(first: 1, after: $after) { nodes { title } pageInfo {"
        " hasNextPage hasPreviousPage } } } } }",
        {"id": "{lead_org}", "after": "{cursor}"},
    ),
    (
        "nested partners' projects",
        "{ projects(first: 3) { nodes { title partners { name projects { totalCount"
        " nodes { title } } } } } }",
        {},
    ),
    (
        "page with economics",
        f"{{ projects(first: 20) {{ totalCount nodes {{ id title economics {{"
        f" {ECONOMICS_FIELDS} }} }} }} }}",
        {},
    ),
    (
        "node with economics",
        f"query One($id: ID!) {{ node(id: $id) {{ ... on Project {{ title economics {{"
        f" {ECONOMICS_FIELDS} fiscalRoi }} }} }} }}",
        {"id": "{public}"},
    ),
    (
        "economics with aliases and fragments",
        '{ a: node(id: "{public}") { ...E } b: node(id: "{partner}") { ...E }'
        ' c: node(id: "{private}") { ...E } }'
        " fragment E on Project { figures: economics { ...M costs: totalCost { pounds: amount }"
        " bcr: benefitCostRatio months: paybackMonths } economics { netBenefit { amount } } }"
        " fragment M on Economics { grossCost { amount } totalCost { currency } }",
        {},
    ),
    (
        "fiscal returns",
        "{ projects { nodes { title economics { fiscalRoi benefitCostRatio } } } }",
        {},
    ),
    (
        "economics under organisations",
        "{ organisations(first: 5) { nodes { name projects(first: 3) { nodes { title"
        " economics { totalCost { amount } adjustedBenefit { amount } paybackMonths } } } } } }",
        {},
    ),
    (
        "fields the compiler leaves to the resolvers",
        "{ projects(first: 2) { nodes { title daysInStage lessons { totalCount } } } }",
        {},
    ),
]


@dataclass
class Setting:
    world: World
    ids: dict[str, str]
    tokens: dict[str, str | None]


@pytest.fixture
def setting(world: World, engine: Engine) -> Setting:
    staff = world.staff
    lead_org = world.org(name="Northshire Council")
    partner_org = world.org(name="Brightside Trust", kind=OrganisationKind.CHARITY, region=None)
    outside_org = world.org(
        name="Élan Fostering", kind=OrganisationKind.INDEPENDENT_FOSTERING_AGENCY
    )
    lead, member = world.lead(lead_org), world.member(lead_org)
    partner_lead, outside_lead = world.lead(partner_org), world.lead(outside_org)
    themes = [world.theme("Early help").id, world.theme("Stable homes").id]
    made: dict[str, Any] = {}
    for name, visibility, extra in [
        ("public", PUBLIC, {"theme_ids": themes, "started_on": date(2024, 4, 1)}),
        ("members", MEMBERS, {"theme_ids": themes[:1]}),
        ("private", PRIVATE, {"problem": "Placements break down.", "external_id": "NS-1"}),
        ("shared", PRIVATE, {"partner_organisation_ids": [partner_org.id], "theme_ids": themes}),
        ("archived", PUBLIC, {}),
        ("titled", PUBLIC, {"title": 'Ünïcode "quoted" title'}),
    ]:
        made[name] = world.project(lead, visibility=visibility, **extra)
    made["outside"] = world.project(outside_lead, visibility=MEMBERS, title="A project far away")
    made["partner"] = world.project(
        partner_lead, visibility=PUBLIC, partner_organisation_ids=[lead_org.id]
    )
    with transaction(engine) as session:
        made["copy"] = replication.replicate_project(
            session=session, actor=outside_lead, project_id=made["public"].id, visibility=MEMBERS
        )
    with transaction(engine) as session:
        made["private copy"] = replication.replicate_project(
            session=session, actor=partner_lead, project_id=made["shared"].id
        )
    with transaction(engine) as session:
        projects.archive_project(
            session=session, actor=staff, project_id=made["archived"].id, reason="test"
        )
    _record_lines(engine, made, lead, partner_lead, staff)
    ids = {name: to_global_id("Project", row.id) for name, row in made.items()}
    ids.update(
        lead_org=to_global_id("Organisation", lead_org.id or 0),
        partner_org=to_global_id("Organisation", partner_org.id or 0),
        theme=to_global_id("Theme", themes[0] or 0),
        missing=to_global_id("Project", 999_999),
        token=to_global_id("ApiToken", 1),
    )
    readers: dict[str, Actor | None] = {
        "anonymous": None,
        "member": member,
        "lead": lead,
        "partner lead": partner_lead,
        "outside lead": outside_lead,
        "staff": staff,
    }
    tokens = {who: (world.token(actor) if actor else None) for who, actor in readers.items()}
    return Setting(world, ids, tokens)


def _record_lines(
    engine: Engine, made: dict[str, Any], lead: Actor, partner_lead: Actor, staff: Actor
) -> None:
    """Costs and benefits whose figures take every form the API writes: pence, whole
    pounds, ratios with and without decimals, a negative return, a negative zero, nulls;
    with archived lines, which count for nothing, and corrected ones."""
    cost, benefit = economics.record_cost, economics.record_benefit
    staff_row = CostCategory.STAFF
    fiscal = BenefitKind.FISCAL
    with transaction(engine) as session:
        public = made["public"].id
        cost(
            session=session,
            actor=lead,
            project_id=public,
            category=staff_row,
            description="Two social workers",
            amount=Decimal("10500.00"),
            confidence=3,
        )
        cost(
            session=session,
            actor=lead,
            project_id=public,
            category=CostCategory.TRAINING,
            description="Training",
            amount=Decimal("1999.99"),
            confidence=1,
        )
        dropped = cost(
            session=session,
            actor=lead,
            project_id=public,
            category=staff_row,
            description="Entered twice",
            amount=Decimal("10500.00"),
            confidence=3,
        )
        benefit(
            session=session,
            actor=lead,
            project_id=public,
            kind=fiscal,
            description="Placements avoided",
            amount=Decimal("30000.00"),
            beneficiary="Northshire Council",
            period_start=date(2024, 4, 1),
            period_end=date(2026, 3, 31),
            deadweight=Decimal("0.1"),
            attribution=Decimal("0.8"),
            confidence=2,
        )
        benefit(
            session=session,
            actor=lead,
            project_id=public,
            kind=BenefitKind.SOCIAL,
            description="Wellbeing",
            amount=None,
            confidence=4,
        )
        corrected = benefit(
            session=session,
            actor=lead,
            project_id=public,
            kind=BenefitKind.ECONOMIC,
            description="Into work",
            amount=Decimal("100.00"),
            confidence=5,
        )
    with transaction(engine) as session:
        economics.archive_cost(
            session=session, actor=staff, cost_id=dropped.id or 0, reason="a duplicate"
        )
    with transaction(engine) as session:
        economics_corrections.update_benefit(
            session=session,
            actor=lead,
            benefit_id=corrected.id or 0,
            expected_version=1,
            changes={"amount": Decimal("4321.07"), "deadweight": Decimal("0.25")},
        )
    with transaction(engine) as session:
        # fiscal savings 0.2% short of the cost: a return of -0.00, written "-0.0"
        shared = made["shared"].id
        cost(
            session=session,
            actor=lead,
            project_id=shared,
            category=staff_row,
            description="A coordinator",
            amount=Decimal("1000.00"),
            confidence=1,
        )
        benefit(
            session=session,
            actor=lead,
            project_id=shared,
            kind=fiscal,
            description="Fewer moves",
            amount=Decimal("998.00"),
            beneficiary="Northshire Council",
            confidence=1,
        )
        # whole pounds and a ratio of exactly 2: "2.0"
        partner = made["partner"].id
        cost(
            session=session,
            actor=partner_lead,
            project_id=partner,
            category=staff_row,
            description="A mentor",
            amount=Decimal("500"),
            confidence=1,
        )
        benefit(
            session=session,
            actor=partner_lead,
            project_id=partner,
            kind=fiscal,
            description="Savings",
            amount=Decimal("1000"),
            beneficiary="Brightside Trust",
            confidence=1,
        )
        # a benefit and no cost: null ratios
        benefit(
            session=session,
            actor=lead,
            project_id=made["private"].id,
            kind=BenefitKind.SOCIAL,
            description="Stability",
            amount=Decimal("0.01"),
            confidence=6,
        )


@pytest.fixture
async def clients(engine: Engine, db_url: str) -> AsyncIterator[dict[bool, httpx.AsyncClient]]:
    """Two apps on one database, with and without compiled reads; no rate limit, whose
    remaining points would differ from one request to the next."""
    found: dict[bool, httpx.AsyncClient] = {}
    opened = []
    for fast in (True, False):
        settings = Settings(
            database_url=db_url, secret_key="test-secret-key", fast_reads=fast, rate_limit_bucket=0
        )
        transport = httpx.ASGITransport(app=create_app(settings, engine))
        client = httpx.AsyncClient(transport=transport, base_url="http://inset.test")
        opened.append(client)
        found[fast] = client
    yield found
    for client in opened:
        await client.aclose()


def _fill(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace("{" + name + "}", value)
    return text


def _filled(value: Any, ids: dict[str, str]) -> Any:
    return json.loads(_fill(json.dumps(value), ids))


async def _ask(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None
) -> httpx.Response:
    headers = {"Accept": "application/json", "X-Request-ID": "differential"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = {"query": query, "variables": variables}
    return await client.post("/graphql", json=body, headers=headers)


async def _cursor(client: httpx.AsyncClient, ids: dict[str, str]) -> None:
    """The staff's cursor after the first project: for the documents that page on."""
    found = await _ask(client, "{ projects(first: 1) { pageInfo { endCursor } } }", {}, None)
    ids["cursor"] = found.json()["data"]["projects"]["pageInfo"]["endCursor"]


@pytest.mark.parametrize("reader", READERS)
async def test_compiled_reads_answer_as_the_resolvers_do(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], reader: str
) -> None:
    await _cursor(clients[False], setting.ids)
    token = setting.tokens[reader]
    for name, document, variables in CORPUS:
        query, values = _fill(document, setting.ids), _filled(variables, setting.ids)
        fast = await _ask(clients[True], query, values, token)
        reference = await _ask(clients[False], query, values, token)
        assert fast.status_code == reference.status_code, name
        assert fast.headers["content-type"] == reference.headers["content-type"], name
        assert _numbers_as_written(fast) == _numbers_as_written(reference), f"{name} as {reader}"


def _numbers_as_written(response: httpx.Response) -> Any:
    """The JSON, with each number as its text: "2.0" and "2" are not the same answer."""
    return json.loads(
        response.text,
        parse_float=lambda text: ("float", text),
        parse_int=lambda text: ("int", text),
    )


COMPILED = [
    "node project",
    "replications",
    "page with replications",
    "nodes of every kind",
    "node private",
    "node missing",
    "node bad id",
    "node with variables",
    "aliases and merged fields",
    "page",
    "page after a cursor",
    "last page",
    "order by updated",
    "filtered",
    "empty page",
    "organisations with projects",
    "nested partners' projects",
    "page with economics",
    "node with economics",
    "economics with aliases and fragments",
    "economics under organisations",
]


@pytest.mark.parametrize("name", COMPILED)
async def test_a_compiled_read_is_one_statement(
    setting: Setting,
    clients: dict[bool, httpx.AsyncClient],
    engine: Engine,
    name: str,
) -> None:
    """What the compiler knows reads its data in one statement, whatever the size of the
    page and however deep; the resolvers take several for the same documents."""
    await _cursor(clients[False], setting.ids)
    document, variables = next((d, v) for n, d, v in CORPUS if n == name)
    query, values = _fill(document, setting.ids), _filled(variables, setting.ids)
    token = setting.tokens["staff"]
    await _ask(clients[True], query, values, token)  # the token's first use is written down
    seen = statement_counter(engine)
    response = await _ask(clients[True], query, values, token)
    assert "errors" not in response.json()
    reads = [statement for statement in seen if _reads_records(statement)]
    assert len(reads) == 1, reads
    assert _builds_json(reads[0]), reads[0]


def _reads_records(statement: str) -> bool:
    """A statement that reads projects, organisations or themes, or builds the data
    without them (an id that names nothing): not the token's account, which every
    request checks."""
    lowered = statement.lower()
    tables = ("project", "organisation", "theme")
    return _builds_json(statement) or any(f"from {t}" in lowered for t in tables)


def _builds_json(statement: str) -> bool:
    """The statement of a compiled read: its value is the document, built in SQL."""
    lowered = " ".join(statement.lower().split())
    built = ("select json_object(", "select cast(json_build_object(")
    return lowered.startswith(built) or (
        lowered.startswith("with ") and any(f") {start}" in lowered for start in built)
    )


async def test_the_resolvers_take_several_statements_for_a_page(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], engine: Engine
) -> None:
    """The figure the compiled path improves on: the same page through the resolvers."""
    document = next(d for n, d, _ in CORPUS if n == "page")
    seen = statement_counter(engine)
    await _ask(clients[False], _fill(document, setting.ids), {}, setting.tokens["staff"])
    reads = [statement for statement in seen if _reads_records(statement)]
    assert len(reads) > 1
    assert not any(map(_builds_json, reads))


def test_the_leftover_fields_are_named() -> None:
    """The corpus holds documents the compiler leaves to the resolvers, and they agree too."""
    names = {name for name, _, _ in CORPUS}
    assert "fields the compiler leaves to the resolvers" in names


def test_fast_reads_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().fast_reads is True
    monkeypatch.setenv("INSET_FAST_READS", "0")
    assert Settings.from_env().fast_reads is False


BY_ID = (
    "query One($id: ID!) { node(id: $id) { __typename id"
    " ... on Project { title visibility partners { name } }"
    " ... on Organisation { name projects(first: 2) { totalCount nodes { title } } } } }"
)
# The id also names the organisation of a filter: its value is part of the statement.
ID_IN_A_FILTER = (
    "query Both($id: ID!) { node(id: $id) { id }"
    " projects(filter: {organisations: [$id]}) { totalCount nodes { title } } }"
)


@pytest.mark.parametrize("reader", ["anonymous", "outside lead", "staff"])
async def test_one_document_for_many_ids_answers_for_each(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], reader: str
) -> None:
    """A statement built for one id serves the next only as far as the id goes: records
    of another type, out of reach, or not there at all each answer as the resolvers do."""
    token = setting.tokens[reader]
    names = ["public", "private", "archived", "lead_org", "shared", "theme", "missing"]
    # "Project" alone is no id, though it names the type the statement was built for
    ids = [setting.ids[name] for name in names] + ["not-an-id", "Project", setting.ids["public"]]
    for document in (BY_ID, ID_IN_A_FILTER):
        for global_id in [*ids, setting.ids["lead_org"], setting.ids["partner_org"]]:
            fast = await _ask(clients[True], document, {"id": global_id}, token)
            reference = await _ask(clients[False], document, {"id": global_id}, token)
            assert fast.json() == reference.json(), (document, global_id, reader)


PAGING = (
    "query Next($after: String, $size: Int) { projects(first: $size, after: $after,"
    " orderBy: {field: TITLE, direction: ASC}) { edges { cursor node { title } }"
    " pageInfo { hasNextPage hasPreviousPage endCursor } } }"
)


@pytest.mark.parametrize("reader", ["anonymous", "member", "staff"])
async def test_paging_with_a_cursor_variable_answers_each_page(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], reader: str
) -> None:
    """One statement serves every page of a list; a cursor that is not this list's, or
    not a cursor, still gets the resolvers' error in between."""
    token = setting.tokens[reader]
    organisations = await _ask(
        clients[False], "{ organisations(first: 1) { pageInfo { endCursor } } }", {}, None
    )
    foreign = organisations.json()["data"]["organisations"]["pageInfo"]["endCursor"]
    after: str | None = None
    pages = 0
    while True:
        for wrong in ("nonsense", foreign, ""):
            values = {"after": wrong, "size": 2}
            fast = await _ask(clients[True], PAGING, values, token)
            reference = await _ask(clients[False], PAGING, values, token)
            assert fast.json() == reference.json(), wrong
        fast = await _ask(clients[True], PAGING, {"after": after, "size": 2}, token)
        reference = await _ask(clients[False], PAGING, {"after": after, "size": 2}, token)
        assert fast.json() == reference.json(), after
        page = fast.json()["data"]["projects"]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages >= 2


async def test_a_compiled_read_is_charged_and_costed_as_before(
    setting: Setting, engine: Engine, db_url: str
) -> None:
    """The rate limit charges a compiled read as any other, and `extensions.cost` counts
    the objects of its lists as it counts the resolvers'."""
    document = next(d for n, d, _ in CORPUS if n == "page")
    query = _fill(document, setting.ids)
    answers = []
    for fast in (True, False):
        settings = Settings(database_url=db_url, secret_key="test-secret-key", fast_reads=fast)
        transport = httpx.ASGITransport(app=create_app(settings, engine))
        async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
            answers.append(await _ask(client, query, {}, setting.tokens["member"]))
    fast, reference = answers
    assert fast.json()["data"] == reference.json()["data"]
    costs = [a.json()["extensions"]["cost"] for a in answers]
    assert costs[0]["requestedQueryCost"] == costs[1]["requestedQueryCost"]
    assert costs[0]["actualQueryCost"] == costs[1]["actualQueryCost"] > 1
    for answer, cost in zip(answers, costs, strict=True):
        limit = int(answer.headers["X-RateLimit-Limit"])
        assert int(answer.headers["X-RateLimit-Used"]) >= cost["requestedQueryCost"]
        assert cost["throttleStatus"]["maximumAvailable"] == limit


SEARCH = "query S($q: String) { projects(filter: {search: $q}) { totalCount nodes { title } } }"


async def test_a_query_built_anew_each_time_goes_to_the_resolvers(
    setting: Setting,
    clients: dict[bool, httpx.AsyncClient],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A statement per search term would cost more to build than it saves: after a few,
    the query is answered by the resolvers, with the same answers."""
    from inset.graphql.compiled import reads

    monkeypatch.setattr(reads, "MAX_SHAPES", 2)
    compiled = []
    for words in ("project", "title", "far away", "quoted"):
        seen = statement_counter(engine)
        fast = await _ask(clients[True], SEARCH, {"q": words}, None)
        compiled.append(any(map(_builds_json, seen)))
        reference = await _ask(clients[False], SEARCH, {"q": words}, None)
        assert fast.json() == reference.json(), words
    assert compiled == [True, True, False, False]


async def test_economics_come_from_the_stored_figures(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], engine: Engine
) -> None:
    """The compiled path reads the stored row, worked out when the lines changed: the
    figures by hand, for the project with archived and corrected lines."""
    query = next(d for n, d, _ in CORPUS if n == "node with economics")
    values = {"id": setting.ids["public"]}
    seen = statement_counter(engine)
    fast = await _ask(clients[True], query, values, setting.tokens["staff"])
    assert any(map(_builds_json, seen))
    figures = fast.json()["data"]["node"]["economics"]
    # costs 10,500.00 at grade 3 (+10%) and 1,999.99 at grade 1; the duplicate archived
    assert figures["grossCost"] == {"__typename": "Money", "amount": "12499.99", "currency": "GBP"}
    assert figures["totalCost"]["amount"] == "13549.99"  # 11,550.00 + 1,999.99
    # 30,000 x 0.9 x 0.8 x (1 - 5%) = 20,520.00; the correction: 4,321.07 x 0.75 x 0.75
    # (grade 5: -25%) = 2,430.60 (2,430.601875 to the penny)
    assert figures["grossBenefit"]["amount"] == "34321.07"
    assert figures["adjustedBenefit"]["amount"] == "22950.60"
    assert figures["netBenefit"]["amount"] == "9400.61"
    assert figures["benefitCostRatio"] == 1.69  # 22,950.60 / 13,549.99 = 1.6937...
    assert figures["fiscalRoi"] == 0.51  # (20,520.00 - 13,549.99) / 13,549.99 = 0.5143...
    reference = await _ask(clients[False], query, values, setting.tokens["staff"])
    assert _numbers_as_written(fast) == _numbers_as_written(reference)


async def test_stored_figures_on_another_basis_are_not_shown(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], engine: Engine
) -> None:
    """A row worked out with another optimism bias than the server's (or none at all) is
    never shown: the resolvers work the figures out from the lines instead."""
    query = next(d for n, d, _ in CORPUS if n == "page with economics")
    public = int(from_global_id(setting.ids["public"])[1])  # type: ignore[index]
    partner = int(from_global_id(setting.ids["partner"])[1])  # type: ignore[index]
    with transaction(engine) as session:
        stale = session.get(ProjectEconomics, public)
        assert stale is not None
        stale.basis = "method 0; optimism bias in basis points by grade: 0,0,0,0,0,0"
        stale.total_cost = Decimal("1.00")
        gone = session.get(ProjectEconomics, partner)
        session.delete(gone)
    token = setting.tokens["staff"]
    fast = await _ask(clients[True], query, {}, token)
    reference = await _ask(clients[False], query, {}, token)
    assert _numbers_as_written(fast) == _numbers_as_written(reference)
    totals = [
        p["economics"]["totalCost"]["amount"] for p in fast.json()["data"]["projects"]["nodes"]
    ]
    assert "13549.99" in totals  # the resolvers' figure for the stale row
    assert "1.00" not in totals


async def test_a_negative_zero_return_is_written_as_python_writes_it(
    setting: Setting, clients: dict[bool, httpx.AsyncClient], engine: Engine
) -> None:
    """Fiscal savings just short of the cost give a return of -0.00, which the API writes
    "-0.0". PostgreSQL keeps the sign and the compiled read writes it; SQLite stores no
    negative zero, so there the resolvers answer whenever a return is zero."""
    query = next(d for n, d, _ in CORPUS if n == "fiscal returns")
    token = setting.tokens["staff"]
    await _ask(clients[True], query, {}, token)  # the token's first use is written down
    seen = statement_counter(engine)
    fast = await _ask(clients[True], query, {}, token)
    reads = [statement for statement in seen if _reads_records(statement)]
    returns = {
        node["title"]: node["economics"]["fiscalRoi"]
        for node in _numbers_as_written(fast)["data"]["projects"]["nodes"]
    }
    assert ("float", "-0.0") in returns.values()  # the shared project's
    assert ("float", "1.0") in returns.values()  # the partner's: 1,000 of savings on 500
    reference = await _ask(clients[False], query, {}, token)
    assert _numbers_as_written(fast) == _numbers_as_written(reference)
    assert _builds_json(reads[0])
    if is_postgres():
        assert len(reads) == 1
    else:
        assert len(reads) > 1  # the compiled statement, then the resolvers'
