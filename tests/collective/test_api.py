"""The Collective through the API: the digest whoever asks, and staff choosing case studies
with the personal-data guard, the audit log and user errors that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from collective.scenario import PRIVATE_TITLE, Sector, make_sector
from conftest import Api, World
from sqlmodel import Session

from inset.audit.models import AuditEvent
from inset.collective.models import CaseStudy
from inset.ids import to_global_id

COLLECTIVE = """
query Collective($year: Int!) {
  collective(year: $year) {
    year pageUrl pdfUrl
    figures { projectCount stopped byStage { label count } gateMovements { label count } }
    caseStudies {
      position summary organisation evidenceLevel benefitCostRatio
      netBenefit { amount }
      project { title }
      outcomes { name baseline latest target higherIsBetter }
    }
    lessonsByBarrier { barrier lessons { title source projectTitle anonymised } }
    enablers { title }
    changes { label previous current change }
  }
}
"""

FEATURE = """
mutation Feature($input: FeatureCaseStudyInput!) {
  featureCaseStudy(input: $input) {
    caseStudy { position summary project { title } }
    userErrors { field code message }
  }
}
"""

UNFEATURE = """
mutation Unfeature($input: UnfeatureCaseStudyInput!) {
  unfeatureCaseStudy(input: $input) { project { title } userErrors { field code } }
}
"""


@pytest.fixture
def sector(world: World) -> Sector:
    return make_sector(world)


def feature_input(sector: Sector, **values: Any) -> dict[str, Any]:
    return {
        "projectId": to_global_id("Project", sector.public.id or 0),
        "year": sector.year,
        "position": 1,
        "summary": "Repeat missing episodes fell by almost half in a year.",
        **values,
    }


async def test_staff_feature_a_case_study_and_anyone_reads_it_in_the_digest(
    world: World, api: Api, sector: Sector, session: Session
) -> None:
    token = world.token(world.staff)
    body = await api.data(FEATURE, {"input": feature_input(sector)}, token=token)
    assert body["featureCaseStudy"]["userErrors"] == []
    assert body["featureCaseStudy"]["caseStudy"]["project"]["title"] == "Return home chats"

    digest = (await api.data(COLLECTIVE, {"year": sector.year}))["collective"]

    assert digest["pdfUrl"] == f"/collective/{sector.year}.pdf"
    [study] = digest["caseStudies"]
    assert study["summary"] == "Repeat missing episodes fell by almost half in a year."
    assert study["outcomes"] == [
        {
            "name": "Missing episodes",
            "baseline": "45",
            "latest": "24",
            "target": "20",
            "higherIsBetter": False,
        }
    ]
    assert (study["benefitCostRatio"], study["netBenefit"]["amount"]) == (2.5, "15000.00")
    assert digest["figures"]["projectCount"] == 2
    actions = session.scalars(sa.select(AuditEvent.action)).all()
    assert "case_study.feature" in actions


async def test_a_signed_in_reader_gets_the_same_digest_as_anyone(
    world: World, api: Api, sector: Sector
) -> None:
    anonymous = await api.data(COLLECTIVE, {"year": sector.year})
    insider = await api.data(COLLECTIVE, {"year": sector.year}, token=world.token(world.staff))

    assert insider == anonymous
    assert PRIVATE_TITLE not in str(insider)
    funding = next(
        g for g in anonymous["collective"]["lessonsByBarrier"] if g["barrier"] == "funding"
    )
    assert funding["lessons"] == [
        {
            "title": "Funding ended before the evaluation",
            "source": "Charity, South West",
            "projectTitle": None,
            "anonymised": True,
        }
    ]


async def test_featuring_again_moves_the_case_study_and_others_make_room(
    world: World, api: Api, sector: Sector
) -> None:
    from collective.scenario import go_to

    from inset.projects.models import Stage, Visibility

    token = world.token(world.staff)
    other = world.project(sector.lead, title="Kinship carers' circle", visibility=Visibility.PUBLIC)
    go_to(world, other, Stage.SCALE)
    await api.data(FEATURE, {"input": feature_input(sector)}, token=token)
    second = {"projectId": to_global_id("Project", other.id or 0), "summary": "Carers stayed."}
    await api.data(FEATURE, {"input": feature_input(sector, **second)}, token=token)

    digest = (await api.data(COLLECTIVE, {"year": sector.year}))["collective"]
    assert [(s["position"], s["project"]["title"]) for s in digest["caseStudies"]] == [
        (1, "Kinship carers' circle"),
        (2, "Return home chats"),
    ]

    body = await api.data(
        UNFEATURE,
        {"input": {"projectId": second["projectId"], "year": sector.year}},
        token=token,
    )
    assert body["unfeatureCaseStudy"]["userErrors"] == []
    digest = (await api.data(COLLECTIVE, {"year": sector.year}))["collective"]
    assert [s["project"]["title"] for s in digest["caseStudies"]] == ["Return home chats"]


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (
            {"summary": "Ask Jo on jo.bloggs@example.org or 07700 900123."},
            "summary",
            "PERSONAL_DATA",
        ),
        ({"summary": "   "}, "summary", "REQUIRED"),
        ({"position": 0}, "position", "INVALID"),
        ({"year": 1999}, "year", "INVALID"),
    ],
)
async def test_bad_input_to_feature_a_case_study_is_a_user_error_that_stores_nothing(
    world: World,
    api: Api,
    sector: Sector,
    session: Session,
    values: dict[str, Any],
    field: str,
    code: str,
) -> None:
    body = await api.data(
        FEATURE, {"input": feature_input(sector, **values)}, token=world.token(world.staff)
    )

    errors = body["featureCaseStudy"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", field], code)]
    assert session.scalar(sa.select(sa.func.count()).select_from(CaseStudy)) == 0


async def test_a_private_project_or_one_short_of_evaluation_cannot_be_a_case_study(
    world: World, api: Api, sector: Sector
) -> None:
    token = world.token(world.staff)
    private = to_global_id("Project", sector.private.id or 0)
    idea = to_global_id("Project", sector.stopped.id or 0)

    for project_id, words in ((private, "PUBLIC"), (idea, "EVALUATION or SCALE")):
        body = await api.data(
            FEATURE, {"input": feature_input(sector, projectId=project_id)}, token=token
        )
        [error] = body["featureCaseStudy"]["userErrors"]
        assert error["code"] == "INVALID"
        assert words in error["message"]


async def test_only_staff_choose_case_studies(world: World, api: Api, sector: Sector) -> None:
    body = await api.data(FEATURE, {"input": feature_input(sector)}, token=world.token(sector.lead))

    [error] = body["featureCaseStudy"]["userErrors"]
    assert error["code"] == "FORBIDDEN"


async def test_a_year_out_of_range_is_refused_with_a_clear_error(api: Api) -> None:
    body = await api.gql(COLLECTIVE, {"year": 20260})

    [error] = body["errors"]
    assert "2000 to 2100" in error["message"]


TAGS = """
query Collective($year: Int!) {
  collective(year: $year) {
    lessonsByBarrier { barrier barrierTag lessons { barriers barrierTags } }
  }
}
"""


async def test_the_digests_barrier_headings_and_lessons_carry_the_typed_tags(
    api: Api, sector: Sector
) -> None:
    groups = (await api.data(TAGS, {"year": sector.year}))["collective"]["lessonsByBarrier"]

    assert groups
    for group in groups:
        if group["barrier"] == "Other lessons":
            assert group["barrierTag"] is None
        else:
            assert group["barrierTag"] == group["barrier"].upper().replace(" ", "_")
        for lesson in group["lessons"]:
            assert lesson["barrierTags"] == [
                t.upper().replace(" ", "_") for t in lesson["barriers"]
            ]
    assert "FUNDING" in [g["barrierTag"] for g in groups]
