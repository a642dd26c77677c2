"""Paging through `projects` while others edit: the default order (newest first) neither
skips nor repeats a project; an order by last change can, as its description says."""

from __future__ import annotations

from typing import Any

from conftest import Api, World

PAGE = """query($after: String, $order: ProjectOrder) {
  projects(first: 4, after: $after, orderBy: $order) {
    nodes { id } pageInfo { endCursor hasNextPage } } }"""
ALL = "{ projects(first: 100) { nodes { id version } } }"
EDIT = """mutation($input: UpdateProjectInput!) {
  updateProject(input: $input) { project { id } userErrors { code message } } }"""


async def _edit_all_but(api: Api, token: str, seen: set[str]) -> None:
    """Another user retitles every project not yet seen, and one that was."""
    projects = (await api.data(ALL, token=token))["projects"]["nodes"]
    unseen = [p for p in projects if p["id"] not in seen]
    chosen = unseen + [p for p in projects if p["id"] in seen][:1]
    for project in chosen:
        edit = {"projectId": project["id"], "expectedVersion": project["version"]}
        payload = await api.data(
            EDIT, {"input": {**edit, "title": f"Edited {project['version']}"}}, token=token
        )
        assert payload["updateProject"]["userErrors"] == []


async def _page_through(api: Api, token: str, order: Any = None) -> list[str]:
    """The ids of every page in turn, with edits between pages."""
    seen: list[str] = []
    after = None
    while True:
        body = await api.data(PAGE, {"after": after, "order": order}, token=token)
        page = body["projects"]
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]
        await _edit_all_but(api, token, set(seen))


async def test_paging_in_the_default_order_neither_skips_nor_repeats_under_edits(
    api: Api, world: World
) -> None:
    lead = world.lead()
    for _ in range(10):
        world.project(lead)
    token = world.token(lead)
    everyone = {p["id"] for p in (await api.data(ALL, token=token))["projects"]["nodes"]}

    seen = await _page_through(api, token)

    assert len(seen) == len(set(seen)), "a project was repeated"
    assert set(seen) == everyone, "a project was skipped"


async def test_paging_by_last_change_can_skip_a_project_edited_meanwhile(
    api: Api, world: World
) -> None:
    lead = world.lead()
    for _ in range(10):
        world.project(lead)
    token = world.token(lead)
    everyone = {p["id"] for p in (await api.data(ALL, token=token))["projects"]["nodes"]}

    seen = await _page_through(api, token, {"field": "UPDATED_AT", "direction": "DESC"})

    # Each edit moved a project not yet seen to the front, behind the cursor.
    assert set(seen) < everyone
