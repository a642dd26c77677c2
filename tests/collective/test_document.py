"""`inset digest` as HTML and PDF, read back page by page with poppler's pdftotext; the page
/collective/<year> and its PDF over HTTP; failures said in one line, leaving no file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from collective.scenario import (
    PRIVATE_ORGANISATION,
    PRIVATE_STOP_LESSON,
    PRIVATE_TITLE,
    Sector,
    go_to,
    make_sector,
)
from conftest import Api, World

from inset.collective.service import feature_case_study
from inset.db import transaction
from inset.projects.models import Stage, Visibility

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
NO_POPPLER = "poppler-utils is not installed (scripts/setup installs it)"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason=NO_POPPLER)


@pytest.fixture
def sector(world: World) -> Sector:
    sector = make_sector(world)
    kinship = world.project(
        sector.lead, title="Kinship carers' circle", visibility=Visibility.PUBLIC
    )
    go_to(world, kinship, Stage.SCALE)
    with transaction(world.engine) as session:
        for position, project in ((1, sector.public), (2, kinship)):
            feature_case_study(
                session=session,
                actor=world.staff,
                project_id=project.id or 0,
                year=sector.year,
                position=position,
                summary=f"Chosen for the digest as case study {position}.",
            )
    return sector


def run_digest(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INSET_DATABASE_URL": db_url, "INSET_SECRET_FILE": str(tmp_path / "s")}
    return subprocess.run(
        [sys.executable, "-m", "inset", "digest", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


def poppler(tool: str) -> str:
    return shutil.which(tool) or tool


def pages_of(pdf: Path) -> list[str]:
    """Each page's text, in reading order, with runs of white space made one space."""
    info = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    )
    count = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    return [
        " ".join(
            subprocess.run(
                [poppler("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for n in range(1, count + 1)
    ]


def test_the_pdf_puts_each_case_study_on_its_own_pages_with_its_figures(
    sector: Sector, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "collective.pdf"

    result = run_digest(
        db_url, tmp_path, "--year", str(sector.year), "--format", "pdf", "--out", str(out)
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert out.read_bytes().startswith(b"%PDF-")
    pages = pages_of(out)
    assert 4 <= len(pages) <= 12
    assert f"The Collective {sector.year}" in pages[0]
    assert "The year in figures" in pages[0]
    first = next(i for i, p in enumerate(pages) if "Return home chats" in p and "Outcomes" in p)
    second = next(
        i for i, p in enumerate(pages) if "Kinship carers' circle" in p and "Outcomes" in p
    )
    assert first < second, "case studies come in staff's order, each from a new page"
    assert "Kinship carers' circle" not in pages[first]
    chats = pages[first]
    assert "Case studies" in chats
    assert "Missing episodes" in chats
    assert "45 episodes a month" in chats
    assert "24 episodes a month (Dec 2025)" in chats
    assert "20 episodes a month" in chats
    assert "Net benefit £15,000.00" in chats
    assert "Benefit-cost ratio 2.50" in chats
    assert "Evidence level" in chats
    lessons = next(i for i, p in enumerate(pages) if "What did not work" in p)
    assert lessons > second
    assert "Charity, South West" in pages[lessons]
    for number, text in enumerate(pages, start=1):
        for secret in (PRIVATE_TITLE, PRIVATE_ORGANISATION, PRIVATE_STOP_LESSON):
            assert secret not in text, f"page {number} shows {secret!r}"
        assert not EMAIL.search(text), f"page {number} shows an email address"
        assert f"page {number} of {len(pages)}" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            poppler("pdftoppm"),
            "-r",
            "60",
            "-png",
            str(out),
            str(SCREENSHOTS / "collective-pdf-page"),
        ],
        check=True,
    )


def test_the_html_file_is_the_page_with_charts_that_carry_their_numbers(
    sector: Sector, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "collective.html"

    result = run_digest(
        db_url, tmp_path, "--year", str(sector.year), "--format", "html", "--out", str(out)
    )

    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == html.count('role="img"') >= 6
    assert '<title id="stages-title">' in html
    assert "<caption>Projects by stage at the end of" in html
    assert PRIVATE_TITLE not in html


def test_a_digest_that_cannot_be_written_says_why_in_one_line_and_leaves_no_file(
    sector: Sector, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "missing-folder" / "collective.pdf"

    result = run_digest(
        db_url, tmp_path, "--year", str(sector.year), "--format", "pdf", "--out", str(out)
    )

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "cannot write" in result.stderr
    assert not out.parent.exists()


def test_a_year_out_of_range_is_refused_before_anything_is_written(
    db_url: str, tmp_path: Path, world: World
) -> None:
    out = tmp_path / "collective.html"

    result = run_digest(db_url, tmp_path, "--year", "1850", "--format", "html", "--out", str(out))

    assert result.returncode == 1
    assert result.stderr.strip() == "inset: year must be from 2000 to 2100"
    assert not out.exists()


async def test_the_page_and_its_pdf_are_served_to_anyone_under_a_strict_policy(
    api: Api, sector: Sector
) -> None:
    page = await api.client.get(f"/collective/{sector.year}")
    pdf = await api.client.get(f"/collective/{sector.year}.pdf")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "style-src 'sha256-" in page.headers["content-security-policy"]
    assert "Return home chats" in page.text
    assert f'href="/collective/{sector.year}.pdf"' in page.text
    assert PRIVATE_TITLE not in page.text
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert (await api.client.get("/collective/1850")).status_code == 404
