"""The packaging test: the built wheel, installed where no source folder is, serves the demo.

As an organisation's IT team would: build the wheel (by way of the source distribution, as
`python -m build` does), install it into a fresh virtual environment, run `inset serve
--demo` in an empty folder, then sign in through a real browser. The web client's
libraries must be served from the wheel, byte for byte the versions package-lock.json pins.
It builds and installs for real, so it takes a minute; `pytest -m packaging` runs it alone.
With INSET_TEST_DATABASE_URL on PostgreSQL the demo goes into a new database of its own.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from conftest import TEST_DATABASE_URL, is_postgres
from web.browser_support import CHROMIUM, NO_CHROMIUM, Site, chromium, free_port, heading
from web.browser_support import new_context as browser_context

from inset.db import normalise_url
from inset.web.libraries import NODE_MODULES, VENDOR_FILES, locked_packages

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]
expect = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: browser tests skipped"
).expect

ROOT = Path(__file__).resolve().parents[1]
LEAD = ("lead@northmoor.example", "demo-lead-northmoor")
LEADS_PROJECT = "Safe Return: one team for young people who go missing"


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{argv[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed; its bin/ folder."""
    work = tmp_path_factory.mktemp("packaging")
    run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(ROOT)], timeout=600)
    (wheel,) = (work / "dist").glob("inset-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], timeout=600)
    return bin_dir


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str | None]:
    """None on SQLite (the default inset.db in the working folder); on PostgreSQL a new,
    empty database beside the test database, dropped afterwards."""
    if not is_postgres():
        yield None
        return
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_packaging_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def clean_environment(database_url: str | None) -> dict[str, str]:
    """The machine's environment without this checkout: no PYTHONPATH, no Inset settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INSET_", "PYTHON", "VIRTUAL_ENV"))
    }
    if database_url is not None:
        env["INSET_DATABASE_URL"] = database_url
    return env


@pytest.fixture
def served(installed: Path, tmp_path: Path, database_url: str | None) -> Iterator[str]:
    """`inset serve --demo` from the installed wheel, in an empty folder; its base URL."""
    folder = tmp_path / "empty"
    folder.mkdir()
    env = clean_environment(database_url)
    where = run(
        [str(installed / "python"), "-c", "import inset; print(inset.__file__)"],
        cwd=folder,
        env=env,
    )
    assert where.stdout.startswith(str(installed.parent)), where.stdout
    port = free_port()
    server = subprocess.Popen(
        [str(installed / "inset"), "serve", "--demo", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_it_answers(server, base)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
    # uvicorn stops gracefully, then ends by the signal it was sent, as Unix programs do
    assert server.returncode in (0, -signal.SIGTERM), err
    assert "loaded the demo portfolio: 23 organisations" in out


def wait_until_it_answers(server: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 120  # a guard against a hung start, not a measurement
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.communicate()}")
        try:
            httpx.get(f"{base}/sign-in", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def test_the_wheel_serves_the_demo_and_the_libraries_the_lock_file_pins(
    served: str, installed: Path
):
    packaged = installed.parent / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    vendor = packaged / "site-packages" / "inset" / "web" / "vendor"
    manifest = json.loads((vendor / "manifest.json").read_text())

    # the wheel carries each package the pages load at the lock's version and integrity
    assert manifest["packages"] == locked_packages()
    for name in manifest["packages"]:
        carried = json.loads((vendor / name / "package.json").read_text())
        assert carried["version"] == manifest["packages"][name]["version"], name
        assert list((vendor / name).glob("LICEN[SC]E*")), f"{name} ships without its licence"
    # and serves each file the pages load, byte for byte the file npm installed from the lock
    for path in sorted(VENDOR_FILES):
        response = httpx.get(f"{served}/vendor/{path}")
        assert response.status_code == 200, path
        assert response.content == (NODE_MODULES / path).read_bytes(), path
    # but nothing else of the packages
    assert httpx.get(f"{served}/vendor/preact/package.json").status_code == 404


def test_a_lead_signs_in_to_the_demo_served_from_the_wheel(served: str):
    site = Site(base=served, lead_email=LEAD[0], staff_email="", second="", third="")
    with chromium() as browser:
        context = browser_context(browser, site)
        page = context.new_page()
        page.goto(f"{served}/projects")
        heading(page, "Sign in to Inset")
        page.fill("#sign-in-email", LEAD[0])
        page.fill("#sign-in-password", LEAD[1])
        page.keyboard.press("Enter")

        expect(page).to_have_url(f"{served}/projects")
        heading(page, "Your projects")
        expect(page.locator(".result-count")).to_have_text(re.compile(r"^\d+ projects$"))
        expect(page.get_by_role("link", name=re.compile(LEADS_PROJECT))).to_be_visible()
        # GraphiQL, the other library bundle, starts in the browser too
        page.goto(f"{served}/graphql")
        expect(page.locator(".graphiql-container")).to_be_visible()
        context.close()
    assert site.problems == []
    assert site.outside == []
