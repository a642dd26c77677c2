"""Idempotency keys: whose they are, how long they are kept, and their purge."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from conftest import World
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from inset.access import Actor
from inset.accounts.models import Role
from inset.db import transaction, utcnow
from inset.idempotency import service
from inset.idempotency.models import IdempotencyRecord
from inset.integrations import service as integrations


def remember(engine: Engine, actor: Actor, key: str, result_id: int = 1) -> None:
    with transaction(engine) as session:
        service.remember(
            session=session,
            actor=actor,
            key=key,
            mutation="recordCost",
            input_hash="h",
            result_type="Cost",
            result_id=result_id,
        )


def previous(engine: Engine, actor: Actor, key: str) -> int | None:
    with Session(engine) as session:
        return service.previous_result(
            session=session, actor=actor, key=key, mutation="recordCost", input_hash="h"
        )


def an_integration_actor(engine: Engine, world: World) -> Actor:
    org = world.org()
    lead = world.lead(org)  # before the transaction: SQLite allows one writer at a time
    with transaction(engine) as session:
        integration = integrations.create_integration(
            session=session, actor=lead, organisation_id=org.id or 0, name="Sync"
        )
    return Actor(organisation_id=org.id, role=Role.LEAD, integration_id=integration.id)


def test_a_key_belongs_to_the_credential_that_sent_it(engine: Engine, world: World) -> None:
    person = world.lead()
    job = an_integration_actor(engine, world)
    remember(engine, person, "k-1", result_id=7)

    assert previous(engine, person, "k-1") == 7
    assert previous(engine, job, "k-1") is None  # the integration's keys are its own
    remember(engine, job, "k-1", result_id=8)
    assert previous(engine, job, "k-1") == 8


def test_a_key_older_than_a_day_is_new_again_and_purged_by_the_next_write(
    engine: Engine, world: World
) -> None:
    person = world.lead()
    remember(engine, person, "old", result_id=1)
    with transaction(engine) as session:
        session.execute(
            sa.update(IdempotencyRecord).values(
                created_at=utcnow() - service.KEPT_FOR - timedelta(minutes=1)
            )
        )

    assert previous(engine, person, "old") is None
    remember(engine, person, "old", result_id=2)  # no clash with the expired row

    with Session(engine) as session:
        rows = session.scalars(
            sa.select(IdempotencyRecord).where(col(IdempotencyRecord.key) == "old")
        ).all()
    assert [r.result_id for r in rows] == [2]
