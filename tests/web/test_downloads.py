"""Lists as CSV files: streamed, filtered as the pages filter, over what the person asking
may read, with a token or the web session's cookie."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from inset.accounts.models import Role, TokenScope
from inset.ids import to_global_id
from tests.portfolio.fixed_portfolio import Fixed, build_fixed

PASSWORD = "correct horse battery staple"
SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(input: {email: $email, password: $password}) { account { name } } }"""
COUNT = "query($filter: ProjectFilter) { projects(filter: $filter, first: 100) { nodes { id } } }"


@pytest.fixture
def fixed(world: Any) -> Fixed:
    return build_fixed(world)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def project(fixed: Fixed, n: int) -> str:
    return to_global_id("Project", getattr(fixed, f"p{n}").id)


async def download(api: Any, path: str, token: str | None = None, **headers: str) -> Any:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await api.client.get(path, headers=headers)


async def test_staff_download_the_projects_of_a_filter_as_the_list_shows_them(api, world, fixed):
    token = world.token(fixed.staff, TokenScope.READ)
    address = f"?theme={fixed.fostering}&from=2025-01-01&to=2025-06-30&scope=all"

    response = await download(api, f"/downloads/projects.csv{address}", token)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="inset-projects-'
    )
    got = rows(response.text)
    # P1 and P4 have the Fostering theme and were under way in the first half of 2025
    assert [r["id"] for r in got] == [project(fixed, 1), project(fixed, 4)]
    assert got[0]["themes"] == "Edge of care; Fostering"
    assert got[0]["total_cost"] == "1050.00"  # 1,000.00 x 1.05
    assert got[0]["adjusted_benefit"] == "3000.00"
    listed = await api.data(
        COUNT,
        {"filter": {"themes": [fixed.fostering], "from": "2025-01-01", "to": "2025-06-30"}},
        token=token,
    )
    # the same projects as the list (which is in order of the latest change)
    assert sorted(n["id"] for n in listed["projects"]["nodes"]) == sorted(r["id"] for r in got)


async def test_a_figures_address_downloads_its_projects(api, world, fixed):
    token = world.token(fixed.staff, TokenScope.READ)

    stopped = await download(api, "/downloads/projects.csv?gate=IDEA&outcome=STOPPED", token)
    entered = await download(
        api, "/downloads/projects.csv?entered=PILOT&from=2025-04-01&to=2025-06-30", token
    )
    untagged = await download(api, "/downloads/projects.csv?with_theme=none", token)

    assert [r["id"] for r in rows(stopped.text)] == [project(fixed, 3)]
    assert [r["id"] for r in rows(entered.text)] == [project(fixed, 2)]  # GO on 3 April
    assert [r["id"] for r in rows(untagged.text)] == [project(fixed, 3)]


async def test_a_member_downloads_only_what_they_may_read(api, world, fixed):
    token = world.token(fixed.member_c, TokenScope.READ)

    everything = await download(api, "/downloads/projects.csv?scope=all", token)
    ours = await download(api, "/downloads/projects.csv", token)

    # P2 is PRIVATE to organisation A; C leads nothing
    ids = [r["id"] for r in rows(everything.text)]
    assert ids == [project(fixed, 1), project(fixed, 3), project(fixed, 4)]
    assert rows(ours.text) == []
    assert ours.text.startswith("id,title,stage,status")


async def test_anonymous_readers_download_only_public_projects(api, fixed):
    response = await download(api, "/downloads/projects.csv?scope=all")

    assert response.status_code == 200
    assert rows(response.text) == []  # none of the four is PUBLIC


async def test_the_web_sessions_cookie_downloads_from_our_own_pages_only(api, world, fixed):
    org = world.org("Northmoor Borough Council")
    account = world.account(org, Role.STAFF, password=PASSWORD)
    await api.post(SIGN_IN, {"email": account.email, "password": PASSWORD})

    own = await download(
        api, "/downloads/lessons.csv?barrier=funding", **{"Sec-Fetch-Site": "same-origin"}
    )
    other = await download(api, "/downloads/lessons.csv", **{"Sec-Fetch-Site": "cross-site"})

    assert own.status_code == 200
    got = rows(own.text)
    # P1's BARRIER and WHAT_DID_NOT_WORK lessons tagged funding
    assert sorted(r["kind"] for r in got) == ["BARRIER", "WHAT_DID_NOT_WORK"]
    assert other.status_code == 403
    assert "another site" in other.text


async def test_a_bad_token_is_401_and_a_bad_parameter_400_naming_it(api, fixed):
    bad_token = await download(api, "/downloads/projects.csv", "inset_not-a-token")
    bad_stage = await download(api, "/downloads/projects.csv?stage=LAUNCH")
    bad_date = await download(api, "/downloads/projects.csv?from=2025-13-01")
    backwards = await download(api, "/downloads/projects.csv?from=2025-02-01&to=2025-01-01")

    assert bad_token.status_code == 401
    assert bad_token.headers["www-authenticate"] == "Bearer"
    assert (bad_stage.status_code, bad_stage.text) == (
        400,
        "stage must be one of IDEA, PILOT, EVALUATION, SCALE\n",
    )
    assert (bad_date.status_code, bad_date.text) == (
        400,
        "from must be a date such as 2025-04-01\n",
    )
    assert backwards.status_code == 400
    assert "must end on or after it starts" in backwards.text
