"""Acting and reading only for your own organisation (DESIGN.md section 6).

A LEAD creates projects only with their own organisation as the lead, and a project's lead
account belongs to its lead organisation. An account is readable through `node`/`nodes` by
staff, by members of its organisation, and where a record the viewer may read shows it;
to anyone else it does not exist. Audit events are readable through `node` as in `auditLog`.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World, statement_counter
from sqlalchemy.engine import Engine

from inset.accounts.models import Role
from inset.db import pk, transaction
from inset.evidence import service as evidence
from inset.evidence.models import EvidenceKind
from inset.gates import service as gates
from inset.gates.models import GateDecisionKind
from inset.projects.models import Visibility
from tests.access.cast import (
    LEAD_ORG_LEAD,
    LEAD_ORG_MEMBER,
    OUTSIDE_LEAD,
    OUTSIDE_MEMBER,
    PARTNER_LEAD,
    PARTNER_MEMBER,
    STAFF,
    Cast,
    Who,
    database_state,
    gid,
    label,
    may_read,
)
from tests.access.writing import CREATE_PROJECT, DONE, FORBIDDEN, READ_WRITE, outcome

PEOPLE = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Account { id name } } }"
SHOWN_ON_THE_PROJECT = """
query ($id: ID!) {
  node(id: $id) {
    ... on Project {
      lead { id name }
      decisions { nodes { decidedBy { id } } }
      evidence { nodes { recordedBy { id } } }
    }
  }
}
"""
EVENT = """
query ($id: ID!) {
  node(id: $id) { ... on AuditEvent { id action entityId account { id } } }
}
"""
RECENT_EVENTS = "{ auditLog(first: 100) { nodes { id action } } }"

LEAD_ORG = {LEAD_ORG_MEMBER, LEAD_ORG_LEAD}
PARTNER = {PARTNER_MEMBER, PARTNER_LEAD}
OUTSIDE = {OUTSIDE_MEMBER, OUTSIDE_LEAD}
LEADS = {LEAD_ORG_LEAD, PARTNER_LEAD, OUTSIDE_LEAD}


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


def matrix() -> list[Any]:
    return [
        pytest.param(who, visibility, id=label(who, visibility))
        for visibility in Visibility
        for who in Who
    ]


@pytest.mark.parametrize(("who", "visibility"), matrix())
async def test_an_account_is_readable_only_by_its_organisation_staff_and_readers_of_a_record_showing_it(  # noqa: E501
    api: Api, cast: Cast, who: Who, visibility: Visibility
) -> None:
    # given a project whose lead is a second lead of the lead organisation, with a decision
    # taken by the partner's lead and evidence recorded by another of the partner's leads
    world = cast.world
    project_lead = world.account(cast.lead_org, Role.LEAD)
    project = cast.project(visibility, lead_account_id=pk(project_lead))
    decider = cast.actor(PARTNER_LEAD)
    recorder_account = world.account(cast.partner_org, Role.LEAD)
    recorder = world.actor(recorder_account)
    with transaction(cast.engine) as session:
        evidence.record_evidence(
            session=session,
            actor=recorder,
            project_id=pk(project),
            kind=EvidenceKind.MONITORING_DATA,
            title="Monthly attendance",
            summary="Attendance counted at each meeting.",
            level=2,
        )
        gates.decide_gate(
            session=session,
            actor=decider,
            project_id=pk(project),
            decision=GateDecisionKind.HOLD,
            rationale="Waiting for the new budget year.",
            expected_version=project.version,
        )
    # and people on no record at all, in each organisation, and the staff account
    people: dict[str, Any] = {
        "project lead": pk(project_lead),
        "decider": decider.account_id if decider else None,
        "recorder": pk(recorder_account),
        "colleague": pk(world.account(cast.lead_org, Role.MEMBER)),
        "partner's member": pk(world.account(cast.partner_org, Role.MEMBER)),
        "outsider": pk(world.account(cast.outside_org, Role.MEMBER)),
        "staff": world.staff.account_id,
    }
    ids = [gid("Account", account) for account in people.values()]
    token = cast.token(who)
    # when
    data = await api.data(PEOPLE, {"ids": ids}, token=token)
    shown = await api.data(SHOWN_ON_THE_PROJECT, {"id": gid("Project", project)}, token=token)
    # then
    readers = {w for w in Who if may_read(w, visibility)}
    on_the_project = {STAFF} | readers
    expected_readers = {
        "project lead": on_the_project | LEAD_ORG,
        "decider": on_the_project | PARTNER,
        "recorder": on_the_project | PARTNER,
        "colleague": {STAFF} | LEAD_ORG,
        "partner's member": {STAFF} | PARTNER,
        "outsider": {STAFF} | OUTSIDE,
        # staff made every organisation's accounts: those changes are in each lead's audit log
        "staff": {STAFF} | LEADS,
    }
    seen = {name: node is not None for name, node in zip(people, data["nodes"], strict=True)}
    assert seen == {name: who in expected_readers[name] for name in people}
    # and whoever reads the project reads its people on it, as `node` does
    if who in readers:
        assert shown["node"] == {
            "lead": {"id": ids[0], "name": project_lead.name},
            "decisions": {"nodes": [{"decidedBy": {"id": ids[1]}}]},
            "evidence": {"nodes": [{"recordedBy": {"id": ids[2]}}]},
        }
    else:
        assert shown["node"] is None


async def test_reading_many_accounts_takes_as_many_statements_as_reading_a_few(
    api: Api, cast: Cast, engine: Engine
) -> None:
    # given thirty accounts of an unrelated organisation, three of them leads of public
    # projects, read by a member of the lead organisation
    world = cast.world
    accounts = [world.account(cast.outside_org, Role.LEAD) for _ in range(30)]
    for account in accounts[:3]:
        world.project(
            world.actor(account), visibility=Visibility.PUBLIC, lead_account_id=pk(account)
        )
    token = cast.token(LEAD_ORG_MEMBER)
    ids = [gid("Account", account) for account in accounts]
    await api.data(PEOPLE, {"ids": []}, token=token)  # the token's first use is recorded
    # when
    statements = statement_counter(engine)
    few = await api.data(PEOPLE, {"ids": ids[:4]}, token=token)
    for_few = len(statements)
    many = await api.data(PEOPLE, {"ids": ids}, token=token)
    for_many = len(statements) - for_few
    # then
    assert [n is not None for n in few["nodes"]] == [True, True, True, False]
    assert [n is not None for n in many["nodes"]] == [True] * 3 + [False] * 27
    assert for_many == for_few
    # one statement reads the accounts asked and checks them, for 4 ids as for 30
    assert sum("project.lead_account_id = account.id" in s for s in statements) == 2


@pytest.mark.parametrize("who", [pytest.param(w, id=label(w)) for w in Who])
async def test_node_returns_an_audit_event_to_those_who_read_it_in_the_audit_log(
    api: Api, cast: Cast, who: Who
) -> None:
    # given the creation of a project led by the lead organisation, and by the partner
    project = cast.project(Visibility.PUBLIC)
    partner = cast.actor(PARTNER_LEAD)
    assert partner is not None
    cast.world.project(partner, visibility=Visibility.PUBLIC)
    staff_log = (await api.data(RECENT_EVENTS, token=cast.token(STAFF)))["auditLog"]["nodes"]
    created = [e["id"] for e in staff_log if e["action"] == "project.create"]
    partner_event, lead_event = created  # newest first
    # when
    lead_read = (await api.data(EVENT, {"id": lead_event}, token=cast.token(who)))["node"]
    partner_read = (await api.data(EVENT, {"id": partner_event}, token=cast.token(who)))["node"]
    # then: STAFF read both; a LEAD their own organisation's; anyone else neither
    assert (lead_read is not None) is (who in (STAFF, LEAD_ORG_LEAD))
    assert (partner_read is not None) is (who in (STAFF, PARTNER_LEAD))
    if lead_read is not None:
        assert lead_read == {
            "id": lead_event,
            "action": "project.create",
            "entityId": gid("Project", project),
            "account": {"id": gid("Account", cast.account_id(LEAD_ORG_LEAD))},
        }


# createProject, by (who, the lead organisation, the partners, the lead account): the answer
# and the field it names.
def create_rules() -> list[Any]:
    rows = [
        (LEAD_ORG_LEAD, "lead", [], "own lead", DONE, None),
        (LEAD_ORG_LEAD, "partner", ["lead"], None, FORBIDDEN, "leadOrganisationId"),
        (PARTNER_LEAD, "lead", ["partner"], None, FORBIDDEN, "leadOrganisationId"),
        (PARTNER_LEAD, "lead", ["partner"], "lead's lead", FORBIDDEN, "leadOrganisationId"),
        (LEAD_ORG_LEAD, "lead", ["partner"], "partner's lead", "INVALID", "leadAccountId"),
        (LEAD_ORG_LEAD, "lead", [], "own member", "INVALID", "leadAccountId"),
        (STAFF, "partner", ["lead"], "partner's lead", DONE, None),
        (STAFF, "partner", ["lead"], "lead's lead", "INVALID", "leadAccountId"),
    ]
    return [
        pytest.param(*row, id=label(row[0], "for", row[1], row[3] or "no lead account"))
        for row in rows
    ]


@pytest.mark.parametrize(
    ("who", "lead", "partners", "lead_account", "expected", "field"), create_rules()
)
async def test_a_lead_creates_projects_only_for_their_own_organisation_as_lead(
    api: Api,
    cast: Cast,
    engine: Engine,
    who: Who,
    lead: str,
    partners: list[str],
    lead_account: str | None,
    expected: str,
    field: str | None,
) -> None:
    # given
    organisations = {"lead": cast.lead_org, "partner": cast.partner_org}
    accounts = {
        "own lead": cast.account_id(LEAD_ORG_LEAD),
        "own member": cast.account_id(LEAD_ORG_MEMBER),
        "lead's lead": cast.account_id(LEAD_ORG_LEAD),
        "partner's lead": cast.account_id(PARTNER_LEAD),
    }
    token = cast.token(who, READ_WRITE)
    new_project = {
        "title": "Family time at weekends",
        "summary": "Contact sessions moved to Saturdays.",
        "innovationType": "PRACTICE",
        "visibility": "PUBLIC",
        "leadOrganisationId": gid("Organisation", organisations[lead]),
        "partnerOrganisationIds": [gid("Organisation", organisations[p]) for p in partners],
        "leadAccountId": gid("Account", accounts[lead_account]) if lead_account else None,
    }
    before = database_state(engine)
    # when
    result = (await api.data(CREATE_PROJECT, {"input": new_project}, token=token))["result"]
    # then
    assert outcome(result) == expected
    if expected != DONE:
        assert [e["field"] for e in result["userErrors"]] == [["input", field]]
        assert database_state(engine) == before
