"""The ASGI application: GraphQL at /graphql, the web client at /."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route

from inset.access import ANONYMOUS, Actor
from inset.accounts import service as accounts
from inset.accounts import sessions
from inset.config import Settings
from inset.db import create_db_engine
from inset.errors import AccessDenied
from inset.graphql.context import Context
from inset.graphql.http import GraphQLEndpoint
from inset.graphql.schema import build_schema
from inset.operations.request_log import RequestLog, install_handler
from inset.operations.routes import operation_routes
from inset.ratelimit.service import RateLimiter
from inset.web.routes import graphiql_html, web_routes

log = logging.getLogger("inset")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def _same_site(request: Request) -> bool:
    """Whether a cookie-carrying request comes from our own pages.

    The cookie is SameSite=Lax and POSTs must be JSON (which no cross-site form can
    send), so this is the third lock: browsers name the requesting site, and a request
    that says it is cross-site does not act as the signed-in person.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def context_factory(engine: Engine, settings: Settings) -> Callable[[Request, str], Context]:
    def make(request: Request, request_id: str) -> Context:
        session = Session(engine, expire_on_commit=False)
        try:
            actor: Actor = ANONYMOUS
            secret = _bearer(request)
            cookie = request.cookies.get(sessions.COOKIE)
            if secret is not None:
                actor = accounts.authenticate_token(session=session, secret=secret)
            elif cookie:
                if not _same_site(request):
                    raise AccessDenied("a request from another site cannot use your sign-in")
                actor = (
                    sessions.authenticate_cookie(
                        session=session, cookie=cookie, secret_key=settings.secret_key
                    )
                    or ANONYMOUS
                )
            request.state.actor = actor  # for the request log
            return Context(
                session=session,
                actor=actor,
                settings=settings,
                request_id=request_id,
                session_cookie=cookie,
                https=request.url.scheme == "https",
            )
        except BaseException:
            session.close()
            raise

    return make


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    engine = engine or create_db_engine(settings.database_url)
    endpoint = GraphQLEndpoint(
        schema=build_schema(),
        context_factory=context_factory(engine, settings),
        settings=settings,
        graphiql_html=graphiql_html(),
        rate_limiter=RateLimiter(
            engine, limit=settings.rate_limit_bucket, refill=settings.rate_limit_refill
        )
        if settings.rate_limit_bucket
        else None,
    )
    install_handler()
    # No `methods`: the endpoint answers every method itself, with the 405s the spec wants.
    app = Starlette(
        routes=[
            Route("/graphql", endpoint=endpoint),
            *operation_routes(engine, settings),
            *web_routes(settings),
        ],
        middleware=[Middleware(RequestLog, engine=engine)],
    )
    app.state.engine = engine
    app.state.settings = settings
    return app
