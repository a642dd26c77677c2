"""Review panels through the GraphQL API: the journey, the field paths of user errors, who
reads what, and the setting that requires a complete panel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Api

from inset.app import create_app
from inset.config import Settings
from inset.ids import to_global_id
from inset.projects.models import Project, Visibility
from tests.gates.gate_records import Records, current
from tests.reviews.panel_records import Panels

MEMBERS = Visibility.MEMBERS

APPOINT = """
mutation Appoint($input: AppointReviewersInput!) {
  appointReviewers(input: $input) {
    project { reviewPanel { toStage appointed submitted status reviews { reviewer { name } } } }
    userErrors { field code message }
  }
}
"""

TO_DO = """
query { viewer { reviewsToDo { id toStage submittedAt correctable project { title } } } }
"""

SUBMIT = """
mutation Submit($input: SubmitReviewInput!) {
  submitReview(input: $input) {
    review { id recommendation rationale assessments { criterion assessment comment } }
    userErrors { field code message }
  }
}
"""

PANEL = """
query Panel($id: ID!) {
  node(id: $id) {
    ... on Project {
      reviewPanel {
        toStage appointed submitted status required
        reviews { recommendation rationale reviewer { name } assessments { criterion } }
      }
      readiness { ready criteria { code met mandatory } }
      decisions { nodes { decision decidedBy { name } panel {
        appointed submitted complete
        recommendations { recommendation count }
        reviews { recommendation }
      } } }
    }
  }
}
"""

REVIEW_NODE = "query Review($id: ID!) { node(id: $id) { ... on GateReview { rationale } } }"

DECIDE = """
mutation Decide($input: DecideGateInput!) {
  decideGate(input: $input) {
    project { stage }
    decision { unmetCriteria override panel { complete } }
    userErrors { field code message }
  }
}
"""


@pytest.fixture
def records(engine) -> Records:
    return Records(engine)


@pytest.fixture
def panels(engine) -> Panels:
    return Panels(engine)


def gid(kind: str, row: Any) -> str:
    return to_global_id(kind, row.id or row.account_id or 0)


def every_criterion(codes: list[str]) -> list[dict[str, Any]]:
    return [{"criterion": c, "assessment": "MET"} for c in codes]


PILOT_GATE = [
    "evidence_level_2",
    "outcome_observed_after_baseline",
    "pilot_costs_recorded",
    "lesson_recorded",
    "benefit_estimated",
]


async def panel_seen_by(api: Api, token: str | None, project: Project) -> dict[str, Any]:
    data = await api.data(PANEL, {"id": gid("Project", project)}, token=token)
    node: dict[str, Any] = data["node"]
    return node


async def test_staff_appoint_a_reviewer_who_finds_it_to_do_and_submits_a_review(
    api, world, records
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    reviewer = world.lead()
    staff_token, reviewer_token = world.token(world.staff), world.token(reviewer)

    appointed = await api.data(
        APPOINT,
        {
            "input": {
                "projectId": gid("Project", project),
                "reviewerIds": [to_global_id("Account", reviewer.account_id or 0)],
                "idempotencyKey": "panel-1",
            }
        },
        token=staff_token,
    )
    to_do = await api.data(TO_DO, token=reviewer_token)
    [place] = to_do["viewer"]["reviewsToDo"]
    submitted = await api.data(
        SUBMIT,
        {
            "input": {
                "reviewId": place["id"],
                "assessments": every_criterion(PILOT_GATE),
                "recommendation": "GO",
                "rationale": "A sound pilot; evaluate it.",
            }
        },
        token=reviewer_token,
    )
    after = await api.data(TO_DO, token=reviewer_token)

    panel = appointed["appointReviewers"]["project"]["reviewPanel"]
    assert (panel["toStage"], panel["appointed"]) == ("EVALUATION", 1)
    assert panel["status"] == "IN_PROGRESS"
    assert place["project"]["title"] == project.title
    assert place["correctable"]
    review = submitted["submitReview"]["review"]
    assert review["recommendation"] == "GO"
    assert [a["criterion"] for a in review["assessments"]] == PILOT_GATE
    assert after["viewer"]["reviewsToDo"] == []  # the panel of one is complete


async def test_appointing_again_with_the_same_key_replays_and_adds_no_one(api, world, records):
    project = records.at_pilot(world, world.lead(), visibility=MEMBERS)
    reviewer = world.lead()
    variables = {
        "input": {
            "projectId": gid("Project", project),
            "reviewerIds": [to_global_id("Account", reviewer.account_id or 0)],
            "idempotencyKey": "same",
        }
    }
    token = world.token(world.staff)

    await api.data(APPOINT, variables, token=token)
    again = await api.data(APPOINT, variables, token=token)

    assert again["appointReviewers"]["userErrors"] == []
    assert again["appointReviewers"]["project"]["reviewPanel"]["appointed"] == 1


async def test_user_errors_name_the_field_inside_the_input(api, world, records, panels):
    project = records.at_pilot(world, world.lead(), visibility=MEMBERS)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    assessments = every_criterion(PILOT_GATE)
    assessments[2] = {"criterion": "pilot_costs_recorded", "assessment": "NOT_MET"}

    bad_id = await api.data(
        APPOINT,
        {"input": {"projectId": gid("Project", project), "reviewerIds": ["nonsense"]}},
        token=world.token(world.staff),
    )
    no_comment = await api.data(
        SUBMIT,
        {
            "input": {
                "reviewId": gid("GateReview", review),
                "assessments": assessments,
                "recommendation": "HOLD",
                "rationale": "",
            }
        },
        token=world.token(reviewer),
    )

    assert bad_id["appointReviewers"]["userErrors"] == [
        {
            "field": ["input", "reviewerIds", "0"],
            "code": "NOT_FOUND",
            "message": "account not found",
        }
    ]
    assert no_comment["submitReview"]["userErrors"] == [
        {
            "field": ["input", "assessments", "2", "comment"],
            "code": "REQUIRED",
            "message": "Enter a comment saying why this criterion is not fully met",
        }
    ]


async def test_who_reads_the_reviews_before_and_after_the_panel_is_complete(
    api, world, records, panels
):
    lead_org = world.org()
    lead = world.lead(lead_org)
    team_member = world.member(lead_org)
    outsider = world.member()
    project = records.at_pilot(world, lead, visibility=MEMBERS)
    first, second = world.lead(), world.lead()
    review_one, review_two = panels.appoint(world.staff, project, [first, second])
    panels.submit(first, review_one, rationale="Strong pilot data.")
    tokens = {
        "lead": world.token(lead),
        "team member": world.token(team_member),
        "outsider": world.token(outsider),
        "first reviewer": world.token(first),
        "staff": world.token(world.staff),
    }

    before = {who: await panel_seen_by(api, t, project) for who, t in tokens.items()}
    panels.submit(second, review_two, rationale="Costs are thin but enough.")
    after = {who: await panel_seen_by(api, t, project) for who, t in tokens.items()}
    node = {
        who: (await api.data(REVIEW_NODE, {"id": gid("GateReview", review_one)}, token=t))["node"]
        for who, t in tokens.items()
    }

    def rationales(seen: dict[str, Any]) -> list[str]:
        return [r["rationale"] for r in seen["reviewPanel"]["reviews"]]

    for seen in (*before.values(), *after.values()):
        assert seen["reviewPanel"]["appointed"] == 2  # every reader sees the panel and counts
    assert {who: rationales(seen) for who, seen in before.items()} == {
        "lead": [],
        "team member": [],
        "outsider": [],
        "first reviewer": ["Strong pilot data."],
        "staff": ["Strong pilot data.", None],  # staff see who has yet to submit
    }
    both = ["Strong pilot data.", "Costs are thin but enough."]
    assert {who: rationales(seen) for who, seen in after.items()} == {
        "lead": both,
        "team member": both,
        "outsider": [],
        "first reviewer": ["Strong pilot data."],
        "staff": both,
    }
    assert after["lead"]["reviewPanel"]["status"] == "COMPLETE"
    assert node["outsider"] is None
    assert node["lead"] == {"rationale": "Strong pilot data."}


async def test_the_decision_keeps_the_panels_recommendations_and_who_decided(
    api, world, records, panels
):
    lead = world.lead()
    outsider = world.member()
    project = records.ready_for_evaluation(world, lead, visibility=MEMBERS)
    reviewers = [world.lead(), world.lead(), world.lead()]
    rows = panels.appoint(world.staff, project, reviewers)
    for reviewer, row, recommendation in zip(reviewers, rows, ["GO", "HOLD", "GO"], strict=True):
        panels.submit(reviewer, row, recommendation)  # type: ignore[arg-type]
    records.decide(lead, project, records_go())

    as_lead = await panel_seen_by(api, world.token(lead), project)
    as_outsider = await panel_seen_by(api, world.token(outsider), project)

    [pilot_go, evaluation_go] = as_lead["decisions"]["nodes"]
    assert pilot_go["panel"] is None
    assert evaluation_go["decidedBy"] is not None
    assert evaluation_go["panel"]["recommendations"] == [
        {"recommendation": "GO", "count": 2},
        {"recommendation": "HOLD", "count": 1},
    ]
    assert len(evaluation_go["panel"]["reviews"]) == 3
    outsider_view = as_outsider["decisions"]["nodes"][1]["panel"]
    assert outsider_view == {
        "appointed": 3,
        "submitted": 3,
        "complete": True,
        "recommendations": None,
        "reviews": [],
    }
    assert as_lead["reviewPanel"] is None  # the next gate has no panel yet


def records_go() -> Any:
    from inset.gates.models import GateDecisionKind

    return GateDecisionKind.GO


@pytest.fixture
async def strict_api(engine, db_url):
    """The app with a complete panel required at the EVALUATION -> SCALE gate."""
    settings = Settings(
        database_url=db_url,
        secret_key="test-secret-key",
        review_required_gates=frozenset({"EVALUATION"}),
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield Api(client)


async def test_where_a_panel_is_required_a_go_waits_for_it_unless_staff_override(
    strict_api, world, engine, records, panels
):
    lead = world.lead()
    project = records.ready_for_scale(world, lead, visibility=MEMBERS)
    [review] = panels.appoint(world.staff, project, [world.lead()])

    seen = await panel_seen_by(strict_api, world.token(lead), project)
    go = {
        "projectId": gid("Project", project),
        "decision": "GO",
        "rationale": "Ready to scale.",
        "expectedVersion": current(engine, project).version,
    }
    refused = await strict_api.data(DECIDE, {"input": go}, token=world.token(lead))
    overridden = await strict_api.data(
        DECIDE,
        {"input": {**go, "override": True, "rationale": "Funding deadline; panel to follow."}},
        token=world.token(world.staff),
    )

    assert seen["reviewPanel"]["required"] is True
    assert {"code": "panel_complete", "met": False, "mandatory": True} in seen["readiness"][
        "criteria"
    ]
    assert not seen["readiness"]["ready"]
    [error] = refused["decideGate"]["userErrors"]
    assert error["code"] == "GATE_NOT_MET"
    assert "have the gate reviewed" in error["message"]
    decision = overridden["decideGate"]
    assert decision["project"]["stage"] == "SCALE"
    assert decision["decision"]["unmetCriteria"] == ["panel_complete"]
    assert decision["decision"]["panel"] == {"complete": False}
    assert panels.row(review).closed_by_decision_id is not None


async def test_an_anonymous_reader_of_a_public_project_sees_the_panel_but_no_review(
    api, world, records, panels
):
    lead = world.lead()
    project = records.at_pilot(world, lead, visibility=Visibility.PUBLIC)
    reviewer = world.lead()
    [review] = panels.appoint(world.staff, project, [reviewer])
    panels.submit(reviewer, review)

    seen = await panel_seen_by(api, None, project)
    node = await api.data(REVIEW_NODE, {"id": gid("GateReview", review)})

    assert seen["reviewPanel"]["status"] == "COMPLETE"
    assert seen["reviewPanel"]["reviews"] == []
    assert node["node"] is None


async def test_a_read_only_token_cannot_submit_a_review(api, world, records, panels):
    from inset.accounts.models import TokenScope

    project = records.at_pilot(world, world.lead(), visibility=MEMBERS)
    reviewer = world.member()  # any role may review once appointed
    [review] = panels.appoint(world.staff, project, [reviewer])
    variables = {
        "input": {
            "reviewId": gid("GateReview", review),
            "assessments": every_criterion(PILOT_GATE),
            "recommendation": "GO",
            "rationale": "Sound.",
        }
    }

    read_only = await api.data(SUBMIT, variables, token=world.token(reviewer, TokenScope.READ))
    writing = await api.data(SUBMIT, variables, token=world.token(reviewer))

    assert read_only["submitReview"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert writing["submitReview"]["userErrors"] == []
    assert writing["submitReview"]["review"]["recommendation"] == "GO"
