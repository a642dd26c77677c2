"""Support for the browser tests: a live Inset on a free port and Debian's chromium, driven
by Playwright without any browser download and without the network.

Imported as `from web.browser_support import ...` (tests/ is on the path); a second
conftest.py would shadow tests/conftest.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.routing import Route

from inset.app import create_app
from inset.config import Settings
from inset.web.routes import NODE_MODULES, graphiql_html, web_routes

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
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


def web_app(settings: Settings, engine: Engine) -> Starlette:
    """The service as `inset serve` runs it, web client included."""
    app = create_app(settings, engine)
    if not any(getattr(route, "path", None) == "/" for route in app.router.routes):
        # Until inset/app.py serves the web client itself: add it the way it will.
        app.router.routes.extend(web_routes(settings))
        for route in app.router.routes:
            if isinstance(route, Route) and route.path == "/graphql":
                route.endpoint._graphiql_html = graphiql_html()  # type: ignore[attr-defined]
    return app


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
                .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
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
                const visible = !style || style.outlineStyle !== 'none' || style.boxShadow !== 'none';
                return { hit: Boolean(el && el.matches(selector)), visible, what: el ? el.outerHTML.slice(0, 120) : '' };
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
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    )
