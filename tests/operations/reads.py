"""What each demo reader sees through the API, to compare one database with another.

The selections are made from the schema: every field without required arguments whose
type is a scalar, an enum or a plain object (not a record of its own, not a connection),
so that a field added to a type is compared too. `asOf`, the moment of asking, is left
out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import graphql
import httpx
from sqlalchemy.engine import Engine

from inset.app import create_app
from inset.config import Settings
from inset.graphql.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SECRET_KEY = "test-secret-key"
# The demo accounts of README.md, one per kind of reader.
READERS = {
    "staff": ("staff@inset.example", "demo-staff-inset"),
    "lead": ("lead@northmoor.example", "demo-lead-northmoor"),
    "member": ("member@northmoor.example", "demo-member-northmoor"),
    "anonymous": None,
}
SIGN_IN = """mutation ($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { account { id } userErrors { code } } }"""

_SCHEMA = graphql.build_schema(build_schema().as_str())


def fields(type_name: str) -> str:
    """Every plain field of the type, nested plain objects included."""
    kind = _SCHEMA.get_type(type_name)
    assert isinstance(kind, graphql.GraphQLObjectType), type_name
    chosen = []
    for name, field in kind.fields.items():
        if name == "asOf" or any(graphql.is_required_argument(a) for a in field.args.values()):
            continue
        named = graphql.get_named_type(field.type)
        if graphql.is_leaf_type(named):
            chosen.append(name)
        elif (
            isinstance(named, graphql.GraphQLObjectType)
            and "id" not in named.fields
            and not named.name.endswith("Connection")
        ):
            chosen.append(f"{name} {{ {fields(named.name)} }}")
    return " ".join(chosen)


def page(type_name: str, size: int = 10) -> str:
    return f"(first: {size}) {{ totalCount nodes {{ {fields(type_name)} }} }}"


EVERYTHING = f"""
query Everything {{
  viewer {{ {fields("Account")} organisation {{ id }} }}
  organisations(first: 50) {{
    totalCount
    nodes {{ {fields("Organisation")} projects(first: 10) {{ totalCount nodes {{ id }} }} }}
  }}
  themes {{ {fields("Theme")} }}
  projects(first: 20) {{
    totalCount
    nodes {{
      {fields("Project")}
      themes {{ id }} leadOrganisation {{ id }} partners {{ id }} lead {{ {fields("Account")} }}
      readiness {{ {fields("GateReadiness")} }}
      decisions{page("GateDecision")}
      evidence{page("Evidence")}
      outcomes {{ {fields("Outcome")} observations {{ {fields("Observation")} }} }}
      costs{page("Cost")}
      benefits{page("Benefit")}
      lessons{page("Lesson")}
    }}
  }}
  lessons(first: 100) {{
    totalCount nodes {{ {fields("Lesson")} project {{ id }} organisation {{ id }} }}
  }}
  searched: lessons(first: 20, search: "young people") {{ totalCount nodes {{ id snippet }} }}
}}
"""
# A portfolio weighs as the aggregate it is: alone in its query, as the web client asks it.
PORTFOLIO = f"""
query Portfolio {{
  portfolio {{ {fields("Portfolio")} stalled(days: 1, first: 50) {{ totalCount nodes {{ id }} }} }}
}}
"""
AUDIT = f"query Audit {{ auditLog{page('AuditEvent', 100)} }}"
NODES = "query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on Project { title version } } }"


@asynccontextmanager
async def clients(
    engine: Engine, url: str, cookies: dict[str, httpx.Cookies]
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A client per reader on the database, each with the reader's cookies."""
    app = create_app(Settings(database_url=url, secret_key=SECRET_KEY), engine)
    transport = httpx.ASGITransport(app=app)
    made = {
        reader: httpx.AsyncClient(
            transport=transport, base_url="http://inset.test", cookies=cookies.get(reader)
        )
        for reader in READERS
    }
    try:
        yield made
    finally:
        for client in made.values():
            await client.aclose()


async def sign_in(engine: Engine, url: str) -> dict[str, httpx.Cookies]:
    """Each demo reader's session cookie."""
    cookies = {}
    async with clients(engine, url, {}) as by_reader:
        for reader, credentials in READERS.items():
            if credentials is None:
                continue
            email, password = credentials
            client = by_reader[reader]
            answer = await client.post(
                "/graphql",
                json={"query": SIGN_IN, "variables": {"email": email, "password": password}},
            )
            assert answer.json()["data"]["signIn"]["userErrors"] == [], reader
            cookies[reader] = client.cookies
    return cookies


async def answers(
    engine: Engine, url: str, cookies: dict[str, httpx.Cookies], ids: list[str]
) -> dict[str, list[Any]]:
    """Every reader's answers to every query, request ids left out."""
    seen: dict[str, list[Any]] = {}
    async with clients(engine, url, cookies) as by_reader:
        for reader, client in by_reader.items():
            seen[reader] = []
            for query, variables in (
                (EVERYTHING, {}),
                (PORTFOLIO, {}),
                (AUDIT, {}),
                (NODES, {"ids": ids}),
            ):
                response = await client.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                body = response.json()
                body.pop("extensions", None)
                for error in body.get("errors", []):
                    error.get("extensions", {}).pop("requestId", None)
                seen[reader].append((response.status_code, body))
    return seen
