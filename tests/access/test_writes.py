"""Who changes what (DESIGN.md section 6): every mutation by every role.

Anonymous callers, members and read-only tokens are refused (FORBIDDEN). A lead writes
the projects their organisation leads or partners; staff write everything and alone
override a gate. A record the caller may not read does not exist for them (NOT_FOUND,
exactly as for an id that was never used); one they may read but not change is FORBIDDEN.
A refused write changes nothing: the whole database reads the same afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World
from sqlalchemy.engine import Engine

from inset.accounts.models import TokenScope
from inset.projects.models import Visibility
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
    database_state,
    gid,
    label,
    may_read,
)
from tests.access.writing import (
    CREATE_ACCOUNT,
    CREATE_ORGANISATION,
    CREATE_PROJECT,
    DECIDE_GATE,
    DONE,
    FORBIDDEN,
    NOT_FOUND,
    PROJECT_STAGE,
    PROJECT_WRITES,
    READ,
    READ_WRITE,
    RECORD_EVIDENCE,
    UPDATE_PROJECT,
    Targets,
    outcome,
    token_for,
    write,
)


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


# What each role gets for every one of PROJECT_WRITES on a project of each visibility.
WRITE_RULES = [
    # who            token scope  PRIVATE    MEMBERS    PUBLIC
    (ANONYMOUS,       None,       FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (LEAD_ORG_MEMBER, READ_WRITE, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (PARTNER_MEMBER,  READ_WRITE, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (OUTSIDE_MEMBER,  READ_WRITE, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (LEAD_ORG_LEAD,   READ_WRITE, DONE,      DONE,      DONE),
    (LEAD_ORG_LEAD,   READ,       FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (PARTNER_LEAD,    READ_WRITE, DONE,      DONE,      DONE),
    (OUTSIDE_LEAD,    READ_WRITE, NOT_FOUND, FORBIDDEN, FORBIDDEN),
    (OUTSIDE_LEAD,    READ,       FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (STAFF,           READ_WRITE, DONE,      DONE,      DONE),
    (STAFF,           READ,       FORBIDDEN, FORBIDDEN, FORBIDDEN),
]  # fmt: skip


def write_rows() -> list[Any]:
    """(who, scope, {visibility: answer}) for each row of WRITE_RULES."""
    return [
        pytest.param(who, scope, dict(zip(Visibility, answers, strict=True)), id=label(who, scope))
        for who, scope, *answers in WRITE_RULES
    ]


def hidden_rows() -> list[Any]:
    """The rows of WRITE_RULES whose caller may not read a PRIVATE project."""
    return [
        pytest.param(who, scope, id=label(who, scope))
        for who, scope, *_ in WRITE_RULES
        if not may_read(who, Visibility.PRIVATE)
    ]


@pytest.mark.parametrize(("who", "scope", "expected"), write_rows())
async def test_every_write_to_a_project_is_done_or_refused_as_the_role_allows(
    api: Api,
    cast: Cast,
    engine: Engine,
    who: Who,
    scope: TokenScope | None,
    expected: dict[Visibility, str],
) -> None:
    # given one project of each visibility, each with one record of each kind
    targets = {}
    for visibility in Visibility:
        project = cast.project(visibility)
        targets[visibility] = Targets.of(project, cast.records(project, decide=False))
    token = token_for(cast, who, scope)
    before = database_state(engine)
    # when every write is tried on each project in turn
    answers = {
        visibility: {n: outcome(await write(api, engine, n, ids, token)) for n in PROJECT_WRITES}
        for visibility, ids in targets.items()
    }
    # then
    assert answers == {v: dict.fromkeys(PROJECT_WRITES, code) for v, code in expected.items()}
    if DONE not in expected.values():
        assert database_state(engine) == before


@pytest.mark.parametrize(("who", "scope"), hidden_rows())
async def test_a_write_naming_a_hidden_record_is_refused_as_if_the_record_did_not_exist(
    api: Api, cast: Cast, engine: Engine, who: Who, scope: TokenScope | None
) -> None:
    # given a private project the caller may not read, and ids that were never used
    project = cast.project(Visibility.PRIVATE)
    hidden = Targets.of(project, cast.records(project, decide=False))
    token = token_for(cast, who, scope)

    async def refusals(ids: Targets) -> dict[str, Any]:
        return {n: (await write(api, engine, n, ids, token))["userErrors"] for n in PROJECT_WRITES}

    # when
    naming_hidden, naming_missing = await refusals(hidden), await refusals(Targets.missing())
    # then the errors read the same, word for word
    assert naming_hidden == naming_missing


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(LEAD_ORG_LEAD, FORBIDDEN, id=label(LEAD_ORG_LEAD)),
        pytest.param(PARTNER_LEAD, FORBIDDEN, id=label(PARTNER_LEAD)),
        pytest.param(STAFF, DONE, id=label(STAFF)),
    ],
)
async def test_only_staff_may_override_a_gate_whose_criteria_are_unmet(
    api: Api, cast: Cast, engine: Engine, who: Who, expected: str
) -> None:
    # given a new project at IDEA, far from meeting the gate into PILOT
    project = cast.project(Visibility.MEMBERS)
    project_id = gid("Project", project)
    token = cast.token(who)
    before = database_state(engine)
    go = {
        "projectId": project_id,
        "decision": "GO",
        "override": True,
        "rationale": "The board accepts the risk.",
        "expectedVersion": project.version,
    }
    # when
    result = (await api.data(DECIDE_GATE, {"input": go}, token=token))["result"]
    read_back = (await api.data(PROJECT_STAGE, {"id": project_id}, token=token))["node"]
    # then
    if expected == FORBIDDEN:
        assert result["made"] is None
        assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
            (["input", "override"], FORBIDDEN)
        ]
        assert read_back == {"stage": "IDEA", "version": project.version}
        assert database_state(engine) == before
    else:
        assert result["userErrors"] == []
        assert result["made"]["override"] is True
        assert result["made"]["toStage"] == read_back["stage"] == "PILOT"
        assert "outcome_with_baseline" in result["made"]["unmetCriteria"]


# createProject for the lead organisation: (who, token scope, the partner named on it, answer).
# A partner's lead may not create a project for another organisation to lead, even naming
# their own organisation as its partner: a lead acts only for their own organisation.
CREATE_PROJECT_RULES = [
    (ANONYMOUS,       None,       False, FORBIDDEN),
    (LEAD_ORG_MEMBER, READ_WRITE, False, FORBIDDEN),
    (LEAD_ORG_LEAD,   READ,       False, FORBIDDEN),
    (LEAD_ORG_LEAD,   READ_WRITE, False, DONE),
    (PARTNER_LEAD,    READ_WRITE, False, FORBIDDEN),
    (PARTNER_LEAD,    READ_WRITE, True,  FORBIDDEN),
    (OUTSIDE_LEAD,    READ_WRITE, True,  FORBIDDEN),
    (STAFF,           READ,       False, FORBIDDEN),
    (STAFF,           READ_WRITE, False, DONE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "scope", "with_partner", "expected"),
    [
        pytest.param(*row, id=label(row[0], row[1], "with-the-partner" if row[2] else ""))
        for row in CREATE_PROJECT_RULES
    ],
)
async def test_a_project_is_created_only_by_a_lead_of_its_lead_organisation_or_by_staff(
    api: Api,
    cast: Cast,
    engine: Engine,
    who: Who,
    scope: TokenScope | None,
    with_partner: bool,
    expected: str,
) -> None:
    # given
    token = token_for(cast, who, scope)
    new_project = {
        "title": "Family time at weekends",
        "summary": "Contact sessions moved to Saturdays.",
        "innovationType": "PRACTICE",
        "leadOrganisationId": gid("Organisation", cast.lead_org),
        "partnerOrganisationIds": [gid("Organisation", cast.partner_org)] if with_partner else [],
    }
    before = database_state(engine)
    # when
    result = (await api.data(CREATE_PROJECT, {"input": new_project}, token=token))["result"]
    # then
    assert outcome(result) == expected
    if expected != DONE:
        assert database_state(engine) == before


@pytest.mark.parametrize(
    ("who", "scope"),
    [pytest.param(who, READ_WRITE, id=label(who)) for who in Who if who is not ANONYMOUS]
    + [pytest.param(ANONYMOUS, None, id="anonymous"), pytest.param(STAFF, READ, id="staff-READ")],
)
async def test_only_staff_create_organisations_and_accounts(
    api: Api, cast: Cast, engine: Engine, who: Who, scope: TokenScope | None
) -> None:
    # given
    token = token_for(cast, who, scope)
    organisation = {"name": "New Adoption Agency", "kind": "VOLUNTARY_ADOPTION_AGENCY"}
    account = {
        "email": "new.colleague@example.org",
        "name": "New Colleague",
        "organisationId": gid("Organisation", cast.lead_org),
        "role": "LEAD",
    }
    before = database_state(engine)
    # when
    made_organisation = await api.data(CREATE_ORGANISATION, {"input": organisation}, token=token)
    made_account = await api.data(CREATE_ACCOUNT, {"input": account}, token=token)
    # then
    expected = DONE if (who, scope) == (STAFF, READ_WRITE) else FORBIDDEN
    assert outcome(made_organisation["result"]) == expected
    assert outcome(made_account["result"]) == expected
    if expected == FORBIDDEN:
        assert database_state(engine) == before


# Who replays the partner lead's recordEvidence, and what they must get.
REPLAYS = [
    pytest.param(READ, FORBIDDEN, id="a-read-only-token-of-the-same-account"),
    pytest.param(READ_WRITE, NOT_FOUND, id="the-same-token-after-the-partner-left-the-project"),
]


@pytest.mark.parametrize(("scope", "expected"), REPLAYS)
async def test_replaying_a_write_by_its_idempotency_key_is_refused_once_the_caller_may_not_make_it(
    api: Api, cast: Cast, scope: TokenScope, expected: str
) -> None:
    # given evidence recorded on a private project by the partner's lead, with a key
    project = cast.project(Visibility.PRIVATE)
    project_id = gid("Project", project)
    writer = cast.token(PARTNER_LEAD)
    survey = {
        "projectId": project_id,
        "kind": "SURVEY",
        "title": "Carer survey",
        "summary": "Most carers said they felt less alone.",
        "level": 2,
        "idempotencyKey": "survey-2024",
    }
    first = await api.data(RECORD_EVIDENCE, {"input": survey}, token=writer)
    assert outcome(first["result"]) == DONE
    replayer = cast.token(PARTNER_LEAD, READ) if scope is READ else writer
    if expected == NOT_FOUND:
        partner_off = {
            "projectId": project_id,
            "expectedVersion": project.version,
            "partnerOrganisationIds": [],
        }
        owner = cast.token(LEAD_ORG_LEAD)
        update = await api.data(UPDATE_PROJECT, {"input": partner_off}, token=owner)
        assert outcome(update["result"]) == DONE
    # when
    replay = (await api.data(RECORD_EVIDENCE, {"input": survey}, token=replayer))["result"]
    # then the evidence is not shown again, as it would be to a caller who may still write
    assert replay["made"] is None
    assert [e["code"] for e in replay["userErrors"]] == [expected]
