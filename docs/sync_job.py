"""A partner's nightly sync job: it pushes the partner's own projects and cost lines into
Inset, keyed by the partner's ids, and converges whatever happened before.

Run it again after any failure: a project or cost that already exists is found by its
externalId (or named by DUPLICATE's existingId), a changed cost is corrected with
updateCost, and a cost someone changed meanwhile (CONFLICT) is corrected again from its
current version, which the CONFLICT payload carries. A request refused by the rate limit
(THROTTLED, HTTP 429) is sent again after the Retry-After seconds the answer names.
Needs `pip install "gql[httpx]"`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.httpx import HTTPXTransport

PROJECTS = """
query Projects($keys: [String!], $first: Int, $after: String) {
  projects(filter: {externalIds: $keys}, first: $first, after: $after) {
    nodes { id externalId costs(first: 100) { nodes { ...CostFields } } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment CostFields on Cost { id externalId version description amount { amount } }
"""
CREATE_PROJECT = """
mutation Create($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } userErrors { code message existingId } }
}
"""
RECORD_COST = """
mutation Record($input: RecordCostInput!) {
  recordCost(input: $input) { cost { id } userErrors { code message existingId } }
}
"""
UPDATE_COST = """
mutation Update($input: UpdateCostInput!) {
  updateCost(input: $input) { cost { ...CostFields } userErrors { code message } }
}
fragment CostFields on Cost { id externalId version description amount { amount } }
"""
COST = """
query Cost($id: ID!) { node(id: $id) { ...CostFields } }
fragment CostFields on Cost { id externalId version description amount { amount } }
"""


@dataclass
class Stats:
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    conflicts: int = 0
    throttled: int = 0  # requests sent again after waiting out the rate limit


@dataclass
class SyncJob:
    """`projects` maps the partner's project id to its title and summary; `costs` maps the
    partner's cost id to (project id, description, amount in pounds as a string)."""

    url: str
    token: str
    organisation_id: str
    projects: dict[str, tuple[str, str]]
    costs: dict[str, tuple[str, str, str]]
    page_size: int = 50
    max_waits: int = 5  # THROTTLED answers to one request before giving up
    sleep: Callable[[float], None] = time.sleep
    stats: Stats = field(default_factory=Stats)
    found_projects: dict[str, str] = field(default_factory=dict)  # partner id -> Inset id
    found_costs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run(self) -> Stats:
        self.read()
        self.push()
        return self.stats

    def _call(self, document: str, **variables: Any) -> dict[str, Any]:
        """Sends one request; when the rate limit refuses it (nothing of it ran), waits the
        seconds its Retry-After header names and sends it again."""
        waits = 0
        while True:
            transport = HTTPXTransport(
                url=self.url, headers={"Authorization": f"Bearer {self.token}"}
            )
            try:
                with Client(transport=transport) as session:
                    return dict(
                        session.execute(GraphQLRequest(document, variable_values=variables))
                    )
            except (TransportQueryError, TransportServerError) as error:
                if not _throttled(error) or waits == self.max_waits:
                    raise
            waits += 1
            self.stats.throttled += 1
            self.sleep(float((transport.response_headers or {}).get("Retry-After", "1")))

    def read(self) -> None:
        """Pages through our projects in Inset, with their costs."""
        after = None
        while True:
            page = self._call(
                PROJECTS, keys=list(self.projects), first=self.page_size, after=after
            )["projects"]
            for project in page["nodes"]:
                self.found_projects[project["externalId"]] = project["id"]
                for cost in project["costs"]["nodes"]:
                    if cost["externalId"]:
                        self.found_costs[cost["externalId"]] = cost
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    def push(self) -> None:
        for key, (title, summary) in self.projects.items():
            if key not in self.found_projects:
                self.found_projects[key] = self._create_project(key, title, summary)
        for key, (project_key, description, amount) in self.costs.items():
            wanted = {"description": description, "amount": {"amount": amount}}
            cost = self.found_costs.get(key)
            if cost is None:
                cost = self._record_cost(key, self.found_projects[project_key], wanted)
                if cost is None:
                    self.stats.created += 1
                    continue
            self._correct(cost, wanted)

    def _create_project(self, key: str, title: str, summary: str) -> str:
        answer = self._call(
            CREATE_PROJECT,
            input={
                "title": title,
                "summary": summary,
                "innovationType": "PRACTICE",
                "leadOrganisationId": self.organisation_id,
                "externalId": key,
            },
        )["createProject"]
        return str(answer["project"]["id"] if answer["project"] else _existing(answer))

    def _record_cost(
        self, key: str, project_id: str, wanted: dict[str, Any]
    ) -> dict[str, Any] | None:
        """None when recorded now; the existing cost when it was there already."""
        answer = self._call(
            RECORD_COST,
            input={
                "projectId": project_id,
                "category": "STAFF",
                "confidence": 2,
                "externalId": key,
                **wanted,
            },
        )["recordCost"]
        if answer["cost"]:
            return None
        return dict(self._call(COST, id=_existing(answer))["node"])

    def _correct(self, cost: dict[str, Any], wanted: dict[str, Any]) -> None:
        for _ in range(3):
            if {"description": cost["description"], "amount": cost["amount"]} == wanted:
                self.stats.unchanged += 1
                return
            answer = self._call(
                UPDATE_COST, input={"id": cost["id"], "expectedVersion": cost["version"], **wanted}
            )["updateCost"]
            if not answer["userErrors"]:
                self.stats.corrected += 1
                return
            if answer["userErrors"][0]["code"] != "CONFLICT":
                raise RuntimeError(answer["userErrors"][0]["message"])
            # Someone changed it since we read it: decide afresh from the cost as it is now,
            # which the payload carries with its version (read it if a server leaves it out).
            self.stats.conflicts += 1
            cost = answer["cost"] or self._call(COST, id=cost["id"])["node"]
        raise RuntimeError(f"cost {cost['id']} keeps changing; try again later")


def _throttled(error: Exception) -> bool:
    """THROTTLED (HTTP 429): the bucket of our token could not pay for the request."""
    if isinstance(error, TransportServerError):
        return error.code == 429
    assert isinstance(error, TransportQueryError)
    return any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in error.errors or [])


def _existing(answer: dict[str, Any]) -> str:
    """The id DUPLICATE names: the record our key already holds."""
    [error] = answer["userErrors"]
    if error["code"] != "DUPLICATE":
        raise RuntimeError(error["message"])
    return str(error["existingId"])
