"""Serving the web client: its page, its static files and the few library files it loads.

The client is a single page (static/index.html) that draws every screen in the browser,
so each of its addresses (/projects/<id>, /lessons/<id>, /portfolio, ...) answers with that
page: links can be bookmarked and shared. Only those addresses do, so /graphql and any unknown path
keep their own answers. Browser libraries come from the npm registry by
inset/web/package-lock.json (see inset/web/libraries.py); only the built files listed in
VENDOR_FILES are served, never package sources.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import mimetypes
import os
import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from inset.config import Settings
from inset.web.libraries import NODE_MODULES, VENDOR, VENDOR_FILES

__all__ = ["NODE_MODULES", "STATIC", "VENDOR_FILES", "graphiql_html", "web_routes"]

log = logging.getLogger("inset.web")

WEB = Path(__file__).resolve().parent
STATIC = WEB / "static"


def library_folder() -> Path:
    """Where the browser libraries are served from: the copy a wheel carries, or (a source
    checkout) node_modules."""
    return VENDOR if VENDOR.is_dir() else NODE_MODULES


# The client's own addresses; everything else (/graphql above all) is not the client's.
CLIENT_PATHS = (
    "/",
    "/sign-in",
    "/projects",
    "/projects/{project_id}",
    "/projects/{project_id}/{rest:path}",
    "/portfolio",
    "/library",
    "/lessons/{lesson_id}",
)

_IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.DOTALL)

# Some systems' mime tables lack .mjs, and browsers refuse a module served as text/plain.
mimetypes.add_type("text/javascript", ".mjs")


class _VendorFiles(StaticFiles):
    """The library folder, but only the files in VENDOR_FILES; any other path is a 404."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path.replace(os.sep, "/") not in VENDOR_FILES:
            return "", None
        return super().lookup_path(path)

    async def check_config(self) -> None:
        # A missing node_modules is reported once at start-up (web_routes); each
        # request for a library then gets a plain 404 instead of a server error.
        return None


def _security_headers(page: str) -> dict[str, str]:
    """Headers for the client's page: only our own scripts run, and no other site frames it.

    The import map is the page's one inline script, allowed by its hash.
    """
    found = _IMPORT_MAP.search(page)
    script_hashes = ""
    if found is not None:
        digest = hashlib.sha256(found.group(1).encode()).digest()
        script_hashes = f" 'sha256-{base64.b64encode(digest).decode()}'"
    policy = (
        "default-src 'self'; "
        f"script-src 'self'{script_hashes}; "
        "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-cache",
    }


async def _client_page(request: Request) -> Response:
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers=_security_headers(page))


def web_routes(settings: Settings) -> list[BaseRoute]:
    """The client's routes, to put beside the GraphQL route.

    `settings` is taken so that the wiring reads like the other parts of the app; the
    client needs none today, since it learns everything through the API.
    """
    del settings
    libraries = library_folder()
    if not libraries.is_dir():
        log.warning(
            "the web client's libraries are missing (%s): run scripts/setup, or `npm ci` in %s",
            libraries,
            WEB,
        )
    return [
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        Mount("/vendor", app=_VendorFiles(directory=libraries, check_dir=False), name="vendor"),
        *(Route(path, _client_page, methods=["GET", "HEAD"]) for path in CLIENT_PATHS),
    ]


def graphiql_html(endpoint: str = "/graphql") -> str:
    """GraphiQL for the endpoint, loading everything from this service: it works offline.

    React 18 and GraphiQL 3 come from /vendor; static/graphiql.js starts it, reading the
    endpoint from the page so that no inline script is needed.
    """
    url = html.escape(endpoint, quote=True)
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL: Inset API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/vendor/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/static/graphiql.css">
</head>
<body>
<div id="graphiql" data-endpoint="{url}">Loading GraphiQL…</div>
<noscript>GraphiQL needs JavaScript. The API itself answers POST requests at {url}.</noscript>
<script src="/vendor/react/umd/react.production.min.js"></script>
<script src="/vendor/react-dom/umd/react-dom.production.min.js"></script>
<script src="/vendor/graphiql/graphiql.min.js"></script>
<script src="/static/graphiql.js"></script>
</body>
</html>
"""
