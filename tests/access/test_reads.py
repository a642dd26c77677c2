"""Who reads which project, on every read path (DESIGN.md section 6).

A project the viewer may not read must behave exactly as if it did not exist: `node` is
null, and it is absent from every list and every `totalCount`. The table of who reads
what is `READS` in cast.py; every test here is parametrized over its rows.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Api, World
from tests.access.cast import Cast, Who, gid, read_matrix
from inset.projects.models import Visibility


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
query ($lead: ID!, $partner: ID!) {
  all: projects { totalCount nodes { id } edges { node { id } } }
  backwards: projects(last: 10) { totalCount nodes { id } }
  ledOrPartnered: projects(filter: {organisations: [$lead, $partner]}) { totalCount nodes { id } }
  partnered: projects(filter: {organisations: [$partner]}) { totalCount nodes { id } }
  searched: projects(filter: {search: "kinship"}) { totalCount nodes { id } }
  anyVisibility: projects(filter: {visibility: [PRIVATE, MEMBERS, PUBLIC]}) {
    totalCount nodes { id }
  }
  byKind: projects(filter: {organisationKinds: [LOCAL_AUTHORITY], regions: ["North West"]}) {
    totalCount nodes { id }
  }
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
        assert data["node"] is None
        assert data["nodes"] == [None]


@pytest.mark.parametrize(("who", "visibility", "visible"), read_matrix())
async def test_every_project_list_and_its_total_count_hold_a_project_only_for_its_readers(
    api: Api, cast: Cast, who: Who, visibility: Visibility, visible: bool
) -> None:
    # given
    project = cast.project(visibility)
    orgs = {"lead": gid("Organisation", cast.lead_org), "partner": gid("Organisation", cast.partner_org)}
    # when
    data = await api.data(PROJECT_LISTS, orgs, token=cast.token(who))
    # then
    expected = listed([gid("Project", project)] if visible else [])
    assert data.pop("all") == {**expected, "edges": [{"node": n} for n in expected["nodes"]]}
    assert data == {alias: expected for alias in data}
