"""Who learns whose an anonymised lesson is (DESIGN.md section 6).

Staff and the people of the project's own organisations (lead and partners) see its
organisation and project; everyone else, members of other organisations included and
whatever the project's visibility, sees the lead organisation's kind and region only: on
the lesson itself, in the library and its search, under the project, under a decision and
in the portfolio's barrier counts.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World

from inset.db import pk, transaction
from inset.gates import service as gates
from inset.gates.models import GateDecisionKind
from inset.lessons.models import LessonKind
from inset.lessons.service import InlineLesson
from inset.projects.models import Visibility
from tests.access.cast import (
    LEAD_ORG_LEAD,
    LEAD_ORG_MEMBER,
    PARTNER_LEAD,
    PARTNER_MEMBER,
    STAFF,
    Cast,
    Who,
    gid,
    label,
    may_read,
)

# Who may know whose an anonymised lesson is, whatever the project's visibility.
OWN = {LEAD_ORG_MEMBER, LEAD_ORG_LEAD, PARTNER_MEMBER, PARTNER_LEAD, STAFF}

AS_SEEN = """
query ($lesson: ID!, $project: ID!) {
  lesson: node(id: $lesson) {
    ... on Lesson { organisationKind region organisation { id } project { id } }
  }
  project: node(id: $project) {
    ... on Project {
      lessons { totalCount nodes { id } }
      decisions { nodes { lesson { id } } }
    }
  }
  library: lessons { totalCount nodes { id organisation { id } project { id } } }
  found: lessons(search: "evening") { nodes { id snippet organisation { id } project { id } } }
  portfolio { topBarriers { key count } }
}
"""


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
async def test_an_anonymised_lesson_names_its_organisation_and_project_only_to_its_own(
    api: Api, cast: Cast, who: Who, visibility: Visibility
) -> None:
    # given a project with an anonymised lesson shared publicly, and a decision that came
    # with another anonymised lesson (which reaches as far as the project)
    project = cast.project(visibility)
    shared = cast.lesson(
        project, anonymised=True, shared_with=Visibility.PUBLIC, barriers=["funding"]
    )
    with transaction(cast.engine) as session:
        gates.decide_gate(
            session=session,
            actor=cast.owner,
            project_id=pk(project),
            decision=GateDecisionKind.HOLD,
            rationale="Waiting for the new budget year.",
            expected_version=project.version,
            lesson=InlineLesson(
                kind=LessonKind.ENABLER,
                title="Weekend sessions",
                body="Saturday mornings suited working carers better.",
                anonymised=True,
            ),
        )
    ids = {"lesson": gid("Lesson", shared), "project": gid("Project", project)}
    # when
    data = await api.data(AS_SEEN, ids, token=cast.token(who))
    # then
    own, reads_project = who in OWN, may_read(who, visibility)
    whose = {
        "organisation": {"id": gid("Organisation", cast.lead_org)} if own else None,
        "project": {"id": ids["project"]} if own else None,
    }
    assert data["lesson"] == {"organisationKind": "LOCAL_AUTHORITY", "region": "North West"} | whose
    library = {node.pop("id"): node for node in data["library"]["nodes"]}
    assert library[ids["lesson"]] == whose
    assert all(node == whose for node in library.values())
    assert len(library) == (2 if reads_project else 1) == data["library"]["totalCount"]
    [found] = data["found"]["nodes"]
    assert found["id"] == ids["lesson"]
    assert "«Evening»" in found["snippet"]
    assert {k: found[k] for k in ("organisation", "project")} == whose
    if not reads_project:
        assert data["project"] is None
    elif own:
        assert set(library) <= {n["id"] for n in data["project"]["lessons"]["nodes"]}
        assert data["project"]["lessons"]["totalCount"] == 2
        [with_lesson] = data["project"]["decisions"]["nodes"]
        assert with_lesson["lesson"] is not None
    else:
        # listing the lesson under its project would name the project
        assert data["project"]["lessons"] == {"totalCount": 0, "nodes": []}
        assert data["project"]["decisions"]["nodes"] == [{"lesson": None}]
    barriers = data["portfolio"]["topBarriers"]
    assert barriers == ([{"key": "funding", "count": 1}] if own else [])
