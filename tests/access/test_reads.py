"""Who reads which project and its records, on every read path (DESIGN.md section 6).

A project the viewer may not read behaves exactly as if it did not exist: `node` is null,
and it is absent from every list, every `totalCount` and every figure. `READS` in cast.py
is the table of who reads what; each test here runs over its rows.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Api, World

from inset.accounts.models import TokenScope
from inset.projects.models import Visibility
from tests.access.cast import (
    ANONYMOUS,
    LEAD_ORG_LEAD,
    LEAD_ORG_MEMBER,
    MEMBERS,
    PARTNER_LEAD,
    PARTNER_MEMBER,
    PRIVATE,
    PUBLIC,
    STAFF,
    Cast,
    Who,
    gid,
    may_read,
    read_matrix,
    roles,
)


@pytest.fixture
def cast(world: World) -> Cast:
    return Cast(world)


PROJECT_BY_ID = """
query ($id: ID!) {
  node(id: $id) { id ... on Project { title visibility } }
  nodes(ids: [$id]) { id }
}
"""

PROJECT_LISTS = """
query ($lead: ID!, $partner: ID!, $owner: ID!) {
  all: projects { totalCount nodes { id } edges { node { id } } }
  backwards: projects(last: 10) { totalCount nodes { id } }
  ledOrPartnered: projects(filter: {organisations: [$lead, $partner]}) { totalCount nodes { id } }
  partnered: projects(filter: {organisations: [$partner]}) { totalCount nodes { id } }
  searched: projects(filter: {search: "kinship"}) { totalCount nodes { id } }
  anyVisibility: projects(filter: {visibility: [PRIVATE, MEMBERS, PUBLIC]}) {
    totalCount nodes { id }
  }
  byLeadOrganisation: projects(
    filter: {organisationKinds: [LOCAL_AUTHORITY], regions: ["North West"]}
  ) { totalCount nodes { id } }
  organisation: node(id: $lead) { ... on Organisation { projects { totalCount nodes { id } } } }
  account: node(id: $owner) {
    ... on Account { organisation { projects { totalCount nodes { id } } } }
  }
  directory: organisations(filter: {search: "Lead Borough"}) {
    nodes { projects { totalCount nodes { id } } }
  }
}
"""

RECORD_KINDS = ["Evidence", "Outcome", "Cost", "Benefit", "Lesson", "GateDecision"]

RECORDS = """
query ($Project: ID!, $Evidence: ID!, $Outcome: ID!, $Cost: ID!, $Benefit: ID!,
       $Lesson: ID!, $GateDecision: ID!) {
  Evidence: node(id: $Evidence) { id }
  Outcome: node(id: $Outcome) { id }
  Cost: node(id: $Cost) { id }
  Benefit: node(id: $Benefit) { id }
  Lesson: node(id: $Lesson) { id }
  GateDecision: node(id: $GateDecision) { id }
  project: node(id: $Project) {
    ... on Project {
      evidence { totalCount nodes { id } }
      costs { totalCount nodes { id } }
      benefits { totalCount nodes { id } }
      lessons { totalCount nodes { id } }
      decisions { totalCount nodes { id } }
      outcomes { id observations { value } }
      economics { grossCost { amount } grossBenefit { amount } }
    }
  }
}
"""

LIBRARY = """
{
  all: lessons { totalCount nodes { id } }
  searched: lessons(search: "evening", filter: {organisationKinds: [LOCAL_AUTHORITY]}) {
    totalCount nodes { id }
  }
}
"""

ALL_PROJECTS = "{ projects { totalCount nodes { id } } }"

LESSONS_AS_SHOWN = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Lesson { title organisationKind region project { id } organisation { id } }
  }
  lessons { totalCount nodes { title } }
}
"""


def listed(ids: list[str]) -> dict[str, Any]:
    return {"totalCount": len(ids), "nodes": [{"id": i} for i in ids]}


@pytest.mark.parametrize(("who", "visibility", "visible"), read_matrix())
async def test_node_shows_a_project_only_to_those_who_may_read_it(
    api: Api, cast: Cast, who: Who, visibility: Visibility, visible: bool
) -> None:
    # given
    project = cast.project(visibility)
    project_id = gid("Project", project)
    # when
    data = await api.data(PROJECT_BY_ID, {"id": project_id}, token=cast.token(who))
    # then
    if visible:
        assert data["node"] == {"id": project_id, "title": project.title, "visibility": visibility}
        assert data["nodes"] == [{"id": project_id}]
    else:
        assert data == {"node": None, "nodes": [None]}


def shown(page: dict[str, Any]) -> tuple[int, set[str]]:
    """(totalCount, ids) of a page of a connection."""
    return page["totalCount"], {node["id"] for node in page["nodes"]}


@pytest.mark.parametrize("who", roles())
async def test_every_project_list_and_its_total_count_hold_exactly_what_the_viewer_may_read(
    api: Api, cast: Cast, who: Who
) -> None:
    # given one project of each visibility, led by the lead organisation with a partner and
    # by its lead (whose account everyone then reads, as the lead of the public one)
    projects = {
        v: cast.project(
            v, title=f"Kinship carers ({v.lower()})", lead_account_id=cast.owner.account_id
        )
        for v in Visibility
    }
    ids = {
        "lead": gid("Organisation", cast.lead_org),
        "partner": gid("Organisation", cast.partner_org),
        "owner": gid("Account", cast.account_id(LEAD_ORG_LEAD)),
    }
    # when
    data = await api.data(PROJECT_LISTS, ids, token=cast.token(who))
    # then every list, filtered or nested, holds the readable ones and counts only them
    every = data.pop("all")
    pages = {
        "all": every,
        "all (edges)": {**every, "nodes": [edge["node"] for edge in every["edges"]]},
        "organisation": data.pop("organisation")["projects"],
        "account's organisation": data.pop("account")["organisation"]["projects"],
        "directory": data.pop("directory")["nodes"][0]["projects"],
        **data,
    }
    readable = {gid("Project", p) for v, p in projects.items() if may_read(who, v)}
    assert {name: shown(page) for name, page in pages.items()} == dict.fromkeys(
        pages, (len(readable), readable)
    )


