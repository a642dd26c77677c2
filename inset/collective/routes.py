"""The digest's pages: /collective/<year> (HTML) and /collective/<year>.pdf, for anyone.

They are drawn on the server from the same renderer as `inset digest`, read as the
anonymous viewer whoever asks, so a signed-in reader sees exactly what the PDF holds.
"""

from __future__ import annotations

import base64
import hashlib
import re

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from inset.collective.publish import digest_html, pdf_of
from inset.collective.service import FIRST_YEAR, LAST_YEAR
from inset.config import Settings
from inset.db import utcnow

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _headers(page: str) -> dict[str, str]:
    """No script at all; the one style block allowed by its hash."""
    found = _STYLE.search(page)
    style = ""
    if found is not None:
        digest = hashlib.sha256(found.group(1).encode()).digest()
        style = f" 'sha256-{base64.b64encode(digest).decode()}'"
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src{style}; img-src 'self' data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-cache",
    }


def collective_routes(engine: Engine, settings: Settings) -> list[Route]:
    def html_for(year: int, pdf_link: str | None) -> str:
        with Session(engine) as session:
            return digest_html(
                session=session,
                year=year,
                optimism_bias=settings.optimism_bias,
                pdf_link=pdf_link,
            )

    def year_of(request: Request) -> int | None:
        year: int = request.path_params["year"]
        return year if FIRST_YEAR <= year <= LAST_YEAR else None

    async def page(request: Request) -> Response:
        year = year_of(request)
        if year is None:
            return PlainTextResponse("no digest for that year", status_code=404)
        html = await run_in_threadpool(html_for, year, f"/collective/{year}.pdf")
        return HTMLResponse(html, headers=_headers(html))

    async def pdf(request: Request) -> Response:
        year = year_of(request)
        if year is None:
            return PlainTextResponse("no digest for that year", status_code=404)
        html = await run_in_threadpool(html_for, year, None)
        content = await run_in_threadpool(pdf_of, html)
        return Response(
            content,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="the-collective-{year}.pdf"',
                "Cache-Control": "no-cache",
            },
        )

    async def latest(request: Request) -> Response:
        return RedirectResponse(f"/collective/{utcnow().year}", status_code=302)

    return [
        Route("/collective", latest, methods=["GET", "HEAD"]),
        Route("/collective/{year:int}.pdf", pdf, methods=["GET", "HEAD"]),
        Route("/collective/{year:int}", page, methods=["GET", "HEAD"]),
    ]
