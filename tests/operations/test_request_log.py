"""The request log: one JSON line a request, with no secret and no free text in it."""

from __future__ import annotations

import json
import logging

import pytest

from inset.accounts.models import Role

SIGN_IN = """mutation SignIn($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { account { name } userErrors { code } } }"""
VIEWER = "query Viewer { viewer { name } }"
CREATE_PROJECT = """mutation CreateProject($input: CreateProjectInput!) {
  createProject(input: $input) { project { id } userErrors { code message } } }"""
PASSWORD = "Sesame-Password-77"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def requests(self) -> list[dict]:
        return [json.loads(r.getMessage()) for r in self.records if r.name == "inset.requests"]

    def text(self) -> str:
        """Everything the server logged, by any logger, with tracebacks (httpx logs the
        test's own client)."""
        formatter = logging.Formatter()
        return "\n".join(formatter.format(r) for r in self.records if r.name != "httpx")


@pytest.fixture
def lines():
    handler = Lines()
    watched = [logging.getLogger(), logging.getLogger("inset.requests")]
    levels = [each.level for each in watched]
    for each in watched:
        each.addHandler(handler)
        each.setLevel(logging.DEBUG)
    yield handler
    for each, level in zip(watched, levels, strict=True):
        each.removeHandler(handler)
        each.setLevel(level)


async def test_each_request_is_one_json_line_with_what_an_operator_needs(api, lines):
    response = await api.client.post(
        "/graphql", json={"query": VIEWER}, headers={"X-Request-ID": "abc-123"}
    )

    (line,) = lines.requests()
    assert response.status_code == 200
    assert line.keys() == {
        "time",
        "event",
        "request_id",
        "method",
        "route",
        "operation",
        "operation_type",
        "status",
        "outcome",
        "duration_ms",
        "viewer",
    }
    assert line["request_id"] == "abc-123"
    assert (line["method"], line["route"], line["status"]) == ("POST", "/graphql", 200)
    assert (line["operation"], line["operation_type"]) == ("Viewer", "query")
    assert (line["outcome"], line["viewer"]) == ("ok", "anonymous")
    assert line["duration_ms"] >= 0


async def test_a_sign_in_and_a_mutation_with_text_leave_none_of_it_in_the_log(world, api, lines):
    org = world.org()
    account = world.account(org, Role.LEAD, password=PASSWORD)
    secret = world.token(world.actor(account))
    title = "Harbour Mentoring Pilot Xylophone"
    summary = "Quokka-coloured family group conferencing summary"

    await api.data(SIGN_IN, {"email": account.email, "password": "Wrong-" + PASSWORD})
    await api.data(SIGN_IN, {"email": account.email, "password": PASSWORD})
    from inset.ids import to_global_id

    made = await api.data(
        CREATE_PROJECT,
        {
            "input": {
                "title": title,
                "summary": summary,
                "innovationType": "PRACTICE",
                "leadOrganisationId": to_global_id("Organisation", org.id),
            }
        },
        token=secret,
    )
    await api.client.get("/graphql", params={"query": VIEWER, "variables": json.dumps({"e": 1})})

    assert made["createProject"]["userErrors"] == []
    logged = lines.text()
    assert len(lines.requests()) == 4
    for private in (PASSWORD, account.email, secret, title, summary, "Xylophone", "Quokka"):
        assert private not in logged
    assert [line["viewer"] for line in lines.requests()] == [
        "anonymous",
        "anonymous",
        "token",
        "lead",  # the cookie set by the sign-in
    ]
    assert [line["outcome"] for line in lines.requests()] == ["user_error", "ok", "ok", "ok"]


async def test_the_viewer_is_told_by_role_for_a_web_session(world, api, lines):
    for role in (Role.STAFF, Role.MEMBER):
        account = world.account(world.org(), role, password=PASSWORD)
        api.client.cookies.clear()
        await api.data(SIGN_IN, {"email": account.email, "password": PASSWORD})
        await api.data(VIEWER)

    assert [line["viewer"] for line in lines.requests()][1::2] == ["staff", "member"]


async def test_a_path_is_logged_by_its_route_template_only(api, lines):
    await api.client.get("/projects/someone@example.org/secret-notes?token=abc")
    await api.client.get("/jane.doe@example.org")

    assert [line["route"] for line in lines.requests()] == [
        "/projects/{project_id}/{rest:path}",
        "(none)",
    ]
    assert "jane" not in lines.text()
    assert "example.org" not in lines.text()
    assert "abc" not in lines.text()


async def test_a_refused_token_is_logged_as_denied_without_the_token(api, lines):
    response = await api.post(VIEWER, token="inset_not-a-real-token-123")

    (line,) = lines.requests()
    assert response.status_code == 401
    assert (line["status"], line["outcome"], line["viewer"]) == (401, "denied", "anonymous")
    assert "not-a-real-token" not in lines.text()
