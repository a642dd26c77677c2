"""The digest as a document: HTML for the page and files, PDF made from the same HTML."""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from inset.collective.digest import build_digest
from inset.collective.render import render_html
from inset.collective.service import check_year
from inset.db import utcnow

FORMATS = ("html", "pdf")


def digest_html(
    *, session: Session, year: int, optimism_bias: Sequence[Decimal], pdf_link: str | None = None
) -> str:
    check_year(year)
    digest = build_digest(session=session, year=year, optimism_bias=optimism_bias)
    return render_html(digest, made_on=utcnow().date(), pdf_link=pdf_link)


def pdf_of(html: str) -> bytes:
    """The HTML laid out on A4 pages by WeasyPrint (print media: one case study a page)."""
    from weasyprint import HTML  # imported when needed: it loads Pango, which takes a moment

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def write_digest(
    engine: Engine, *, year: int, format: str, out: Path, optimism_bias: Sequence[Decimal]
) -> int:
    """Writes the digest to `out` whole or not at all (a partial file is renamed into place
    only when complete) and returns the bytes written."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    with Session(engine) as session:
        html = digest_html(session=session, year=year, optimism_bias=optimism_bias)
    content = html.encode("utf-8") if format == "html" else pdf_of(html)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(content)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return len(content)
