"""Who reads the audit trail and people's details (DESIGN.md section 6).

The audit log is for staff (all of it) and leads (their organisation's); members and
anonymous callers are refused with a FORBIDDEN GraphQL error. An account's email is shown
to that account and to staff only, on every path that shows an account.
"""

from __future__ import annotations

import json

import pytest
from conftest import Api, World
from sqlmodel import Session

from inset.accounts.models import Account
from inset.projects.models import Project, Visibility
from tests.access.cast import (
    ANONYMOUS,
    LEAD_ORG_LEAD,
    LEAD_ORG_MEMBER,
    OUTSIDE_LEAD,
    OUTSIDE_MEMBER,
    PARTNER_LEAD,
    PARTNER_MEMBER,
    STAFF,
    Cast,
    Who,
    gid,
    label,
    roles,
)


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


PROJECT_EVENTS = """
{ auditLog(filter: {entityTypes: ["Project"]}) { totalCount nodes { action entityId } } }
"""

ACCOUNT_EVENTS = """
{
  auditLog(filter: {entityTypes: ["Account"]}) {
    nodes { action entityId changes { field before after } account { email } }
  }
}
"""

PEOPLE = """
query ($someone: ID!, $project: ID!) {
  viewer { id email organisation { id } }
  someone: node(id: $someone) { ... on Account { name email } }
  project: node(id: $project) {
    ... on Project {
      lead { email }
      evidence { nodes { recordedBy { email } } }
      decisions { nodes { decidedBy { email } } }
    }
  }
}
"""

# Whose project events each role reads in the audit log; None: refused (FORBIDDEN).
AUDIT_READERS: dict[Who, set[str] | None] = {
    ANONYMOUS: None,
    LEAD_ORG_MEMBER: None,
    PARTNER_MEMBER: None,
    OUTSIDE_MEMBER: None,
    LEAD_ORG_LEAD: {"lead"},
    PARTNER_LEAD: {"partner"},  # not the lead organisation's project it is a partner on
    OUTSIDE_LEAD: {"outside"},
    STAFF: {"lead", "partner", "outside"},
}


def email_of(cast: Cast, who: Who) -> str:
    with Session(cast.engine) as session:
        account = session.get(Account, cast.account_id(who))
        assert account is not None
        return account.email


def public_project_led_by(cast: Cast, who: Who) -> Project:
    actor = cast.actor(who)
    assert actor is not None, "a project is led by an organisation of a signed-in lead"
    return cast.world.project(actor, visibility=Visibility.PUBLIC)


@pytest.mark.parametrize(("who", "reads"), [(w, AUDIT_READERS[w]) for w in Who], ids=label)
async def test_the_audit_log_shows_staff_everything_and_a_lead_their_organisations_events(
    api: Api, cast: Cast, who: Who, reads: set[str] | None
) -> None:
    # given a public project led by each organisation (public: readable is not the rule)
    led_by = {
        "lead": cast.project(Visibility.PUBLIC),
        "partner": public_project_led_by(cast, PARTNER_LEAD),
        "outside": public_project_led_by(cast, OUTSIDE_LEAD),
    }
    # when
    body = await api.gql(PROJECT_EVENTS, token=cast.token(who))
    # then
    if reads is None:
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        return
    assert "errors" not in body
    log = body["data"]["auditLog"]
    assert {(n["action"], n["entityId"]) for n in log["nodes"]} == {
        ("project.create", gid("Project", led_by[org])) for org in reads
    }
    assert log["totalCount"] == len(reads)


async def test_the_audit_log_never_shows_a_lead_another_accounts_email(
    api: Api, cast: Cast
) -> None:
    # given a member of the lead's organisation, whose account's creation is audited
    colleague = email_of(cast, LEAD_ORG_MEMBER)
    # when the lead reads their organisation's account events
    data = await api.data(ACCOUNT_EVENTS, token=cast.token(LEAD_ORG_LEAD))
    # then the event is there, but not the colleague's email
    assert data["auditLog"]["nodes"], "the lead sees the account events of their organisation"
    assert colleague not in json.dumps(data)


@pytest.mark.parametrize("who", roles())
async def test_an_email_is_shown_only_to_its_account_and_to_staff_on_every_path(
    api: Api, cast: Cast, who: Who
) -> None:
    # given a public project led by the lead of the lead organisation, who recorded on it
    lead = cast.owner
    project = cast.project(Visibility.PUBLIC, lead_account_id=lead.account_id)
    cast.records(project)
    lead_email = email_of(cast, LEAD_ORG_LEAD)
    variables = {
        "someone": gid("Account", lead.account_id or 0),
        "project": gid("Project", project),
    }
    # when
    data = await api.data(PEOPLE, variables, token=cast.token(who))
    # then
    shown = lead_email if who in (LEAD_ORG_LEAD, STAFF) else None
    assert data["someone"]["email"] == shown
    assert data["project"] == {
        "lead": {"email": shown},
        "evidence": {"nodes": [{"recordedBy": {"email": shown}}]},
        "decisions": {"nodes": [{"decidedBy": {"email": shown}}]},
    }
    actor = cast.actor(who)
    if actor is None:
        assert data["viewer"] is None
    else:
        assert data["viewer"] == {
            "id": gid("Account", actor.account_id or 0),
            "email": email_of(cast, who),
            "organisation": {"id": gid("Organisation", actor.organisation_id or 0)},
        }
