"""The web client's pages beyond the lead's journey: GraphiQL offline, phones, UK formats."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from web.browser_support import (
    CHROMIUM,
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

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

PHONE_PAGES = [
    ("projects", "/projects", "Your projects"),
    ("new-project", "/projects/new", "New project"),
    ("project", "/projects/{second}", "Weekend respite beds for teenagers"),
    ("decision", "/projects/{second}/decision", "Take a gate decision"),
    ("cost-form", "/projects/{second}/costs/new", "Record a cost"),
    ("library", "/library", "Learning library"),
    ("portfolio", "/portfolio", "Portfolio"),
]

FORMATS = """async () => {
    const f = await import('/static/lib/format.js');
    return {
        money: ['12500.00', '-40.5', { amount: '1234567.89' }, '0.00'].map(f.money),
        dates: [f.date('2026-11-27'), f.shortDate('2026-11-27'), f.date('2026-06-30T23:30:00Z')],
        typed: ['27/11/2026', '1/2/2026', '31/02/2026', '2026-11-27'].map(f.parseDate),
        amounts: ['£12,500', '12500.5', '12.345', '-3'].map(f.parseMoney),
    };
}"""


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def test_graphiql_works_with_no_network(browser, site):
    context = new_context(browser, site)
    page = context.new_page()

    page.goto(f"{site.base}/graphql")
    page.locator(".graphiql-execute-button").click()

    expect(page.locator(".result-window")).to_contain_text('"projects"')
    screenshot(page, "18-graphiql", full_page=False)
    context.close()
    assert site.outside == []
    assert site.problems == []


def test_every_main_page_reads_on_a_phone_360_pixels_wide(browser, site):
    context = new_context(browser, site, PHONE)
    page = context.new_page()
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Your projects")

    for name, address, title in PHONE_PAGES:
        page.goto(site.base + address.format(second=site.second))
        heading(page, title)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"phone-{name}")
        assert not overflows_sideways(page), name
        assert serious_accessibility_violations(page) == [], name

    page.get_by_role("button", name="Sign out").click()
    heading(page, "Sign in to Inset")
    screenshot(page, "phone-sign-in")
    assert not overflows_sideways(page)
    context.close()
    assert site.outside == []
    assert site.problems == []


def test_money_is_shown_in_pounds_and_pence_and_dates_the_uk_way(browser, site):
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"{site.base}/library")

    shown = page.evaluate(FORMATS)

    assert shown["money"] == ["£12,500.00", "\u2212£40.50", "£1,234,567.89", "£0.00"]
    # A timestamp late on 30 June UTC is already 1 July in the UK (BST).
    assert shown["dates"] == ["27 November 2026", "27/11/2026", "1 July 2026"]
    assert shown["typed"] == ["2026-11-27", "2026-02-01", None, "2026-11-27"]
    assert shown["amounts"] == ["12500", "12500.5", None, None]
    context.close()


def test_what_was_typed_is_still_there_after_leaving_the_page(browser, site):
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Your projects")
    page.goto(f"{site.base}/projects/{site.second}/lessons/new")
    page.fill("#field-title", "Half a lesson, not yet saved")

    page.get_by_role("link", name="Cancel").click()
    heading(page, "Weekend respite beds for teenagers")
    page.get_by_role("link", name="Record a lesson").click()

    expect(page.locator("#field-title")).to_have_value("Half a lesson, not yet saved")
    expect(page.locator(".notice-info")).to_contain_text("still holds what you typed")
    page.get_by_role("button", name="Clear it and start again").click()
    expect(page.locator("#field-title")).to_have_value("")
    context.close()
    assert site.problems == []


def test_a_form_sent_after_the_session_ended_comes_back_after_signing_in(browser, site):
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Your projects")
    page.goto(f"{site.base}/projects/{site.second}/lessons/new")
    page.fill("#field-title", "Written while signed out elsewhere")
    page.fill("#field-body", "The other tab signed out; this text must survive.")
    other = context.new_page()
    other.goto(f"{site.base}/projects")
    other.get_by_role("button", name="Sign out").click()
    heading(other, "Sign in to Inset")
    other.close()

    page.get_by_role("button", name="Record lesson").click()

    heading(page, "Sign in to Inset")
    expect(page.locator(".flash")).to_contain_text("what you typed is kept")
    page.fill("#sign-in-email", site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Record a lesson")
    expect(page.locator("#field-title")).to_have_value("Written while signed out elsewhere")
    expect(page.locator("#field-body")).to_have_value(re.compile("must survive"))
    context.close()
