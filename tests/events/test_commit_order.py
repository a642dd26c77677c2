"""A reader paging the feed while others write never skips an event (run it on PostgreSQL:
`INSET_TEST_DATABASE_URL=postgresql://... pytest tests/events`; SQLite has one writer)."""

from __future__ import annotations

import random
import threading
from typing import Any

import sqlalchemy as sa
from conftest import World, is_postgres
from sqlmodel import Session

from inset.access import SYSTEM
from inset.db import transaction
from inset.events import service
from inset.events.models import Event
from inset.events.queries import COMMIT_ORDER
from inset.pagination import PageRequest, fetch_page
from inset.projects import service as projects
from inset.projects.models import InnovationType

WRITERS = 6 if is_postgres() else 3  # SQLite queues writers: fewer keep it quick
PROJECTS_EACH = 40


def _dawdle(*_: Any) -> None:
    # Between drawing an event's id and committing it: the window in which, without the
    # outbox's lock, a later id could commit first and be read before an earlier one.
    threading.Event().wait(random.uniform(0, 0.004))


def test_a_reader_paging_during_concurrent_writes_misses_no_event(world: World) -> None:
    org_id = world.org().id or 0
    engine = world.engine
    done = threading.Event()
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(PROJECTS_EACH):
                with transaction(engine) as session:
                    projects.create_project(
                        session=session,
                        actor=SYSTEM,
                        title=f"Writer {n} project {i}",
                        summary="Concurrent",
                        innovation_type=InnovationType.PRACTICE,
                        lead_organisation_id=org_id,
                    )
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)

    read: list[int] = []

    def page_after(cursor: str | None) -> tuple[list[int], str | None]:
        with Session(engine) as session:
            page = fetch_page(
                session,
                service.events_for(actor=SYSTEM),
                COMMIT_ORDER,
                PageRequest.from_args(first=7, after=cursor),
                lambda row: (row.id,),
            )
        ids = [row.id for row in page.rows]
        return ids, (page.cursors[-1] if page.cursors else cursor)

    sa.event.listen(Event, "after_insert", _dawdle)
    try:
        writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in writers:
            thread.start()
        cursor: str | None = None
        while not done.is_set():
            if not any(thread.is_alive() for thread in writers):
                done.set()
            ids, cursor = page_after(cursor)
            read.extend(ids)
        while True:  # what the last writers committed after the reader's last page
            ids, cursor = page_after(cursor)
            if not ids:
                break
            read.extend(ids)
    finally:
        sa.event.remove(Event, "after_insert", _dawdle)

    assert failures == []
    with Session(engine) as session:
        every = list(session.scalars(sa.select(Event.id).order_by(Event.id)))
    assert len(every) == WRITERS * PROJECTS_EACH
    assert read == every
