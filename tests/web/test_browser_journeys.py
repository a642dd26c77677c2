"""The journeys of the portfolio and of the rough edges, in a real browser at desktop and
phone width: from each figure to its projects with the filter kept, downloads, printing,
a not-found page, a confirmation in view, every form error at once, the activity feed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from web.browser_support import (
    CHROMIUM,
    DESKTOP,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    PHONE,
    STAFF_PASSWORD,
    Site,
    check_page,
    chromium,
    heading,
    new_context,
    overflows_sideways,
    running_site,
)

from inset.access import Actor
from inset.accounts.models import Account
from inset.db import transaction
from inset.ids import to_global_id
from inset.projects import service as projects
from inset.projects.models import InnovationType, Visibility
from inset.themes import service as themes

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def kinship_project(world: Any, site: Site) -> str:
    """A third project of the lead's, the only one with the theme Kinship care; its id."""
    with transaction(world.engine) as session:
        lead = session.scalars(sa.select(Account).where(Account.email == site.lead_email)).one()
        theme = themes.create_theme(session=session, actor=world.staff, name="Kinship care")
        projects.create_project(
            session=session,
            actor=Actor(account_id=lead.id, organisation_id=lead.organisation_id, role=lead.role),
            title="Kinship carers' evenings",
            summary="Evening sessions where kinship carers meet and learn from each other.",
            innovation_type=InnovationType.PRACTICE,
            lead_organisation_id=lead.organisation_id,
            visibility=Visibility.MEMBERS,
            theme_ids=[theme.id],
        )
        return to_global_id("Theme", theme.id)


def sign_in(page: Any, site: Site, email: str, password: str, landing: str) -> None:
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", email)
    page.fill("#sign-in-password", password)
    page.keyboard.press("Enter")
    heading(page, landing)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_staff_go_from_any_figure_to_its_projects_with_the_filter_kept(
    browser, site, world, viewport
):
    theme = kinship_project(world, site)
    context = new_context(browser, site, viewport)
    page = context.new_page()
    sign_in(page, site, site.staff_email, STAFF_PASSWORD, "Portfolio")
    name = "desktop" if viewport is DESKTOP else "phone"

    # the whole portfolio has three projects at idea; narrowed to the theme, one
    page.goto(f"{site.base}/portfolio?theme={theme}")
    heading(page, "Portfolio")
    expect(page.locator(".headline")).to_contain_text("Projects1")
    check_page(page, f"20-portfolio-filtered-{name}")
    assert not overflows_sideways(page)
    gates = page.locator("section", has=page.get_by_role("heading", name="Through each gate"))
    if viewport is PHONE:
        # the gate table is wider than a phone: it says so and scrolls by keyboard
        table = page.get_by_role("region", name="Through each gate (scrolls sideways)")
        expect(table).to_be_visible()
        expect(gates.locator(".scroll-hint")).to_be_visible()
        table.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.activeElement.scrollLeft > 0", polling=100, timeout=5000
        )
    download = page.get_by_role("link", name="Download these projects (CSV)")
    expect(download).to_have_attribute("href", re.compile(f"theme={theme}"))

    # the gate table's "reached" count opens the one project, not all three
    gates.get_by_role("link", name="1 reached the idea stage").click()
    heading(page, "Projects")
    expect(page).to_have_url(
        re.compile(f"theme={theme}.*gate=IDEA.*outcome=ENTERED|gate=IDEA.*theme={theme}")
    )
    expect(page.locator(".result-count")).to_have_text("1 project match")
    expect(page.locator(".narrowed")).to_contain_text("Projects that reached the idea stage")
    expect(page.locator(".cards")).to_contain_text("Kinship carers' evenings")
    check_page(page, f"21-projects-behind-a-figure-{name}")

    # a bar of the evidence chart opens its projects with the filter kept too
    page.go_back()
    heading(page, "Portfolio")
    page.get_by_role("link", name="Level 0: nothing yet: 1 project").click()
    expect(page.locator(".result-count")).to_have_text("1 project match")

    # printed, the page is the report without the site's controls
    page.go_back()
    heading(page, "Portfolio")
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".headline")).to_be_visible()
    context.close()
    assert site.outside == []
    assert site.problems == []


