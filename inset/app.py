"""The ASGI application: GraphQL at /graphql, the web client at /."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import anyio.to_thread
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route

from inset.accounts import sessions
from inset.collective.routes import collective_routes
from inset.config import Settings
from inset.db import create_db_engine, request_threads
from inset.graphql.context import Context
from inset.graphql.http import GraphQLEndpoint
from inset.graphql.schema import build_schema
from inset.notifications.routes import unsubscribe_routes
from inset.operations.request_log import RequestLog, install_handler
from inset.operations.routes import operation_routes
from inset.ratelimit.service import RateLimiter
from inset.web.credentials import actor_of
from inset.web.downloads import download_routes
from inset.web.routes import graphiql_html, not_found, web_routes

log = logging.getLogger("inset")


def context_factory(engine: Engine, settings: Settings) -> Callable[[Request, str], Context]:
    def make(request: Request, request_id: str) -> Context:
        session = Session(engine, expire_on_commit=False)
        try:
            actor = actor_of(request, session, settings.secret_key)
            cookie = request.cookies.get(sessions.COOKIE)
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


def _bounded_threads(
    engine: Engine,
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    """The app's lifespan: at start, it bounds the worker threads that requests run in (the
    GraphQL endpoint's executions, Starlette's sync routes) to `request_threads(engine)`.

    anyio would run up to 40 at once; on SQLite all but a few would only wait for a
    connection, each thread keeping an event loop and a malloc arena of its own."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        threads = request_threads(engine)
        if threads is not None:
            # The default limiter belongs to the event loop: set here, in the serving one.
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


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
            *unsubscribe_routes(engine, settings),
            *collective_routes(engine, settings),
            *download_routes(engine, settings),
            *web_routes(settings),
        ],
        middleware=[Middleware(RequestLog, engine=engine)],
        exception_handlers={404: not_found},
        lifespan=_bounded_threads(engine),
    )
    app.state.engine = engine
    app.state.settings = settings
    return app
