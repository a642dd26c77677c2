"""Following, notifications and nominations in the browser, at desktop and phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from web.browser_support import (
    CHROMIUM,
    DESKTOP,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    PHONE,
    STAFF_PASSWORD,
    Site,
    chromium,
    heading,
    new_context,
    overflows_sideways,
    running_site,
    screenshot,
    serious_accessibility_violations,
)

from inset.accounts.models import Account, Role
from inset.lessons.models import LessonKind
from inset.organisations.models import Organisation
from inset.projects.models import Visibility
from tests.gates.gate_records import Records

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


def account_by_email(engine: Any, email: str) -> Account:
    with Session(engine) as session:
        return session.scalars(sa.select(Account).where(Account.email == email)).one()


def member_of_another_org(world: Any) -> Account:
    return world.account(world.org("Eastmoor Council"), Role.MEMBER, password=MEMBER_PASSWORD)


def sign_in(page: Any, site: Site, email: str, password: str, lands_on: str) -> None:
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", email)
    page.fill("#sign-in-password", password)
    page.keyboard.press("Enter")
    heading(page, lands_on)


def looks_right(page: Any, name: str) -> None:
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    assert not overflows_sideways(page), name
    assert serious_accessibility_violations(page) == [], name


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_member_follows_a_project_and_a_barrier_and_reads_what_changed(
    browser, site, world, engine, width, viewport
):
    lead = world.actor(account_by_email(engine, site.lead_email))
    project = world.project(lead, title="Return-home chats", visibility=Visibility.MEMBERS)
    member = member_of_another_org(world)
    context = new_context(browser, site, viewport)
    page = context.new_page()
    sign_in(page, site, member.email, MEMBER_PASSWORD, "Your projects")

    page.goto(f"{site.base}/projects/{from_project(project)}")
    heading(page, "Return-home chats")
    page.get_by_role("button", name="Follow Return-home chats").click()
    expect(page.get_by_role("button", name="Following Return-home chats")).to_have_attribute(
        "aria-pressed", "true"
    )
    looks_right(page, f"{width}-project-followed")

    page.get_by_role("link", name="Notifications").click()
    heading(page, "Notifications")
    page.select_option("#follow-barrier", "funding")
    page.get_by_role("button", name="Follow barrier").click()
    expect(page.locator(".follow-list")).to_contain_text("funding")
    expect(page.locator(".follow-list")).to_contain_text("Return-home chats")

    Records(engine).lesson(
        lead,
        project,
        title="Money ran out in month four",
        barriers=["funding"],
        kind=LessonKind.BARRIER,
    )
    page.goto(f"{site.base}/notifications")
    heading(page, "Notifications")
    expect(page.locator(".site-header .count")).to_have_text("1 unread")
    expect(page.locator(".records")).to_contain_text("A new lesson: Money ran out in month four")
    looks_right(page, f"{width}-notifications")

    page.get_by_role("button", name=re.compile(r"^Mark read\W+A new lesson: Money ran out")).click()
    expect(page.locator(".site-header .count")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="unread")).to_have_text("0 unread")

    page.get_by_label("Daily").check()
    expect(page.locator("#email [role=status]")).to_have_text("Saved: daily.")
    context.close()
    assert site.outside == []
    assert site.problems == []


def from_project(project: Any) -> str:
    from inset.ids import to_global_id

    return to_global_id("Project", project.id)


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_a_nomination_is_refused_with_a_phone_number_sent_and_declined_with_a_reason(
    browser, site, world, engine, width, viewport
):
    member = member_of_another_org(world)
    context = new_context(browser, site, viewport)
    page = context.new_page()
    sign_in(page, site, member.email, MEMBER_PASSWORD, "Your projects")

    page.get_by_role("link", name="Nominate").first.click()
    heading(page, "Your nominations")
    page.get_by_role("link", name="Nominate an innovation").click()
    heading(page, "Nominate an innovation")
    page.fill("#nomination-what", "A text check-in for young people after a missing episode.")
    page.fill("#nomination-where", "Westhaven Council")
    page.fill("#nomination-contact", "Head of Service, 07700 900123")
    page.get_by_role("button", name="Send the nomination").click()
    expect(page.locator(".error-summary")).to_contain_text("a phone number")
    looks_right(page, f"{width}-nominate-refused")
    page.fill("#nomination-contact", "Head of Service, Westhaven Council")
    page.get_by_role("button", name="Send the nomination").click()
    heading(page, "Your nominations")
    expect(page.locator(".records")).to_contain_text("Westhaven Council")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, site, site.staff_email, STAFF_PASSWORD, "Portfolio")
    page.get_by_role("link", name="Nominations").click()
    heading(page, "Nominations")
    looks_right(page, f"{width}-nominations-staff")
    page.get_by_role("button", name="Decline").click()
    page.get_by_label("Why decline? The nominator reads this.").fill("Already a member project.")
    page.get_by_role("button", name="Decline").click()
    expect(page.locator(".records")).to_contain_text("Why declined")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, site, member.email, MEMBER_PASSWORD, "Your projects")
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator(".records")).to_contain_text(
        "Your nomination from Westhaven Council was declined"
    )
    context.close()
    assert site.outside == []
    assert site.problems == []


def test_staff_turn_a_nomination_into_a_project_when_the_organisation_joins(
    browser, site, world, engine
):
    member = member_of_another_org(world)
    from inset.db import transaction
    from inset.nominations import service as nominations

    with transaction(engine) as session:
        nominations.nominate(
            session=session,
            actor=world.actor(member),
            what="Family time at weekends",
            where="Harbour Fostering",
            contact=None,
        )
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, site.staff_email, STAFF_PASSWORD, "Portfolio")
    page.goto(f"{site.base}/nominations?status=PENDING")
    heading(page, "Nominations")

    page.get_by_role("button", name="The organisation joined").click()
    page.get_by_label("Which organisation joined?").select_option(label="Harbour Fostering")
    page.get_by_role("button", name="Create its project").click()

    expect(page.locator(".notice-success")).to_contain_text("now a project at the idea stage")
    page.goto(f"{site.base}/nominations?status=ACCEPTED")
    page.get_by_role("link", name="Family time at weekends").click()
    heading(page, "Family time at weekends")
    with Session(engine) as session:
        harbour = session.scalars(
            sa.select(Organisation).where(Organisation.name == "Harbour Fostering")
        ).one()
    expect(page.locator(".facts")).to_contain_text(harbour.name)
    context.close()
    assert site.problems == []


def test_a_lead_sees_the_unread_count_in_the_header(browser, site, world, engine):
    lead_account = account_by_email(engine, site.lead_email)
    other = world.lead(world.org("Westhaven Council"))
    from inset.db import transaction
    from inset.notifications import service as notifications

    with transaction(engine) as session:
        notifications.follow(
            session=session,
            actor=world.actor(lead_account),
            organisation_id=other.organisation_id,
        )
    world.project(other, title="Shared foster carer training", visibility=Visibility.PUBLIC)
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, site.lead_email, LEAD_PASSWORD, "Your projects")

    expect(page.locator(".site-header .count")).to_have_text("1 unread")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator(".site-header .count")).to_have_count(0)
    context.close()
    assert site.problems == []
