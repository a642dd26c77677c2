"""The gate review journey in a real browser, at desktop and phone width: staff appoint a
reviewer from another organisation, the reviewer fills the review criterion by criterion,
the lead reads it once the panel is complete and sees it beside the gate decision.

Each page is checked with axe-core, as the other browser tests do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web.browser_support import (
    CHROMIUM,
    DESKTOP,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    PHONE,
    Site,
    check_page,
    chromium,
    heading,
    live_server,
    new_context,
    overflows_sideways,
)

from inset.accounts.models import Role
from inset.app import create_app
from inset.config import Settings
from inset.ids import to_global_id
from inset.organisations.models import OrganisationKind
from inset.projects.models import Visibility
from tests.gates.gate_records import Records

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

TITLE = "Return-home conversations by chat"
REVIEWER_PASSWORD = "reviewer-password-for-tests"
STAFF_PASSWORD = "staff-password-for-tests"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[tuple[Site, str, str]]:
    """A pilot ready for its gate, which needs a complete panel; a reviewer elsewhere."""
    council = world.org("Northmoor Borough Council")
    harbour = world.org("Harbour Fostering", kind=OrganisationKind.INDEPENDENT_FOSTERING_AGENCY)
    incubator = world.org("Inset Incubator", kind=OrganisationKind.OTHER)
    lead = world.account(council, Role.LEAD, password=LEAD_PASSWORD)
    reviewer = world.account(harbour, Role.LEAD, password=REVIEWER_PASSWORD)
    staff = world.account(incubator, Role.STAFF, password=STAFF_PASSWORD)
    project = Records(engine).ready_for_evaluation(
        world, world.actor(lead), title=TITLE, visibility=Visibility.MEMBERS
    )
    settings = Settings(
        database_url=db_url,
        secret_key="browser-test-secret",
        review_required_gates=frozenset({"PILOT"}),
    )
    with live_server(create_app(settings, engine)) as base:
        yield (
            Site(base=base, lead_email=lead.email, staff_email=staff.email, second="", third=""),
            reviewer.email,
            to_global_id("Project", project.id or 0),
        )


def sign_in(page: Any, site: Site, email: str, password: str) -> None:
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", email)
    page.fill("#sign-in-password", password)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).not_to_have_text("Sign in to Inset")


def staff_appoint_the_reviewer(page: Any, site: Site, project: str, width: str) -> None:
    page.goto(f"{site.base}/projects/{project}")
    heading(page, TITLE)
    panel = page.locator("#reviews")
    expect(panel).to_contain_text("No reviewers appointed yet.")
    expect(page.locator("#readiness")).to_contain_text("Have the gate reviewed")
    panel.get_by_role("link", name="Appoint reviewers").click()
    heading(page, "Appoint reviewers")
    page.get_by_role("button", name="Appoint reviewers").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose at least one reviewer.")
    choices = page.get_by_role("group", name="Reviewers")
    expect(choices).to_contain_text("Harbour Fostering")
    expect(choices).not_to_contain_text("Northmoor Borough Council")  # never the project's own
    page.get_by_label("Harbour Fostering", exact=False).check()
    check_page(page, f"reviews-01-appoint-{width}")
    page.get_by_role("button", name="Appoint reviewers").click()
    expect(page.locator(".flash")).to_contain_text("Reviewers appointed: the panel has 1.")
    expect(page.locator("#reviews")).to_contain_text("In progress: 0 of 1 reviewer has submitted.")


def reviewer_fills_the_review(page: Any, site: Site, width: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews to do").click()
    heading(page, "Reviews to do")
    check_page(page, f"reviews-02-to-do-{width}")
    page.get_by_role("link", name=TITLE).click()
    heading(page, "Review the pilot to evaluation gate")
    # Everything missing is reported in one round, in words.
    page.get_by_role("button", name="Send the review").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Criterion 1: Select whether this criterion is met.")
    expect(summary).to_contain_text("Select a recommendation.")
    expect(summary).to_contain_text("Enter a rationale for your recommendation.")
    expect(summary.locator("li")).to_have_count(7)
    check_page(page, f"reviews-03-form-errors-{width}")
    assert not overflows_sideways(page)
    for index in range(5):
        page.check(f"#field-assessments-{index}-assessment")
    page.check("#field-assessments-3-assessment-PARTLY_MET")
    page.check("#field-recommendation")
    page.fill("#field-rationale", "The pilot shows change; evaluate it with a comparison group.")
    page.get_by_role("button", name="Send the review").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Criterion 4: Enter a comment saying why this criterion is not fully met."
    )
    page.fill("#field-assessments-3-comment", "Only one lesson, from the first month.")
    page.get_by_role("button", name="Send the review").click()
    expect(page.locator(".flash")).to_contain_text("Review sent: you recommend go.")
    expect(page.locator("main")).to_contain_text("You have no reviews to do.")


def lead_reads_the_review_and_takes_the_decision(
    page: Any, site: Site, project: str, width: str
) -> None:
    page.goto(f"{site.base}/projects/{project}#reviews")
    panel = page.locator("#reviews")
    expect(panel).to_contain_text("Complete: 1 of 1 reviewer has submitted.")
    expect(panel).to_contain_text("The pilot shows change")
    expect(panel).to_contain_text("Partly met: Record at least one lesson")
    expect(panel).to_contain_text("Only one lesson, from the first month.")
    check_page(page, f"reviews-04-project-{width}")
    assert not overflows_sideways(page)
    page.goto(f"{site.base}/projects/{project}/decision")
    heading(page, "Take a gate decision")
    expect(page.locator(".recommendations")).to_contain_text("Recommended: Go 1.")
    page.get_by_label("Go to Evaluation").check()
    page.fill("#field-rationale", "The panel agrees: evaluate it.")
    check_page(page, f"reviews-05-decision-{width}")
    page.get_by_role("button", name="Record the decision").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Gate review: 1 of 1 reviewers submitted. Recommended: Go 1.")


@pytest.mark.parametrize(("viewport", "width"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_staff_appoint_a_panel_a_reviewer_reviews_and_the_lead_decides_with_it(
    browser, site, viewport, width
):
    base, reviewer_email, project = site
    staff = new_context(browser, base, viewport)
    staff_page = staff.new_page()
    sign_in(staff_page, base, base.staff_email, STAFF_PASSWORD)
    staff_appoint_the_reviewer(staff_page, base, project, width)
    staff.close()

    reviewer = new_context(browser, base, viewport)
    reviewer_page = reviewer.new_page()
    sign_in(reviewer_page, base, reviewer_email, REVIEWER_PASSWORD)
    reviewer_fills_the_review(reviewer_page, base, width)
    reviewer.close()

    lead = new_context(browser, base, viewport)
    lead_page = lead.new_page()
    sign_in(lead_page, base, base.lead_email, LEAD_PASSWORD)
    lead_reads_the_review_and_takes_the_decision(lead_page, base, project, width)
    lead.close()

    assert base.outside == []
    assert base.problems == []
