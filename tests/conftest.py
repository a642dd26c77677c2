"""Fixtures: a fresh migrated database per test, a small world to fill it, an API client.

`INSET_TEST_DATABASE_URL` selects the database (default: a SQLite file per test).
On PostgreSQL the schema is migrated once per run and every table emptied before
each test, so that no test depends on another's leftovers.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import inset.models  # noqa: F401
from inset.access import Actor
from inset.accounts import service as accounts
from inset.accounts.models import Account, Role, TokenScope
from inset.app import create_app
from inset.config import Settings
from inset.db import create_db_engine, normalise_url, transaction
from inset.migrate import upgrade
from inset.organisations.models import Organisation, OrganisationKind
from inset.projects import service as projects
from inset.projects.models import InnovationType, Project, Visibility
from inset.themes import service as themes
from inset.themes.models import Theme

TEST_DATABASE_URL = os.environ.get("INSET_TEST_DATABASE_URL", "")
# Tests send bursts no client should, back to back: they get a bucket they cannot empty,
# so that the limiter still runs (and its headers show) without ever refusing. A test of
# the limit sets a small bucket explicitly, which wins over this default.
GENEROUS_BUCKET = 10**12
os.environ.setdefault("INSET_RATE_LIMIT_BUCKET", str(GENEROUS_BUCKET))  # servers we start


@pytest.fixture(autouse=True, scope="session")
def _generous_rate_limit() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        generous = functools.partialmethod(Settings.__init__, rate_limit_bucket=GENEROUS_BUCKET)
        patch.setattr(Settings, "__init__", generous)
        yield


def is_postgres() -> bool:
    return TEST_DATABASE_URL.startswith("postgres")


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head: a template file on SQLite; on PostgreSQL a database of
    this test run's own (beside the one named), so that two runs never share tables."""
    if not is_postgres():
        template = tmp_path_factory.mktemp("template") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield str(template)
        return
    server = sa.make_url(normalise_url(TEST_DATABASE_URL))
    name = f"inset_test_{os.getpid()}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def db_url(_migrated: str, tmp_path: Path) -> str:
    if is_postgres():
        engine = create_db_engine(_migrated)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        engine.dispose()
        return normalise_url(_migrated)
    path = tmp_path / "inset.db"
    shutil.copyfile(_migrated, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@dataclass
class World:
    """Makes the records a test needs, each through the services in its own transaction."""

    engine: Engine
    _n: count[int] = field(default_factory=lambda: count(1))
    _staff: Actor | None = None

    @property
    def staff(self) -> Actor:
        """An incubator staff actor (the first account is made directly: someone must be first)."""
        if self._staff is None:
            with transaction(self.engine) as session:
                org = Organisation(name="The Incubator", kind=OrganisationKind.OTHER)
                session.add(org)
                session.flush()
                account = Account(
                    email="staff@incubator.example",
                    name="Sam Staff",
                    organisation_id=org.id or 0,
                    role=Role.STAFF,
                )
                session.add(account)
                session.flush()
                self._staff = accounts.actor_for(account)
        return self._staff

    def org(
        self,
        name: str | None = None,
        kind: OrganisationKind = OrganisationKind.LOCAL_AUTHORITY,
        region: str | None = "North West",
    ) -> Organisation:
        from inset.organisations import service

        staff = self.staff  # before the transaction: SQLite allows one writer at a time
        with transaction(self.engine) as session:
            return service.create_organisation(
                session=session,
                actor=staff,
                name=name or f"Organisation {next(self._n)}",
                kind=kind,
                region=region,
            )

    def account(
        self, org: Organisation, role: Role = Role.LEAD, *, password: str | None = None
    ) -> Account:
        n, staff = next(self._n), self.staff
        with transaction(self.engine) as session:
            return accounts.create_account(
                session=session,
                actor=staff,
                email=f"person{n}@example.org",
                name=f"Person {n}",
                organisation_id=org.id or 0,
                role=role,
                password=password,
            )

    def actor(self, account: Account, scope: TokenScope | None = None) -> Actor:
        actor = accounts.actor_for(account)
        return Actor(**{**actor.__dict__, "scope": scope})

    def lead(self, org: Organisation | None = None) -> Actor:
        return self.actor(self.account(org or self.org(), Role.LEAD))

    def member(self, org: Organisation | None = None) -> Actor:
        return self.actor(self.account(org or self.org(), Role.MEMBER))

    def theme(self, name: str | None = None) -> Theme:
        staff = self.staff
        with transaction(self.engine) as session:
            return themes.create_theme(
                session=session, actor=staff, name=name or f"Theme {next(self._n)}"
            )

    def project(self, actor: Actor, **overrides: Any) -> Project:
        values: dict[str, Any] = {
            "title": f"Project {next(self._n)}",
            "summary": "A new way to support young people on the edge of care.",
            "innovation_type": InnovationType.PRACTICE,
            "lead_organisation_id": actor.organisation_id,
            "visibility": Visibility.PRIVATE,
        }
        values.update(overrides)
        with transaction(self.engine) as session:
            return projects.create_project(session=session, actor=actor, **values)

    def token(self, actor: Actor, scope: TokenScope = TokenScope.READ_WRITE) -> str:
        """A bearer secret for the actor's account."""
        with transaction(self.engine) as session:
            plain = Actor(**{**actor.__dict__, "scope": None})
            _, secret = accounts.create_api_token(
                session=session, actor=plain, name="test token", scope=scope
            )
            return secret


@pytest.fixture
def world(engine: Engine) -> World:
    return World(engine)


@dataclass
class Api:
    client: httpx.AsyncClient

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> httpx.Response:
        # As the web client asks: the newer media type, whose status codes tell errors.
        headers = {"Accept": "application/graphql-response+json, application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The whole response body (data and errors)."""
        response = await self.post(query, variables, token=token)
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The data of a response that must have no GraphQL errors."""
        body = await self.gql(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture
async def api(engine: Engine, db_url: str) -> AsyncIterator[Api]:
    settings = Settings(database_url=db_url, secret_key="test-secret-key")
    app = create_app(settings, engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inset.test") as client:
        yield Api(client)


def statement_counter(engine: Engine) -> list[str]:
    """Collects every SQL statement the engine runs from now on."""
    seen: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", remember)
    return seen
