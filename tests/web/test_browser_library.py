"""The library made for sharing: permanent links open to anonymous readers where a record is
public, lessons marked useful, related lessons, and filters kept in the address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session
from web.browser_support import (
    CHROMIUM,
    DESKTOP,
    NO_CHROMIUM,
    PHONE,
    Site,
    check_page,
    chromium,
    heading,
    new_context,
    overflows_sideways,
    running_site,
)

from inset.accounts.models import Account, Role
from inset.accounts.service import actor_for
from inset.db import transaction
from inset.ids import to_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects.models import Visibility

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

MEMBER_PASSWORD = "member-password-for-tests"


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def shared(world: Any, engine: Any, site: Site) -> dict[str, str]:
    """A public project of the lead's with a lesson, a related anonymised lesson of another
    organisation's, and a private project."""
    with Session(engine) as session:
        account = session.scalars(select(Account).where(Account.email == site.lead_email)).one()
        lead = actor_for(account)
    public = world.project(lead, title="Text reminders for missed visits", visibility="PUBLIC")
    private = world.project(lead, title="Secret pilot of the council")
    agency = world.org("Dales Fostering", OrganisationKind.INDEPENDENT_FOSTERING_AGENCY)
    other = world.lead(world.org("Fellside Council", region="North West"))
    theirs = world.project(other, visibility=Visibility.PUBLIC)
    del agency
    with transaction(engine) as session:
        lesson = lessons.record_lesson(
            session=session,
            actor=lead,
            project_id=public.id or 0,
            kind=LessonKind.WHAT_DID_NOT_WORK,
            title="Reminders sent at night were ignored",
            body="Families read texts in the morning; send them before nine.",
            barriers=["technology"],
        )
        lessons.record_lesson(
            session=session,
            actor=other,
            project_id=theirs.id or 0,
            kind=LessonKind.BARRIER,
            title="The text service needed a data agreement",
            body="Information governance took three months; start it first.",
            barriers=["technology", "information governance"],
            anonymised=True,
        )
    return {
        "lesson": to_global_id("Lesson", lesson.id or 0),
        "public": to_global_id("Project", public.id or 0),
        "private": to_global_id("Project", private.id or 0),
    }


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_an_anonymous_reader_opens_a_permalink_to_a_public_lesson(
    browser: Any, site: Site, shared: dict[str, str], width: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, site, viewport)
    page = context.new_page()

    page.goto(f"{site.base}/lessons/{shared['lesson']}")

    heading(page, "Reminders sent at night were ignored")
    main = page.locator("main")
    expect(main).to_contain_text("Families read texts in the morning")
    expect(main).to_contain_text("What did not work")
    expect(main).to_contain_text("technology")
    expect(main).to_contain_text("Useful to 0 people")
    expect(main.get_by_role("link", name="Sign in")).to_be_visible()
    related = page.get_by_role("region", name="Related lessons")
    expect(related).to_contain_text("The text service needed a data agreement")
    expect(related).to_contain_text("Anonymised: a local authority in the North West")
    expect(related).not_to_contain_text("Fellside")
    check_page(page, f"lesson-anonymous-{width}")
    assert not overflows_sideways(page)
    # the link to its project works for the same reader
    page.get_by_role("link", name="See the project: Text reminders for missed visits").click()
    heading(page, "Text reminders for missed visits")
    context.close()
    assert site.problems == []


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_an_anonymous_reader_opens_a_public_project_read_only(
    browser: Any, site: Site, shared: dict[str, str], width: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, site, viewport)
    page = context.new_page()

    page.goto(f"{site.base}/projects/{shared['public']}")

    heading(page, "Text reminders for missed visits")
    expect(page).to_have_url(f"{site.base}/projects/{shared['public']}")
    main = page.locator("main")
    expect(main).to_contain_text("Reminders sent at night were ignored")
    expect(main.get_by_role("link", name="Edit project")).to_have_count(0)
    expect(main.get_by_role("link", name="Take a gate decision")).to_have_count(0)
    expect(main.get_by_role("link", name="Record a lesson")).to_have_count(0)
    check_page(page, f"project-anonymous-{width}")
    assert not overflows_sideways(page)
    context.close()
    assert site.problems == []


def test_a_private_project_or_unknown_lesson_is_not_found_or_not_shared(
    browser: Any, site: Site, shared: dict[str, str]
) -> None:
    context = new_context(browser, site)
    page = context.new_page()

    page.goto(f"{site.base}/projects/{shared['private']}")
    heading(page, "Not found or not shared with you")
    expect(page.locator("main")).not_to_contain_text("Secret pilot")
    check_page(page, "not-shared-anonymous")
    page.goto(f"{site.base}/lessons/{to_global_id('Lesson', 9999)}")
    heading(page, "Not found or not shared with you")
    context.close()
    assert site.problems == []


def test_a_member_marks_a_lesson_useful(
    browser: Any, site: Site, world: Any, shared: dict[str, str]
) -> None:
    member = world.account(world.org("Eastvale Council"), Role.MEMBER, password=MEMBER_PASSWORD)
    context = new_context(browser, site)
    page = context.new_page()
    page.goto(f"{site.base}/lessons/{shared['lesson']}")
    page.locator("main").get_by_role("link", name="Sign in").click()
    page.fill("#sign-in-email", member.email)
    page.fill("#sign-in-password", MEMBER_PASSWORD)
    page.keyboard.press("Enter")
    heading(page, "Reminders sent at night were ignored")

    button = page.get_by_role("button", name="Mark as useful")
    button.click()

    marked = page.get_by_role("button", name="Marked useful")
    expect(marked).to_have_attribute("aria-pressed", "true")
    expect(page.locator("main")).to_contain_text("Useful to 1 person")
    check_page(page, "lesson-marked-desktop")
    page.reload()
    expect(page.get_by_role("button", name="Marked useful")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Useful to 1 person")
    context.close()
    assert site.problems == []


def test_the_librarys_filters_survive_a_reload_and_back(
    browser: Any, site: Site, shared: dict[str, str]
) -> None:
    context = new_context(browser, site, PHONE)
    page = context.new_page()
    page.goto(f"{site.base}/library")
    heading(page, "Learning library")
    expect(page.locator(".result-count")).to_have_text("2 lessons")

    page.get_by_label("Barrier").select_option("technology")
    page.get_by_label("Kind of organisation").select_option("LOCAL_AUTHORITY")
    page.get_by_label("Kind of lesson").select_option("BARRIER")
    page.get_by_role("searchbox", name="Search").fill("governance")
    page.get_by_role("button", name="Search").click()

    expect(page.locator(".result-count")).to_have_text("1 lesson")
    assert "barrier=technology" in page.url
    assert "kind=BARRIER" in page.url
    page.reload()
    heading(page, "Learning library")
    expect(page.locator(".result-count")).to_have_text("1 lesson")
    expect(page.get_by_label("Kind of lesson")).to_have_value("BARRIER")
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("governance")
    expect(page.locator("main")).to_contain_text("The text service needed a data agreement")
    check_page(page, "library-filtered-phone")
    assert not overflows_sideways(page)
    page.go_back()
    expect(page.locator(".result-count")).to_have_text("2 lessons")
    expect(page.get_by_label("Kind of lesson")).to_have_value("")
    context.close()
    assert site.problems == []