def as_read(ids: dict[str, str]) -> dict[str, Any]:
    """What a reader of the project sees of the records `Cast.records` made on it."""
    return {
        **{name: {"id": ids[name]} for name in RECORD_KINDS},
        "project": {
            "evidence": listed([ids["Evidence"]]),
            "costs": listed([ids["Cost"]]),
            "benefits": listed([ids["Benefit"]]),
            "lessons": listed([ids["Lesson"]]),
            "decisions": listed([ids["GateDecision"]]),
            "outcomes": [{"id": ids["Outcome"], "observations": [{"value": "9"}]}],
            "economics": {
                "grossCost": {"amount": "10000.00"},
                "grossBenefit": {"amount": "4000.00"},
            },
        },
    }


@pytest.mark.parametrize("who", roles())
async def test_a_projects_records_are_readable_exactly_where_the_project_is(
    api: Api, cast: Cast, who: Who
) -> None:
    # given one project of each visibility, with one record of each kind on it
    projects = {v: cast.project(v) for v in Visibility}
    records = {
        v: {name: gid(name, pk) for name, pk in cast.records(p).items()}
        for v, p in projects.items()
    }
    token = cast.token(who)
    # when
    seen = {
        v: await api.data(RECORDS, {**ids, "Project": gid("Project", projects[v])}, token=token)
        for v, ids in records.items()
    }
    library = await api.data(LIBRARY, token=token)
    # then
    hidden = dict.fromkeys([*RECORD_KINDS, "project"])
    assert seen == {v: as_read(ids) if may_read(who, v) else hidden for v, ids in records.items()}
    readable = {ids["Lesson"] for v, ids in records.items() if may_read(who, v)}
    assert {name: shown(page) for name, page in library.items()} == dict.fromkeys(
        library, (len(readable), readable)
    )


@pytest.mark.parametrize("who", [r for r in roles() if r.values[0] is not ANONYMOUS])
async def test_a_read_only_token_reads_exactly_what_its_account_reads(
    api: Api, cast: Cast, who: Who
) -> None:
    # given one project of each visibility
    projects = {v: cast.project(v, title=f"A {v.lower()} project") for v in Visibility}
    # when
    data = await api.data(ALL_PROJECTS, token=cast.token(who, TokenScope.READ))
    # then
    readable = {gid("Project", p) for v, p in projects.items() if may_read(who, v)}
    assert {n["id"] for n in data["projects"]["nodes"]} == readable
    assert data["projects"]["totalCount"] == len(readable)


# Who sees the organisation and project behind an anonymised lesson, whatever the visibility.
OWN = {LEAD_ORG_MEMBER, LEAD_ORG_LEAD, PARTNER_MEMBER, PARTNER_LEAD, STAFF}

# How far each lesson reaches: (its project's visibility, the lesson's own reach, anonymised).
SHARED_LESSONS = {
    "shared publicly": (PRIVATE, PUBLIC, False),
    "shared publicly, anonymised": (PRIVATE, PUBLIC, True),
    "shared with members, anonymised": (PRIVATE, MEMBERS, True),
    "from a members' project, shared publicly, anonymised": (MEMBERS, PUBLIC, True),
    "as its private project": (PRIVATE, None, False),
}


@pytest.mark.parametrize("who", roles())
async def test_a_lesson_shared_beyond_its_project_never_shows_what_the_reader_may_not_see(
    api: Api, cast: Cast, who: Who
) -> None:
    """Readable by whoever reads its project or its own reach; its project shown only to
    the project's readers; an anonymised one shows the lead organisation's kind and region
    but names neither the organisation nor the project to anyone but staff and the
    project's own organisations, even to a member who may read the project."""
    # given one lesson on its own project for each row of SHARED_LESSONS
    projects, ids = {}, []
    for title, (project_visibility, reach, anonymised) in SHARED_LESSONS.items():
        projects[title] = cast.project(project_visibility, title=f"Project of a lesson {title}")
        lesson = cast.lesson(projects[title], title=title, shared_with=reach, anonymised=anonymised)
        ids.append(gid("Lesson", lesson))
    # when
    data = await api.data(LESSONS_AS_SHOWN, {"ids": ids}, token=cast.token(who))
    # then
    expected: dict[str, Any] = {}
    own = who in OWN
    for title, (project_visibility, reach, anonymised) in SHARED_LESSONS.items():
        reads_project = may_read(who, project_visibility)
        if not (reads_project or (reach is not None and may_read(who, reach))):
            expected[title] = None
            continue
        named = own or not anonymised
        expected[title] = {
            "title": title,
            "organisationKind": "LOCAL_AUTHORITY",
            "region": "North West",
            "project": (
                {"id": gid("Project", projects[title])} if reads_project and named else None
            ),
            "organisation": {"id": gid("Organisation", cast.lead_org)} if named else None,
        }
    assert dict(zip(SHARED_LESSONS, data["nodes"], strict=True)) == expected
    readable = {title for title, lesson in expected.items() if lesson is not None}
    assert {n["title"] for n in data["lessons"]["nodes"]} == readable
    assert data["lessons"]["totalCount"] == len(readable)
