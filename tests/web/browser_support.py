"""Support for the browser tests: a live Inset on a free port and Debian's chromium, driven
by Playwright without any browser download and without the network.

Imported as `from web.browser_support import ...` (tests/ is on the path); a second
conftest.py would shadow tests/conftest.py.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

from inset.accounts.models import Role
from inset.app import create_app
from inset.config import Settings
from inset.ids import to_global_id
from inset.organisations.models import OrganisationKind
from inset.web.routes import NODE_MODULES

ROOT = Path(__file__).resolve().parents[2]
# Debian's chromium; INSET_CHROMIUM names another build of it (never a downloaded one).
CHROMIUM = Path(os.environ.get("INSET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "chromium is not installed: browser tests skipped (apt-get install chromium)"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LEAD_PASSWORD = "lead-password-for-tests"
STAFF_PASSWORD = "staff-password-for-tests"


@dataclass
class Site:
    """A live Inset with a lead, a staff member and two projects of the lead's to work on."""

    base: str
    lead_email: str
    staff_email: str
    second: str  # global id of a project at IDEA (the lead stops it)
    third: str  # global id of a project at IDEA (staff override its gate)
    outside: list[str] = field(default_factory=list)  # requests the browser tried elsewhere
    problems: list[str] = field(default_factory=list)  # page errors and console errors


@contextmanager
def running_site(world: Any, engine: Engine, db_url: str) -> Iterator[Site]:
    """The test's database with its people and projects, served on a free port."""
    council = world.org("Northmoor Borough Council", region="North West")
    world.org("Harbour Fostering", kind=OrganisationKind.INDEPENDENT_FOSTERING_AGENCY)
    incubator = world.org("Inset Incubator", kind=OrganisationKind.OTHER, region="London")
    lead = world.account(council, Role.LEAD, password=LEAD_PASSWORD)
    staff = world.account(incubator, Role.STAFF, password=STAFF_PASSWORD)
    world.theme("Edge of care")
    actor = world.actor(lead)
    second = world.project(actor, title="Weekend respite beds for teenagers")
    third = world.project(actor, title="Family group conferences at the front door")
    app = create_app(Settings(database_url=db_url, secret_key="browser-test-secret"), engine)
    with live_server(app) as base:
        yield Site(
            base=base,
            lead_email=lead.email,
            staff_email=staff.email,
            second=to_global_id("Project", second.id or 0),
            third=to_global_id("Project", third.id or 0),
        )


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright (no browser download), headless, no background traffic."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Any, site: Site, viewport: dict[str, int] = DESKTOP) -> Any:
    """A fresh browser profile in the UK that can reach only the site, with axe-core in each page.

    axe-core is added as an init script, which the page's Content-Security-Policy does not
    block, so the pages are tested under the policy they are served with.
    """
    assert AXE.exists(), "axe-core is missing: run scripts/setup (npm ci in inset/web)"
    context = browser.new_context(
        viewport=viewport, locale="en-GB", timezone_id="Europe/London", service_workers="block"
    )
    context.add_init_script(path=str(AXE))

    def only_the_site(route: Any) -> None:
        if route.request.url.startswith(site.base):
            route.continue_()
        else:
            site.outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    context.on("weberror", lambda error: site.problems.append(str(error.error)))
    context.on(
        "console",
        lambda message: site.problems.append(message.text) if message.type == "error" else None,
    )
    return context


def heading(page: Any, text: str) -> None:
    """Waits for the page whose one h1 reads `text`."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def check_page(page: Any, name: str) -> None:
    """Screenshot, then axe-core: no serious or critical WCAG 2.1 A/AA violation."""
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    violations = serious_accessibility_violations(page)
    assert violations == [], (name, violations)


def sign_in_by_keyboard(page: Any, email: str, password: str) -> None:
    """From the sign-in page: Tab to the email box, type, Tab, type, Enter."""
    tab_to(page, "#sign-in-email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Starlette) -> Iterator[str]:
    """Serves the app with uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="inset-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Saves a PNG under artifacts/screenshots/ (git-ignored; CI keeps it as an artefact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serious_accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it stands."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const found = await window.axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            });
            return found.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => ({
                    id: v.id,
                    help: v.help,
                    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
                }));
        }"""
    )
    return [json.dumps(v) for v in result]


def tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has the focus, as a keyboard user would.

    Fails when it is not reached within `limit` presses, or when a focused element on the
    way shows no focus indicator (no outline and no box shadow).
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
                const el = document.activeElement;
                const style = el ? getComputedStyle(el) : null;
                const visible = !style
                    || style.outlineStyle !== 'none' || style.boxShadow !== 'none';
                const what = el ? el.outerHTML.slice(0, 120) : '';
                return { hit: Boolean(el && el.matches(selector)), visible, what };
            }""",
            selector,
        )
        if not state["visible"]:
            raise AssertionError(f"no visible focus on {state['what']}")
        if state["hit"]:
            return
    raise AssertionError(f"{selector} was not reached with the Tab key")


def overflows_sideways(page: Any) -> bool:
    """Whether the page is wider than the window (so a phone would scroll it sideways)."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))
