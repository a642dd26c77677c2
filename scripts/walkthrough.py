"""What a partner does over GraphQL, from an empty service to a project at SCALE.

    .venv/bin/python scripts/walkthrough.py http://127.0.0.1:8000 TOKENS.json

TOKENS.json maps roles to bearer secrets made with `inset token create`:
{"lead": ..., "member": ..., "partner_lead": ..., "outsider": ..., "staff": ...}, where
"lead" and "member" belong to the lead organisation, "partner_lead" to the partner named
on the project and "outsider" to an organisation with no part in it; the script takes
their organisations from `viewer`. It creates a project, watches `readiness` change as
records are added, takes every decision up to SCALE, stops a second project with a lesson,
and reads back what each role may see. It prints each step and exits non-zero at the first
thing that is not as the rules say.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx


class Failed(Exception):
    pass


VIEWER = "{ viewer { id role organisation { id name } } }"
CREATE = """mutation($input: CreateProjectInput!) { createProject(input: $input) {
  project { id version stage } userErrors { field code message } } }"""
UPDATE = """mutation($input: UpdateProjectInput!) { updateProject(input: $input) {
  project { id version } userErrors { field code message } } }"""
READINESS = """query($id: ID!) { node(id: $id) { ... on Project { stage status version evidenceLevel
  readiness { toStage ready criteria { code met mandatory } } } } }"""
OUTCOME = """mutation($input: DefineOutcomeInput!) { defineOutcome(input: $input) {
  outcome { id } userErrors { field code message } } }"""
OBSERVE = """mutation($input: ObserveOutcomeInput!) { observeOutcome(input: $input) {
  outcome { latest change improved } userErrors { field code message } } }"""
COST = """mutation($input: RecordCostInput!) { recordCost(input: $input) {
  cost { id } userErrors { field code message } } }"""
BENEFIT = """mutation($input: RecordBenefitInput!) { recordBenefit(input: $input) {
  benefit { id } userErrors { field code message } } }"""
EVIDENCE = """mutation($input: RecordEvidenceInput!) { recordEvidence(input: $input) {
  evidence { id } userErrors { field code message } } }"""
LESSON = """mutation($input: RecordLessonInput!) { recordLesson(input: $input) {
  lesson { id } userErrors { field code message } } }"""
DECIDE = """mutation($input: DecideGateInput!) { decideGate(input: $input) {
  decision { id decision fromStage toStage statusAfter } userErrors { field code message } } }"""
VISIBILITY = """mutation($input: SetVisibilityInput!) { setVisibility(input: $input) {
  project { version visibility } userErrors { field code message } } }"""
SEE = (
    """query($id: ID!) { node(id: $id) { id } projects(first: 100) { totalCount nodes { id } } }"""
)
ECONOMICS = """query($id: ID!) { node(id: $id) { ... on Project { economics {
  totalCost { amount } adjustedBenefit { amount } benefitCostRatio } } } }"""
AUDIT = "{ auditLog(first: 100) { totalCount nodes { action } } }"
SUMMARY = "A multi-agency team contacts every young person who went missing, within 72 hours."


class Partner:
    def __init__(self, base_url: str, tokens: dict[str, str]) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.tokens = tokens

    def call(self, role: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        if "errors" in body:
            raise Failed(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def mutate(self, role: str, query: str, input: dict[str, Any]) -> Any:
        data = self.call(role, query, {"input": input})
        payload = next(iter(data.values()))
        if payload["userErrors"]:
            raise Failed(f"user errors: {payload['userErrors']}")
        return payload

    def readiness(self, project_id: str) -> dict[str, Any]:
        node: dict[str, Any] = self.call("lead", READINESS, {"id": project_id})["node"]
        return node

    def unmet(self, project_id: str) -> list[str]:
        criteria = self.readiness(project_id)["readiness"]["criteria"]
        return [c["code"] for c in criteria if c["mandatory"] and not c["met"]]

    def decide(self, project_id: str, decision: str, rationale: str, **extra: Any) -> Any:
        version = self.readiness(project_id)["version"]
        return self.mutate(
            "lead",
            DECIDE,
            {
                "projectId": project_id,
                "decision": decision,
                "rationale": rationale,
                "expectedVersion": version,
                **extra,
            },
        )["decision"]


def step(text: str) -> None:
    print(f"- {text}", flush=True)


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def walk(p: Partner) -> None:
    lead = p.call("lead", VIEWER)["viewer"]
    partner = p.call("partner_lead", VIEWER)["viewer"]
    step(f"signed in as {lead['role']} of {lead['organisation']['name']}")

    created = p.mutate(
        "lead",
        CREATE,
        {
            "title": "Return-home conversations within 72 hours",
            "summary": SUMMARY,
            "innovationType": "PRACTICE",
            "leadOrganisationId": lead["organisation"]["id"],
            "partnerOrganisationIds": [partner["organisation"]["id"]],
            "startedOn": "2021-04-01",
            "idempotencyKey": "walkthrough-project-1",
        },
    )["project"]
    pid = created["id"]
    step(f"created project {pid} at {created['stage']}")
    replay = p.mutate(
        "lead",
        CREATE,
        {
            "title": "Return-home conversations within 72 hours",
            "summary": SUMMARY,
            "innovationType": "PRACTICE",
            "leadOrganisationId": lead["organisation"]["id"],
            "partnerOrganisationIds": [partner["organisation"]["id"]],
            "startedOn": "2021-04-01",
            "idempotencyKey": "walkthrough-project-1",
        },
    )["project"]
    expect(replay["id"] == pid, "a replayed createProject made a second project")
    before = p.unmet(pid)
    step(f"readiness for PILOT, unmet: {before}")
    expect(
        {"problem_stated", "theory_of_change_stated", "outcome_with_baseline", "estimated_cost"}
        <= set(before),
        f"a new project should miss the idea gate's criteria, not only {before}",
    )

    p.mutate(
        "lead",
        UPDATE,
        {
            "projectId": pid,
            "expectedVersion": created["version"],
            "problem": "Children who go missing repeatedly are at risk of exploitation.",
            "theoryOfChange": "Fast, trusted contact after each episode lowers repeat episodes.",
        },
    )
    outcome = p.mutate(
        "lead",
        OUTCOME,
        {
            "projectId": pid,
            "name": "Children missing",
            "unit": "children a month",
            "higherIsBetter": False,
            "baseline": "45",
            "baselineOn": "2021-07-01",
            "target": "20",
        },
    )["outcome"]
    p.mutate(
        "lead",
        COST,
        {
            "projectId": pid,
            "category": "STAFF",
            "description": "Two return-home workers for a year",
            "amount": {"amount": "80000.00"},
            "confidence": 3,
        },
    )
    expect(p.unmet(pid) == [], f"the idea gate should be met, still unmet: {p.unmet(pid)}")
    step("idea gate met: problem, theory of change, outcome with a baseline, an estimated cost")
    p.decide(pid, "GO", "Panel agreed to pilot in two localities.")
    expect(p.readiness(pid)["stage"] == "PILOT", "GO did not move the project to PILOT")
    step(f"GO -> PILOT; unmet for EVALUATION: {p.unmet(pid)}")

    p.mutate(
        "lead",
        EVIDENCE,
        {
            "projectId": pid,
            "kind": "MONITORING_DATA",
            "title": "Monthly missing-episode counts",
            "summary": "Counts before and during the pilot.",
            "level": 2,
        },
    )
    observed = p.mutate(
        "lead", OBSERVE, {"outcomeId": outcome["id"], "value": "24", "observedOn": "2022-01-31"}
    )
    expect(
        observed["outcome"]["latest"] == "24" and observed["outcome"]["improved"] is True,
        f"the observation should show an improvement: {observed}",
    )
    p.mutate(
        "lead",
        COST,
        {
            "projectId": pid,
            "category": "TECHNOLOGY",
            "description": "Return-home chat tool licence",
            "amount": {"amount": "12000.00"},
            "confidence": 1,
        },
    )
    p.mutate(
        "lead",
        LESSON,
        {
            "projectId": pid,
            "kind": "ENABLER",
            "title": "A named worker builds trust",
            "body": "Young people answered a worker they had met before; "
            "next time introduce the worker early.",
            "barriers": ["staff capacity"],
        },
    )
    expect(p.unmet(pid) == [], f"the pilot gate should be met, still unmet: {p.unmet(pid)}")
    p.decide(pid, "GO", "Missing episodes fell from 45 to 24 a month.")
    step(f"GO -> EVALUATION; unmet for SCALE: {p.unmet(pid)}")

    p.mutate(
        "lead",
        EVIDENCE,
        {
            "projectId": pid,
            "kind": "COMPARISON_STUDY",
            "title": "Comparison with neighbouring localities",
            "summary": "Repeat episodes fell faster than in two comparison areas.",
            "level": 3,
        },
    )
    p.mutate(
        "lead",
        EVIDENCE,
        {
            "projectId": pid,
            "kind": "EVALUATION_REPORT",
            "title": "Independent evaluation",
            "summary": "A university team evaluated outcomes and costs.",
            "level": 4,
            "independent": True,
        },
    )
    p.mutate(
        "lead",
        BENEFIT,
        {
            "projectId": pid,
            "kind": "FISCAL",
            "description": "Fewer police and social-care hours on missing episodes",
            "amount": {"amount": "150000.00"},
            "beneficiary": "Council children's social care",
            "deadweight": 0.2,
            "attribution": 0.75,
            "confidence": 3,
            "periodStart": "2022-04-01",
            "periodEnd": "2023-03-31",
        },
    )
    p.mutate(
        "lead",
        LESSON,
        {
            "projectId": pid,
            "kind": "RECOMMENDATION",
            "title": "Budget for the evaluation from the start",
            "body": "The evaluation needed data the pilot had not collected; "
            "plan the data with the evaluator.",
        },
    )
    readiness = p.readiness(pid)
    expect(
        readiness["evidenceLevel"] == 4,
        f"independent level-4 evidence should give level 4: {readiness}",
    )
    expect(p.unmet(pid) == [], f"the evaluation gate should be met, still unmet: {p.unmet(pid)}")
    p.decide(pid, "GO", "Independent evaluation positive; ready to replicate.")
    expect(p.readiness(pid)["stage"] == "SCALE", "GO did not move the project to SCALE")
    economics = p.call("lead", ECONOMICS, {"id": pid})["node"]["economics"]
    # costs 80,000 x 1.10 + 12,000 x 1.00 = 100,000.00;
    # benefit 150,000 x 0.8 x 0.75 x 0.90 = 81,000.00; ratio 0.81
    expect(economics["totalCost"]["amount"] == "100000.00", f"total cost: {economics}")
    expect(economics["adjustedBenefit"]["amount"] == "81000.00", f"adjusted benefit: {economics}")
    expect(economics["benefitCostRatio"] == 0.81, f"benefit-cost ratio: {economics}")
    step(f"GO -> SCALE; economics {economics}")

    stopped = p.mutate(
        "lead",
        CREATE,
        {
            "title": "Predictive risk alerts from council data",
            "summary": "Join council datasets to alert practitioners to escalating risk.",
            "innovationType": "TECHNOLOGY",
            "leadOrganisationId": lead["organisation"]["id"],
        },
    )["project"]["id"]
    decision = p.decide(
        stopped,
        "STOP",
        "Data-sharing agreements could not be reached.",
        lesson={
            "kind": "WHAT_DID_NOT_WORK",
            "title": "Agree data sharing before building",
            "body": "Six months of build were lost waiting for agreements; "
            "start with the information governance.",
            "barriers": ["information governance"],
        },
    )
    expect(decision["statusAfter"] == "STOPPED", f"STOP should stop the project: {decision}")
    step("stopped a second project with its lesson")

    for role, sees in [
        ("lead", True),
        ("member", True),
        ("partner_lead", True),
        ("outsider", False),
        ("staff", True),
        (None, False),
    ]:
        seen = p.call(role, SEE, {"id": pid})
        visible = seen["node"] is not None
        listed = pid in [n["id"] for n in seen["projects"]["nodes"]]
        expect(
            visible == sees and listed == sees,
            f"{role or 'anonymous'} should {'' if sees else 'not '}see it",
        )
        step(
            f"{role or 'anonymous'} {'sees' if sees else 'does not see'} the PRIVATE project "
            f"({seen['projects']['totalCount']} projects in their list)"
        )
    version = p.readiness(pid)["version"]
    p.mutate(
        "lead", VISIBILITY, {"projectId": pid, "visibility": "PUBLIC", "expectedVersion": version}
    )
    expect(
        p.call(None, SEE, {"id": pid})["node"] is not None, "anonymous should see a PUBLIC project"
    )
    step("made it PUBLIC: anonymous readers see it now")
    audit = p.call("staff", AUDIT)["auditLog"]
    step(f"staff read {audit['totalCount']} audit events")
    expect(audit["totalCount"] >= 15, "every change should be in the audit log")


def main() -> int:
    base_url, tokens_file = sys.argv[1], Path(sys.argv[2])
    try:
        walk(Partner(base_url, json.loads(tokens_file.read_text())))
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("walkthrough complete")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
