"""The unsubscribe link of every digest email, which works without signing in.

GET shows a page with a button and changes nothing, because mail scanners and link
previews open links by themselves; the button POSTs, and so does a mail program's
one-click unsubscribe (RFC 8058, the List-Unsubscribe-Post header). Both are plain HTML,
with no script, so they work in any browser.
"""

from __future__ import annotations

import html

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from inset.config import Settings
from inset.db import transaction
from inset.errors import NotFound
from inset.notifications.digest import account_of_token
from inset.notifications.models import DigestFrequency
from inset.notifications.service import set_digest_frequency

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the token is in the address
    "Cache-Control": "no-store",
}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · Inset</title><link rel="stylesheet" href="/static/style.css">
</head><body><main id="main" class="page narrow"><h1>{html.escape(title)}</h1>{body}</main>
</body></html>""",
        status_code=status,
        headers=HEADERS,
    )


_UNKNOWN = (
    "Unsubscribe link not recognised",
    "<p>This link is not complete or not genuine. Copy the whole link from the email, or "
    'sign in and choose on <a href="/notifications">your notifications page</a>.</p>',
)


def unsubscribe_routes(engine: Engine, settings: Settings) -> list[Route]:
    def confirm(request: Request) -> HTMLResponse:
        token = request.path_params["token"]
        if account_of_token(settings.secret_key, token) is None:
            return _page(*_UNKNOWN, status=404)
        return _page(
            "Stop the Inset email digest?",
            f"""<p>You will no longer be sent emails about what you follow. You are still
told in the application, and can turn the emails back on from your notifications page.</p>
<form method="post" action="/unsubscribe/{html.escape(token)}">
<button type="submit" class="button">Unsubscribe</button></form>""",
        )

    def unsubscribe(request: Request) -> HTMLResponse:
        account_id = account_of_token(settings.secret_key, request.path_params["token"])
        if account_id is None:
            return _page(*_UNKNOWN, status=404)
        try:
            with transaction(engine) as session:
                set_digest_frequency(
                    session=session, account_id=account_id, frequency=DigestFrequency.OFF
                )
        except NotFound:
            return _page(*_UNKNOWN, status=404)
        return _page(
            "You are unsubscribed",
            "<p>Inset will send you no more digest emails. To have them again, sign in and "
            'choose daily or weekly on <a href="/notifications">your notifications page</a>.</p>',
        )

    return [
        Route("/unsubscribe/{token}", confirm, methods=["GET"]),
        Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
    ]
