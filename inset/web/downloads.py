"""Lists as CSV files from the browser: the projects (also the portfolio's, with its
filter) and the lessons, streamed row by row with `inset.export`, over what the person
asking may read.

The address takes the web client's own query parameters, so a page's download link is
its address with /downloads/... in front: /downloads/projects.csv?stage=PILOT&theme=...
holds exactly the projects /projects?stage=PILOT&theme=... lists. Credentials are the
API's: a bearer token or the session cookie from our own pages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import sqlalchemy as sa
import strawberry
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from inset import export
from inset.access import Actor
from inset.config import Settings
from inset.db import utcnow
from inset.errors import AccessDenied, DomainError, Unauthenticated
from inset.ids import to_global_id
from inset.lessons.models import Barrier, Lesson, LessonBarrier, LessonKind
from inset.organisations.models import OrganisationKind
from inset.projects.filters import GateOutcome
from inset.projects.models import Project, ProjectStatus, Stage
from inset.projects.queries import select_projects
from inset.projects.types import GateFilter, ProjectFilter
from inset.web.credentials import actor_of

E = TypeVar("E", bound=Enum)
NONE = "none"  # in an address, the group of projects without a theme or a region
FLUSH_EVERY = 200  # rows a chunk: small enough to start at once, big enough to be cheap


class BadQuery(ValueError):
    """A query parameter the download cannot take; the message says which and why."""


def _enums(params: QueryParams, name: str, kind: type[E]) -> list[E] | None:
    values = params.getlist(name)
    try:
        return [kind(v) for v in values] or None
    except ValueError as error:
        raise BadQuery(f"{name} must be one of {', '.join(k.value for k in kind)}") from error


def _ints(params: QueryParams, name: str) -> list[int] | None:
    try:
        return [int(v) for v in params.getlist(name)] or None
    except ValueError as error:
        raise BadQuery(f"{name} must be a whole number") from error


def _date(params: QueryParams, name: str) -> date | None:
    value = params.get(name)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as error:
        raise BadQuery(f"{name} must be a date such as 2025-04-01") from error


def _group(value: str) -> str:
    return "" if value == NONE else value


def _groups(params: QueryParams, name: str) -> list[strawberry.ID] | None:
    return [strawberry.ID(_group(v)) for v in params.getlist(name)] or None


def project_filter(params: QueryParams, actor: Actor) -> ProjectFilter:
    """The ProjectFilter the web client builds from the same parameters (pages/filters.js)."""
    stages = _enums(params, "stage", Stage)
    entered = _enums(params, "entered", Stage)
    gate = _enums(params, "gate", Stage)
    outcome = _enums(params, "outcome", GateOutcome)
    idle = _ints(params, "idle")
    levels = _ints(params, "level")
    minimum = _ints(params, "min_level")
    with_theme = params.get("with_theme")
    # As the projects page: anyone but staff sees their own organisation's unless "all".
    mine = None
    if params.get("scope") != "all" and not actor.is_staff:
        mine = actor.organisation_id or -1
    return ProjectFilter(
        stages=stages,
        statuses=_enums(params, "status", ProjectStatus),
        themes=_groups(params, "theme"),
        with_theme=None if with_theme is None else strawberry.ID(_group(with_theme)),
        organisations=[strawberry.ID(to_global_id("Organisation", mine))] if mine else None,
        organisation_kinds=_enums(params, "kind", OrganisationKind),
        regions=[str(r) for r in _groups(params, "region") or []] or None,
        evidence_levels=levels,
        min_evidence_level=minimum[0] if minimum else None,
        search=params.get("q") or None,
        from_=_date(params, "from"),
        to=_date(params, "to"),
        entered_stage=entered[0] if entered else None,
        gate=GateFilter(stage=gate[0], outcome=outcome[0] if outcome else GateOutcome.ENTERED)
        if gate
        else None,
        no_decision_for_days=idle[0] if idle else None,
    )


def _csv_chunks(rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for n, row in enumerate(rows, start=1):
        writer.writerow([export.text(row[c]) for c in columns])
        if n % FLUSH_EVERY == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def download_routes(engine: Engine, settings: Settings) -> list[BaseRoute]:
    def streamed(
        name: str, rows: Callable[[Any, Actor, QueryParams], Iterator[dict[str, Any]]]
    ) -> Callable[[Request], Any]:
        columns = export.COLUMNS["portfolio" if name == "projects" else "lessons"]

        async def endpoint(request: Request) -> Response:
            with Session(engine) as session:
                try:
                    actor = actor_of(request, session, settings.secret_key)
                except Unauthenticated as error:
                    return PlainTextResponse(
                        f"{error}\n", 401, headers={"WWW-Authenticate": "Bearer"}
                    )
                except AccessDenied as error:
                    return PlainTextResponse(f"{error}\n", 403)
            try:
                # Build the query before streaming, so that a bad parameter is a 400.
                selection = _selection(name, request.query_params, actor)
            except (BadQuery, DomainError) as error:
                return PlainTextResponse(f"{error}\n", 400)

            def body() -> Iterator[str]:
                with export.snapshot(engine) as conn:
                    yield from _csv_chunks(rows(conn, actor, selection), columns)

            filename = f"inset-{name}-{utcnow().date().isoformat()}.csv"
            return StreamingResponse(
                body(),
                media_type="text/csv; charset=utf-8",
                headers={
                    "Content-Disposition": f'attachment; filename="{filename}"',
                    "Cache-Control": "no-store",
                    "X-Content-Type-Options": "nosniff",
                },
            )

        return endpoint

    def project_rows(conn: Any, actor: Actor, selection: Any) -> Iterator[dict[str, Any]]:
        return export.portfolio_rows(
            conn,
            actor=actor,
            optimism_bias=settings.optimism_bias,
            now=utcnow(),
            selection=selection,
        )

    def lesson_rows(conn: Any, actor: Actor, selection: Any) -> Iterator[dict[str, Any]]:
        return export.lesson_rows(conn, actor=actor, conditions=selection)

    return [
        Route("/downloads/projects.csv", streamed("projects", project_rows), methods=["GET"]),
        Route("/downloads/lessons.csv", streamed("lessons", lesson_rows), methods=["GET"]),
    ]


def _selection(name: str, params: QueryParams, actor: Actor) -> Any:
    if name == "projects":
        return select_projects(actor, project_filter(params, actor))
    return lesson_conditions(params)


def lesson_conditions(params: QueryParams) -> list[Any]:
    """The learning library's filters (pages/library.js): barrier, stage, how the trial
    stands (outcome: the project's status) and kind of lesson; each may repeat."""
    conditions: list[Any] = []
    barriers = _enums(params, "barrier", Barrier)
    if barriers:
        conditions.append(
            sa.exists().where(
                col(LessonBarrier.lesson_id) == col(Lesson.id),
                col(LessonBarrier.barrier).in_(barriers),
            )
        )
    stages = _enums(params, "stage", Stage)
    if stages:
        conditions.append(col(Lesson.stage).in_(stages))
    outcomes = _enums(params, "outcome", ProjectStatus)
    if outcomes:
        conditions.append(col(Project.status).in_(outcomes))
    kinds = _enums(params, "kind", LessonKind)
    if kinds:
        conditions.append(col(Lesson.kind).in_(kinds))
    if params.get("q"):
        raise BadQuery("a download holds a list without a search: remove q to download it")
    return conditions