def test_a_list_downloads_as_csv_in_the_browser(browser, site, world):
    theme = kinship_project(world, site)
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, site.staff_email, STAFF_PASSWORD, "Portfolio")
    page.goto(f"{site.base}/projects?theme={theme}")
    expect(page.locator(".result-count")).to_have_text("1 project match")

    with page.expect_download() as started:
        page.get_by_role("link", name="Download these projects (CSV)").click()

    text = Path(started.value.path()).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0].startswith("id,title,stage,status")
    assert len(lines) == 2
    assert "Kinship carers' evenings" in lines[1]
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_an_unknown_address_gets_a_page_that_says_so_with_the_sites_navigation(
    browser, site, viewport
):
    context = new_context(browser, site, viewport)
    page = context.new_page()

    response = page.goto(f"{site.base}/projects-old/12")

    assert response is not None
    assert response.status == 404
    heading(page, "Page not found")
    expect(page).to_have_title("Page not found \u2013 Inset")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="the learning library")).to_be_visible()
    check_page(page, f"22-not-found-{'desktop' if viewport is DESKTOP else 'phone'}")
    context.close()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_lead_sees_every_error_at_once_then_the_confirmation_in_view_and_the_activity(
    browser, site, viewport
):
    context = new_context(browser, site, viewport)
    page = context.new_page()
    sign_in(page, site, site.lead_email, LEAD_PASSWORD, "Your projects")
    page.goto(f"{site.base}/projects/{site.second}/costs/new")
    heading(page, "Record a cost")

    page.get_by_role("button", name="Record cost").click()

    # every error of the empty form in one round, as GOV.UK words them
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    for message in ("Enter what the cost is for", "Choose a category", "Enter the amount"):
        expect(summary).to_contain_text(message)
    page.select_option("#field-category", "STAFF")
    page.fill("#field-description", "Two weekend carers")
    page.fill("#field-amount", "8000")
    page.select_option("#field-confidence", "2")
    page.get_by_role("button", name="Record cost").click()

    # the page opens at its costs, far down, and the confirmation is in view there
    flash = page.locator(".flash")
    expect(flash).to_contain_text("Cost recorded.")
    expect(page.locator("#money")).to_contain_text("£8,000.00")
    page.wait_for_function("() => window.scrollY > 0")
    box = flash.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height
    if viewport is PHONE:
        expect(page.get_by_role("region", name="Cost lines (scrolls sideways)")).to_be_visible()
    activity = page.locator("#activity")
    expect(activity).to_contain_text("Recorded a cost")
    expect(activity).to_contain_text("Created the project")
    check_page(page, f"23-project-activity-{'desktop' if viewport is DESKTOP else 'phone'}")
    context.close()
    assert site.problems == []


def test_a_refused_go_says_what_to_do_not_criterion_codes(browser, site):
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, site.lead_email, LEAD_PASSWORD, "Your projects")
    page.goto(f"{site.base}/projects/{site.third}/decision")
    page.get_by_label(re.compile("^Go to ")).check()
    page.fill("#field-rationale", "We are ready to try it.")

    page.get_by_role("button", name="Record the decision").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Not ready to go on yet: state the problem")
    expect(summary).to_contain_text("record at least one estimated cost")
    expect(summary).not_to_contain_text("estimated_cost")
    context.close()


REWORD = """async () => {
    const f = await import('/static/lib/forms.js');
    const required = { title: 'Enter a title' };
    return [
        f.reword('title', { code: 'REQUIRED', message: 'title is required' }, required),
        f.reword(
            'summary',
            { code: 'TOO_LONG', message: 'summary is longer than 20,000 characters' },
            required,
        ),
        f.reword(
            'title',
            { code: 'PERSONAL_DATA', message: 'title looks like it contains an NHS number' },
            required,
        ),
        f.reword(
            'theoryOfChange',
            { code: 'TOO_LONG', message: 'theoryOfChange is longer than 20,000 characters' },
            required,
        ),
    ];
}"""


def test_the_servers_messages_read_as_the_govuk_design_system_words_them(browser, site):
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"{site.base}/library")

    reworded = page.evaluate(REWORD)

    assert reworded == [
        "Enter a title",
        "Summary must be 20,000 characters or fewer",
        "title looks like it contains an NHS number",  # already says what is wrong and why
        "Theory of change must be 20,000 characters or fewer",
    ]
    context.close()
