"""The ASGI application: GraphQL at /graphql, the web client at /."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from inset.access import ANONYMOUS, Actor
from inset.accounts import service as accounts
from inset.config import Settings
from inset.db import create_db_engine
from inset.graphql.context import Context
from inset.graphql.http import GraphQLEndpoint
from inset.graphql.schema import build_schema

log = logging.getLogger("inset")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def context_factory(engine: Engine, settings: Settings):  # type: ignore[no-untyped-def]
    def make(request: Request, request_id: str) -> Context:
        session = Session(engine, expire_on_commit=False)
        try:
            actor: Actor = ANONYMOUS
            secret = _bearer(request)
            if secret is not None:
                actor = accounts.authenticate_token(session=session, secret=secret)
            return Context(session=session, actor=actor, settings=settings, request_id=request_id)
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
    )
    # No `methods`: the endpoint answers every method itself, with the 405s the spec wants.
    app = Starlette(routes=[Route("/graphql", endpoint=endpoint)])
    app.state.engine = engine
    app.state.settings = settings
    return app
