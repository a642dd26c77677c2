"""The web client in a real browser, as a lead and then staff use it on a live server.

A lead who has never seen Inset signs in, starts a project, meets the idea gate through the
forms and takes it to pilot, records with every other form, stops a second project with its
lesson and meets a conflict; staff then find both in the portfolio and override a gate.
Each main page is checked with axe-core (no serious or critical WCAG 2.1 AA violation) and
saved under artifacts/screenshots/; the keyboard does what a keyboard user would. The
browser may reach nothing but the server under test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from web.browser_support import (
    CHROMIUM,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    STAFF_PASSWORD,
    Site,
    check_page,
    chromium,
    heading,
    new_context,
    running_site,
    sign_in_by_keyboard,
    tab_to,
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

TITLE = "Return-home conversations by chat"
OUTCOME = "Young people missing more than once"
FUNNEL = "Projects by stage and status"


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def lead_signs_in_after_one_wrong_password(page: Any, site: Site) -> None:
    # A bookmarked address asks for a sign-in first, then comes back to it.
    page.goto(f"{site.base}/projects")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fprojects$"))
    heading(page, "Sign in to Inset")
    check_page(page, "01-sign-in")
    # On a page just loaded, the first Tab reaches the skip link, which leads past the navigation.
    page.reload()
    heading(page, "Sign in to Inset")
    tab_to(page, ".skip-link", limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    sign_in_by_keyboard(page, site.lead_email, "not the password")
    expect(page.locator(".error-summary")).to_contain_text("The email or password is not right.")
    expect(page.locator("#sign-in-email")).to_have_value(site.lead_email)
    page.fill("#sign-in-password", LEAD_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.base}/projects")
    heading(page, "Your projects")
    expect(page.locator(".result-count")).to_have_text("2 projects")
    check_page(page, "02-projects")


def lead_starts_a_project(page: Any) -> None:
    tab_to(page, 'a[href="/projects/new"]')
    page.keyboard.press("Enter")
    heading(page, "New project")
    page.fill("#field-summary", "Young people who come home after going missing talk by chat.")
    page.get_by_role("button", name="Create project").click()
    # The error is next to its field, the summary takes the focus, what was typed stays.
    expect(page.locator("#field-title-error")).to_contain_text("Enter a title")
    expect(page.locator("#field-title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#field-summary")).to_have_value(re.compile("talk by chat"))
    check_page(page, "03-new-project-with-an-error")
    page.fill("#field-title", TITLE)
    page.get_by_label("Edge of care").check()
    page.get_by_role("button", name="Create project").click()
    heading(page, TITLE)
    # After a move within the client the new page's heading has the focus, so it is announced.
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.locator(".flash")).to_contain_text("Project created at the idea stage")


def lead_meets_the_idea_gate_from_its_checklist(page: Any) -> None:
    readiness = page.locator("#readiness")
    expect(readiness).to_contain_text("4 of 4 required criteria still to meet")
    check_page(page, "04-project-idea-checklist")

    readiness.get_by_role("link", name="State the problem").click()
    heading(page, "Edit the project")
    expect(page.locator("#edit-problem")).to_be_focused()
    page.keyboard.type("Return-home interviews are often late or declined.")
    page.fill("#edit-theoryOfChange", "A chat within 72 hours; more talk; fewer go missing again.")
    check_page(page, "05-edit-project")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash")).to_contain_text("Project saved.")
    expect(readiness).to_contain_text("2 of 4 required criteria still to meet")

    readiness.get_by_role("link", name="Define an outcome with a baseline").click()
    heading(page, "Define an outcome")
    page.fill("#field-name", OUTCOME)
    page.fill("#field-unit", "young people")
    page.fill("#field-baseline", "forty-five")
    page.fill("#field-baselineOn", "15/01/2026")
    page.fill("#field-target", "20")
    page.get_by_role("button", name="Define outcome").click()
    expect(page.locator("#field-baseline-error")).to_contain_text("Enter a number")
    check_page(page, "06-outcome-form-with-an-error")
    page.fill("#field-baseline", "45")
    page.get_by_role("button", name="Define outcome").click()
    expect(page.locator(".flash")).to_contain_text("Outcome defined")

    readiness.get_by_role("link", name="Record a cost").click()
    heading(page, "Record a cost")
    page.select_option("#field-category", "STAFF")
    page.fill("#field-description", "Two chat workers for six months")
    page.fill("#field-amount", "12,500")
    page.select_option("#field-confidence", "2")
    check_page(page, "07-cost-form")
    page.get_by_role("button", name="Record cost").click()
    expect(page.locator(".flash")).to_contain_text("Cost recorded.")
    expect(page.locator("#money")).to_contain_text("£12,500.00")
    expect(page.locator("#money")).to_contain_text("£13,125.00")  # grade 2: 5% optimism bias
    expect(readiness).to_contain_text("Ready for the gate to pilot.")


def lead_takes_the_go_decision_by_keyboard(page: Any) -> None:
    tab_to(page, "#readiness a.button")
    page.keyboard.press("Enter")
    heading(page, "Take a gate decision")
    tab_to(page, "#field-decision")
    page.keyboard.press("Space")
    expect(page.locator(".notice-success")).to_contain_text("Every required criterion")
    tab_to(page, "#field-rationale")
    page.keyboard.type("Problem, theory of change, a baseline and the costs are in place.")
    check_page(page, "08-decision-go")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Decision recorded: Go.")
    expect(page.locator(".stage-current")).to_contain_text("Pilot")
    expect(page.locator("#history")).to_contain_text("Idea to pilot")
    expect(page.locator("#history")).to_contain_text("a baseline and the costs are in place")
    expect(page.locator("#readiness")).to_contain_text("Next gate: Pilot to evaluation")


def lead_records_with_every_other_form(page: Any, project_url: str) -> None:
    page.goto(f"{project_url}/evidence/new")
    heading(page, "Record evidence")
    page.select_option("#field-kind", "MONITORING_DATA")
    page.fill("#field-title", "Missing episodes before and after")
    page.fill("#field-summary", "Monthly counts of young people missing more than once.")
    page.get_by_label(re.compile("^Level 2")).check()
    check_page(page, "09-evidence-form")
    page.get_by_role("button", name="Record evidence").click()
    expect(page.locator(".flash")).to_contain_text("evidence level is now 2")

    page.get_by_role("link", name=f"Add an observation of {OUTCOME}").click()
    heading(page, "Add an observation")
    page.fill("#field-value", "31")
    page.fill("#field-observedOn", "30/6/2026")
    check_page(page, "10-observation-form")
    page.get_by_role("button", name="Add observation").click()
    chart = page.locator("#outcomes svg[role=img]")
    expect(chart).to_have_count(1)
    expect(chart.locator("title")).to_contain_text(OUTCOME)
    expect(chart.locator("desc")).to_contain_text("Baseline 45 young people on 15/01/2026")
    expect(page.locator("#outcomes table")).to_contain_text("31 young people")

    page.goto(f"{project_url}/benefits/new")
    heading(page, "Record a benefit")
    page.fill("#field-description", "Fewer nights in emergency placements")
    page.fill("#field-amount", "20000")
    page.select_option("#field-confidence", "3")
    page.get_by_role("button", name="Record benefit").click()
    expect(page.locator("#field-beneficiary-error")).to_contain_text("beneficiary")
    expect(page.locator("#field-amount")).to_have_value("20000")
    check_page(page, "11-benefit-form-with-an-error")
    page.fill("#field-beneficiary", "Northmoor children's services")
    page.fill("#field-deadweight", "25")
    page.get_by_role("button", name="Record benefit").click()
    expect(page.locator(".flash")).to_contain_text("Benefit recorded.")
    expect(page.locator("#money")).to_contain_text("£13,500.00")  # 20,000 x 0.75 x 1 x 0.90
    expect(page.locator("#money")).to_contain_text("1.03")  # 13,500.00 / 13,125.00

    page.goto(f"{project_url}/lessons/new")
    heading(page, "Record a lesson")
    page.fill("#field-title", "Ask young people which channel they want")
    page.fill("#field-body", "We planned calls; most chose chat. Next time ask first.")
    page.get_by_label("Technology").check()
    check_page(page, "12-lesson-form")
    page.get_by_role("button", name="Record lesson").click()
    expect(page.locator("#lessons")).to_contain_text("Ask young people which channel they want")
    check_page(page, "13-project-at-pilot")


def lead_stops_the_second_project_with_its_lesson(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/projects/{site.second}/decision")
    heading(page, "Take a gate decision")
    page.get_by_label("Stop").check()
    rationale = "The beds could not be staffed at weekends."
    page.fill("#field-rationale", rationale)
    page.get_by_role("button", name="Record the decision").click()
    # The lesson is required inline, and its error is shown by its field.
    expect(page.locator("#field-lesson-title-error")).to_contain_text("Title is required")
    expect(page.locator(".error-summary")).to_contain_text("The lesson: title is required.")
    expect(page.locator("#field-rationale")).to_have_value(rationale)
    check_page(page, "14-decision-stop-needs-a-lesson")
    lesson = "Check weekend staffing before committing beds"
    page.fill("#field-lesson-title", lesson)
    page.fill("#field-lesson-body", "Meant: six beds. Happened: no rota. Next time: rota first.")
    page.get_by_label("Staff capacity").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".flash")).to_contain_text("Decision recorded: Stop.")
    expect(page.locator(".project-summary")).to_contain_text("Stopped")
    expect(page.locator("#lessons")).to_contain_text(lesson)
    expect(page.get_by_role("link", name="Take a gate decision")).to_have_count(0)


def lead_meets_a_conflict_and_reloads_instead_of_overwriting(context: Any, url: str) -> None:
    page = context.pages[0]
    page.goto(f"{url}/edit")
    heading(page, "Edit the project")
    other = context.new_page()  # the same lead in a second tab, or a colleague
    other.goto(f"{url}/edit")
    other.fill("#edit-title", f"{TITLE} (pilot)")
    other.get_by_role("button", name="Save changes").click()
    expect(other.locator(".flash")).to_contain_text("Project saved.")
    other.close()

    summary = "Chat and face to face, for every young person who comes home."
    page.fill("#edit-summary", summary)
    page.get_by_role("button", name="Save changes").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Someone else changed this project")
    expect(page.locator("#edit-summary")).to_have_value(summary)
    check_page(page, "15-conflict-reported")
    conflict.get_by_role("button", name="Reload the latest version").click()
    expect(page.locator("#edit-title")).to_have_value(f"{TITLE} (pilot)")
    kept = page.locator(".kept")
    expect(kept).to_contain_text(summary)
    expect(kept).not_to_contain_text(TITLE)  # only what this lead changed is kept
    expect(page.locator("#kept-heading")).to_be_focused()
    check_page(page, "15-conflict-reloaded")
    kept.get_by_role("button", name="Put back your summary").click()
    expect(page.locator("#edit-summary")).to_have_value(summary)
    page.get_by_role("button", name="Save changes").click()
    heading(page, f"{TITLE} (pilot)")
    expect(page.locator(".project-summary")).to_contain_text(summary)


def staff_find_both_projects_in_the_portfolio(page: Any, site: Site) -> None:
    page.get_by_role("button", name="Sign out").click()
    heading(page, "Sign in to Inset")
    sign_in_by_keyboard(page, site.staff_email, STAFF_PASSWORD)
    heading(page, "Portfolio")
    funnel = page.locator("section", has=page.get_by_role("heading", name=FUNNEL))
    described = funnel.locator(".funnel-chart .chart-description")
    expect(described).to_contain_text("Pilot: 1 (1 active, 0 on hold, 0 stopped)")
    expect(described).to_contain_text("Idea: 2 (1 active, 0 on hold, 1 stopped)")
    check_page(page, "16-portfolio")
    funnel.get_by_role("link", name="1 stopped at idea").click()
    heading(page, "Projects")
    expect(page.locator(".cards")).to_contain_text("Weekend respite beds for teenagers")
    page.go_back()
    heading(page, "Portfolio")
    funnel.get_by_role("link", name="1 active at pilot").click()
    expect(page.locator(".cards")).to_contain_text(f"{TITLE} (pilot)")


def staff_override_a_gate_with_their_reason(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/projects/{site.third}/decision")
    page.get_by_label("Go to Pilot").check()
    expect(page.locator(".notice-warning")).to_contain_text("You can override the gate")
    page.get_by_label("Override the gate: go although required criteria are unmet").check()
    page.fill("#field-rationale", "The pilot starts next month; the problem statement follows.")
    check_page(page, "17-decision-override")
    page.get_by_role("button", name="Record the decision").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Gate overridden by staff.")
    expect(history).to_contain_text("problem stated")
    expect(history).to_contain_text("The pilot starts next month")


def test_a_lead_takes_a_project_to_pilot_stops_another_and_staff_see_both(browser, site):
    context = new_context(browser, site)
    page = context.new_page()

    lead_signs_in_after_one_wrong_password(page, site)
    lead_starts_a_project(page)
    lead_meets_the_idea_gate_from_its_checklist(page)
    lead_takes_the_go_decision_by_keyboard(page)
    project_url = page.url.split("#")[0]
    lead_records_with_every_other_form(page, project_url)
    lead_stops_the_second_project_with_its_lesson(page, site)
    lead_meets_a_conflict_and_reloads_instead_of_overwriting(context, project_url)
    staff_find_both_projects_in_the_portfolio(page, site)
    staff_override_a_gate_with_their_reason(page, site)

    context.close()
    assert site.outside == []
    assert site.problems == []
