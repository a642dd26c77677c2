"""Anonymised lessons in the web client: whose they are stays hidden from other
organisations, and a lead is told, at the field, when the text would give it away."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session
from web.browser_support import (
    CHROMIUM,
    LEAD_PASSWORD,
    NO_CHROMIUM,
    Site,
    chromium,
    heading,
    new_context,
    running_site,
)

from inset.accounts.models import Account, Role
from inset.accounts.service import actor_for
from inset.db import transaction
from inset.ids import from_global_id
from inset.lessons import service as lessons
from inset.lessons.models import LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects import service as projects
from inset.projects.models import Project, Visibility

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

OUTSIDER_PASSWORD = "outsider-password-for-tests"


@pytest.fixture
def site(world: Any, engine: Any, db_url: str) -> Iterator[Site]:
    with running_site(world, engine, db_url) as site:
        yield site


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def sign_in(page: Any, site: Site, email: str, password: str) -> None:
    page.goto(f"{site.base}/sign-in")
    page.fill("#sign-in-email", email)
    page.fill("#sign-in-password", password)
    page.keyboard.press("Enter")


def test_a_member_of_another_organisation_sees_only_the_kind_and_region(
    browser: Any, site: Site, world: Any, engine: Any
) -> None:
    # given the lead's project shared with all members, with an anonymised lesson
    _, project_id = from_global_id(site.second) or ("", 0)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        lead = actor_for(
            session.scalars(select(Account).where(Account.email == site.lead_email)).one()
        )
    with transaction(engine) as session:
        projects.set_visibility(
            session=session,
            actor=lead,
            project_id=project_id,
            visibility=Visibility.MEMBERS,
            expected_version=project.version,
        )
        lessons.record_lesson(
            session=session,
            actor=lead,
            project_id=project_id,
            kind=LessonKind.BARRIER,
            title="Evening meetings did not suit carers",
            body="Carers with young children could not come in the evening.",
            anonymised=True,
        )
    agency = world.org("Dales Fostering", OrganisationKind.INDEPENDENT_FOSTERING_AGENCY)
    outsider = world.account(agency, Role.MEMBER, password=OUTSIDER_PASSWORD)
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, outsider.email, OUTSIDER_PASSWORD)
    heading(page, "Your projects")
    # when
    page.goto(f"{site.base}/library")
    # then
    lesson = page.locator("article, li").filter(has_text="Evening meetings did not suit carers")
    expect(lesson.first).to_contain_text("Anonymised: a local authority in the North West")
    expect(page.locator("main")).not_to_contain_text("Northmoor")
    expect(page.locator("main")).not_to_contain_text("Weekend respite beds")
    # nor is it listed on the project's own page, which the member may read
    page.goto(f"{site.base}/projects/{site.second}")
    heading(page, "Weekend respite beds for teenagers")
    expect(page.locator("main")).not_to_contain_text("Evening meetings did not suit carers")
    context.close()
    assert site.problems == []


def test_a_lead_is_told_at_the_field_when_an_anonymised_lesson_names_their_council(
    browser: Any, site: Site
) -> None:
    context = new_context(browser, site)
    page = context.new_page()
    sign_in(page, site, site.lead_email, LEAD_PASSWORD)
    heading(page, "Your projects")
    page.goto(f"{site.base}/projects/{site.second}/lessons/new")
    page.fill("#field-title", "Evening meetings")
    page.fill("#field-body", "Nobody at Northmoor could staff the evenings.")
    page.get_by_label("Anonymise it", exact=False).check()

    page.get_by_role("button", name="Record lesson").click()

    body_field = page.locator(".field.has-error").filter(has=page.locator("#field-body"))
    expect(body_field).to_contain_text("names the lead organisation, Northmoor Borough Council")
    context.close()
    assert site.problems == []
