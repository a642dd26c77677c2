"""Nominating innovations seen elsewhere, and what staff do with them, through the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from inset.audit.models import AuditEvent
from inset.ids import to_global_id
from inset.nominations.models import Nomination

NOMINATE = """
mutation Nominate($input: NominateInnovationInput!) {
  nominateInnovation(input: $input) {
    nomination { id what where contact status nominatedBy { name } }
    userErrors { field code message }
  }
}
"""

NOMINATIONS = """
query Nominations($status: [NominationStatus!]) {
  nominations(status: $status) { totalCount nodes { what status declineReason } }
}
"""

INVITE = """
mutation Invite($input: InviteNominationInput!) {
  inviteNomination(input: $input) { nomination { status } userErrors { code message } }
}
"""

ACCEPT = """
mutation Accept($input: AcceptNominationInput!) {
  acceptNomination(input: $input) {
    nomination { status organisation { name } project { title } }
    project { id title stage visibility leadOrganisation { name } }
    userErrors { field code message }
  }
}
"""

DECLINE = """
mutation Decline($input: DeclineNominationInput!) {
  declineNomination(input: $input) {
    nomination { status declineReason } userErrors { field code message }
  }
}
"""

TOLD = """
query { viewer { notifications { nodes { kind message nomination { status declineReason } } } } }
"""

GOOD = {
    "what": "A text service that lets young people check in after a missing episode.",
    "where": "Westhaven Council",
    "contact": "Head of Children's Services, Westhaven Council",
}


async def nominate(api, token: str, **changes: str) -> dict:
    answer = await api.data(NOMINATE, {"input": {**GOOD, **changes}}, token=token)
    return answer["nominateInnovation"]


async def test_anyone_signed_in_nominates_and_staff_see_it(world, api):
    member = world.member()
    made = await nominate(api, world.token(member))
    listed = await api.data(NOMINATIONS, {"status": ["PENDING"]}, token=world.token(world.staff))

    assert made["userErrors"] == []
    assert made["nomination"]["status"] == "PENDING"
    assert made["nomination"]["contact"] == GOOD["contact"]
    assert listed["nominations"]["totalCount"] == 1
    assert listed["nominations"]["nodes"][0]["what"] == GOOD["what"]


async def test_members_see_only_their_own_nominations_and_anonymous_readers_none(world, api):
    await nominate(api, world.token(world.member()))
    someone_else = world.token(world.member())

    assert (await api.data(NOMINATIONS, token=someone_else))["nominations"]["totalCount"] == 0
    assert (await api.data(NOMINATIONS))["nominations"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("contact", "Jo, jo.smith@westhaven.example", "an email address"),
        ("contact", "call 07700 900123", "a phone number"),
        ("what", "Worked for the boy with NHS number 943 476 5919", "an NHS number"),
        ("where", "Family centre, LS1 4AB", "a postcode"),
    ],
)
async def test_personal_data_in_a_nomination_is_refused_and_nothing_is_stored(
    world, api, engine, field, value, kind
):
    answer = await nominate(api, world.token(world.member()), **{field: value})

    [error] = answer["userErrors"]
    assert error["code"] == "PERSONAL_DATA"
    assert error["field"] == ["input", field]
    assert kind in error["message"]
    with Session(engine) as session:
        assert session.scalars(sa.select(Nomination)).all() == []


async def test_a_nomination_needs_what_and_where(world, api):
    answer = await nominate(api, world.token(world.member()), what="  ", where="")
    assert answer["userErrors"][0] == {
        "field": ["input", "what"],
        "code": "REQUIRED",
        "message": "what is required",
    }


async def test_the_same_idempotency_key_replays_the_first_nomination(world, api):
    token = world.token(world.member())
    first = await nominate(api, token, idempotencyKey="nominate-1")
    again = await nominate(api, token, idempotencyKey="nominate-1")
    other = await nominate(api, token, idempotencyKey="nominate-1", where="Elsewhere Trust")

    assert again["nomination"]["id"] == first["nomination"]["id"]
    assert other["userErrors"][0]["code"] == "DUPLICATE"


async def test_accepting_a_nomination_makes_an_idea_project_and_tells_the_nominator(
    world, api, engine
):
    nominator = world.member()
    made = await nominate(api, world.token(nominator))
    joined = world.org("Westhaven Council")
    staff = world.token(world.staff)

    invited = await api.data(
        INVITE, {"input": {"nominationId": made["nomination"]["id"]}}, token=staff
    )
    accepted = await api.data(
        ACCEPT,
        {
            "input": {
                "nominationId": made["nomination"]["id"],
                "organisationId": to_global_id("Organisation", joined.id),
            }
        },
        token=staff,
    )
    told = await api.data(TOLD, token=world.token(nominator))

    assert invited["inviteNomination"]["nomination"]["status"] == "INVITED"
    result = accepted["acceptNomination"]
    assert result["userErrors"] == []
    assert result["project"]["stage"] == "IDEA"
    assert result["project"]["visibility"] == "PRIVATE"
    assert result["project"]["leadOrganisation"]["name"] == "Westhaven Council"
    assert result["project"]["title"] == GOOD["what"]
    assert result["nomination"]["status"] == "ACCEPTED"
    [note] = told["viewer"]["notifications"]["nodes"]
    assert note["kind"] == "NOMINATION_ACCEPTED"
    assert note["message"] == (
        "Your nomination from Westhaven Council is now a project in the incubator"
    )
    with Session(engine) as session:
        actions = session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.entity_type == "Nomination")
        ).all()
    assert actions == ["nomination.create", "nomination.invited", "nomination.accepted"]


async def test_accepting_for_an_unknown_organisation_names_that_field_and_changes_nothing(
    world, api
):
    made = await nominate(api, world.token(world.member()))
    staff = world.token(world.staff)

    accepted = await api.data(
        ACCEPT,
        {
            "input": {
                "nominationId": made["nomination"]["id"],
                "organisationId": to_global_id("Organisation", 999_999),
            }
        },
        token=staff,
    )

    result = accepted["acceptNomination"]
    assert result["project"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        (["input", "organisationId"], "NOT_FOUND")
    ]
    again = await api.data(
        "query($id: ID!) { node(id: $id) { ... on Nomination { status } } }",
        {"id": made["nomination"]["id"]},
        token=staff,
    )
    assert again["node"]["status"] == "PENDING"


async def test_declining_needs_a_reason_which_the_nominator_reads(world, api):
    nominator = world.member()
    made = await nominate(api, world.token(nominator))
    staff = world.token(world.staff)
    nomination_id = made["nomination"]["id"]

    no_reason = await api.data(
        DECLINE, {"input": {"nominationId": nomination_id, "reason": " "}}, token=staff
    )
    declined = await api.data(
        DECLINE,
        {"input": {"nominationId": nomination_id, "reason": "Already a member's project."}},
        token=staff,
    )
    twice = await api.data(
        DECLINE, {"input": {"nominationId": nomination_id, "reason": "Again."}}, token=staff
    )
    told = await api.data(TOLD, token=world.token(nominator))

    assert no_reason["declineNomination"]["userErrors"][0]["code"] == "REQUIRED"
    assert declined["declineNomination"]["nomination"] == {
        "status": "DECLINED",
        "declineReason": "Already a member's project.",
    }
    assert twice["declineNomination"]["userErrors"][0]["code"] == "INVALID"
    [note] = told["viewer"]["notifications"]["nodes"]
    assert note["kind"] == "NOMINATION_DECLINED"
    assert note["nomination"]["declineReason"] == "Already a member's project."


async def test_only_staff_decide_nominations(world, api):
    made = await nominate(api, world.token(world.member()))
    lead = world.lead()
    answer = await api.data(
        DECLINE,
        {"input": {"nominationId": made["nomination"]["id"], "reason": "Not for us."}},
        token=world.token(lead),
    )
    assert answer["declineNomination"]["userErrors"][0]["code"] == "FORBIDDEN"


async def test_anonymous_readers_cannot_nominate(api):
    answer = await api.data(NOMINATE, {"input": GOOD})
    assert answer["nominateInnovation"]["userErrors"][0]["code"] == "FORBIDDEN"
