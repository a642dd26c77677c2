"""Who a request speaks for: a bearer token, or the web session's cookie from our own pages.

Shared by the GraphQL endpoint and the downloads, so that both read as the same person.
"""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request

from inset.access import ANONYMOUS, Actor
from inset.accounts import service as accounts
from inset.accounts import sessions
from inset.errors import AccessDenied


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def same_site(request: Request) -> bool:
    """Whether a cookie-carrying request comes from our own pages.

    The cookie is SameSite=Lax and POSTs must be JSON (which no cross-site form can
    send), so this is the third lock: browsers name the requesting site, and a request
    that says it is cross-site does not act as the signed-in person.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def actor_of(request: Request, session: Session, secret_key: str) -> Actor:
    """The request's actor; ANONYMOUS without credentials or with an expired session.

    Raises Unauthenticated for a bad token and AccessDenied for a cookie sent from
    another site.
    """
    secret = bearer(request)
    if secret is not None:
        return accounts.authenticate_token(session=session, secret=secret)
    cookie = request.cookies.get(sessions.COOKIE)
    if not cookie:
        return ANONYMOUS
    if not same_site(request):
        raise AccessDenied("a request from another site cannot use your sign-in")
    return (
        sessions.authenticate_cookie(session=session, cookie=cookie, secret_key=secret_key)
        or ANONYMOUS
    )
