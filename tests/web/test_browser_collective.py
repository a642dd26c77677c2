"""The Collective's page and replication in the browser, at phone and desktop width, with
axe-core on each page as the other browser tests run it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from collective.scenario import PRIVATE_TITLE, Sector, make_sector
from web.browser_support import (
    CHROMIUM,
    DESKTOP,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    PHONE,
    Site,
    chromium,
    heading,
    new_context,
    overflows_sideways,
    running_site,
    screenshot,
    serious_accessibility_violations,
)

from inset.collective.service import feature_case_study
from inset.db import transaction
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect


@pytest.fixture
def sector(world: Any) -> Sector:
    sector = make_sector(world)
    with transaction(world.engine) as session:
        feature_case_study(
            session=session,
            actor=world.staff,
            project_id=sector.public.id or 0,
            year=sector.year,
            position=1,
            summary="Repeat missing episodes fell by almost half within the year.",
        )
        lessons.record_lesson(
            session=session,
            actor=sector.lead,
            project_id=sector.public.id or 0,
            kind=LessonKind.WHAT_WORKED,
            title="Chats within a day of return",
            body="Young people talked most when the chat came within a day of their return.",
        )
    return sector


@pytest.fixture
def site(world: Any, engine: Any, db_url: str, sector: Sector) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_anyone_reads_the_digest_page_with_its_charts_and_numbers(
    browser: Any, site: Site, sector: Sector, width: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, site, viewport)
    page = context.new_page()

    page.goto(f"{site.base}/collective/{sector.year}")

    heading(page, f"The Collective {sector.year}")
    expect(page.get_by_role("heading", name="Return home chats")).to_be_visible()
    expect(
        page.get_by_role("img", name=f"Projects by stage at the end of {sector.year}")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Outcomes: baseline, latest and target")).to_contain_text(
        "45 episodes a month"
    )
    expect(page.get_by_text("Charity, South West")).to_be_visible()
    assert PRIVATE_TITLE not in page.content()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"collective-{width}")
    assert not overflows_sideways(page)
    assert serious_accessibility_violations(page) == []
    link = page.get_by_role("link", name="Download the digest as PDF")
    assert link.get_attribute("href") == f"/collective/{sector.year}.pdf"
    context.close()
    assert site.outside == []
    assert site.problems == []


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_lead_of_another_organisation_replicates_a_public_project_and_sees_its_lineage(
    browser: Any, site: Site, sector: Sector, width: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, site, viewport)
    page = context.new_page()
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Your projects")
    original = f"{site.base}/projects/{_gid(sector.public.id)}"

    page.goto(original)
    heading(page, "Return home chats")
    page.wait_for_load_state("networkidle")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Replicate this project").click()

    heading(page, "Return home chats")
    expect(page.get_by_text("at the idea stage, linked to the original")).to_be_visible()
    lineage = page.locator("#lineage")
    expect(lineage).to_contain_text("Replicates Return home chats (Northmoor Council)")
    expect(lineage.get_by_role("link", name="Chats within a day of return")).to_be_visible()
    assert page.url != original
    page.wait_for_load_state("networkidle")
    screenshot(page, f"replication-{width}")
    assert not overflows_sideways(page)
    assert serious_accessibility_violations(page) == []

    page.goto(original)
    expect(page.locator("#lineage")).to_contain_text("Replicated by one project elsewhere")
    expect(page.get_by_role("button", name="Replicate this project")).to_be_visible()
    context.close()
    assert site.outside == []
    assert site.problems == []


def _gid(pk: int | None) -> str:
    from inset.ids import to_global_id

    return to_global_id("Project", pk or 0)
