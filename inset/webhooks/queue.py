"""The delivery queue: offering events to endpoints, taking due deliveries, settling them.

Each step is its own short transaction; no transaction is open while a request is sent.
On PostgreSQL, rows are taken with `FOR UPDATE SKIP LOCKED`, so any number of workers
share the queue without taking the same delivery; on SQLite writers queue anyway.
"""

from __future__ import annotations

import random  # jitter spreads retries; it guards nothing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from inset.access import SYSTEM
from inset.db import utcnow
from inset.events.models import Event
from inset.events.service import event_is_readable
from inset.ids import to_global_id
from inset.webhooks import service
from inset.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from inset.webhooks.settings import JITTER, LEASE_MARGIN_SECONDS, retry_schedule, timeout_seconds

OFFER_BATCH = 500
FOLLOW_ON = 20  # deliveries of one project a worker takes at once, sent in order


@dataclass(frozen=True)
class Job:
    """One delivery to send, with what sending needs, read while it was taken."""

    delivery_id: int
    endpoint_id: int
    event_id: int
    url: str
    secrets: tuple[str, ...]
    webhook_id: str
    event_type: str
    occurred_at: datetime
    data: dict[str, Any]
    attempts: int  # made before this one


@dataclass(frozen=True)
class Result:
    succeeded: bool
    status_code: int | None
    duration_ms: int
    error: str | None
    skipped: bool = False


def offer_events(session: Session) -> int:
    """Queues a delivery for each new event each enabled endpoint wants and may read.

    Reads the feed after each endpoint's cursor; the feed is in commit order, so moving
    the cursor past an event never passes over one that commits later.
    """
    endpoints = session.scalars(
        sa.select(WebhookEndpoint)
        .where(col(WebhookEndpoint.enabled), col(WebhookEndpoint.archived_at).is_(None))
        .with_for_update(skip_locked=True)
    ).all()
    offered = 0
    for endpoint in endpoints:
        upto = session.scalar(
            sa.select(sa.func.max(col(Event.id))).where(
                col(Event.id).in_(
                    sa.select(col(Event.id))
                    .where(col(Event.id) > endpoint.event_cursor)
                    .order_by(col(Event.id))
                    .limit(OFFER_BATCH)
                )
            )
        )
        if upto is None:
            continue
        wanted = sa.select(col(Event.id), col(Event.project_id)).where(
            col(Event.id) > endpoint.event_cursor,
            col(Event.id) <= upto,
            event_is_readable(service.reader_for(endpoint)),
        )
        if endpoint.event_types:
            wanted = wanted.where(col(Event.type).in_(endpoint.event_types))
        for event_id, project_id in session.execute(wanted.order_by(col(Event.id))):
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id or 0, event_id=event_id, ordering_key=project_id or 0
                )
            )
            offered += 1
        endpoint.event_cursor = upto
        session.add(endpoint)
    return offered


def _lease_end(now: datetime) -> datetime:
    return now + timedelta(seconds=timeout_seconds() + LEASE_MARGIN_SECONDS)


def _due(now: datetime) -> Any:
    return sa.and_(
        col(WebhookDelivery.state) == DeliveryState.PENDING,
        col(WebhookDelivery.next_attempt_at) <= now,
        sa.or_(
            col(WebhookDelivery.leased_until).is_(None), col(WebhookDelivery.leased_until) < now
        ),
    )


def take_due(session: Session, *, limit: int = 10) -> list[list[Job]]:
    """Leases due deliveries, each the first still pending of its (endpoint, project)
    with up to FOLLOW_ON after it; returns them in groups to send in order."""
    now = utcnow()
    earlier = aliased(WebhookDelivery)
    heads = session.scalars(
        sa.select(WebhookDelivery)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .where(
            _due(now),
            col(WebhookEndpoint.enabled),
            col(WebhookEndpoint.archived_at).is_(None),
            ~sa.exists().where(
                col(earlier.endpoint_id) == col(WebhookDelivery.endpoint_id),
                col(earlier.ordering_key) == col(WebhookDelivery.ordering_key),
                col(earlier.state) == DeliveryState.PENDING,
                col(earlier.event_id) < col(WebhookDelivery.event_id),
            ),
        )
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    ).all()
    groups = []
    for head in heads:
        following = session.scalars(
            sa.select(WebhookDelivery)
            .where(
                col(WebhookDelivery.endpoint_id) == head.endpoint_id,
                col(WebhookDelivery.ordering_key) == head.ordering_key,
                col(WebhookDelivery.state) == DeliveryState.PENDING,
                col(WebhookDelivery.event_id) > head.event_id,
            )
            .order_by(col(WebhookDelivery.event_id))
            .limit(FOLLOW_ON - 1)
            .with_for_update(skip_locked=True)
        ).all()
        group = [head]
        for delivery in following:  # in order, up to the first that is not yet due
            if delivery.next_attempt_at > now or (
                delivery.leased_until is not None and delivery.leased_until >= now
            ):
                break
            group.append(delivery)
        for delivery in group:
            delivery.leased_until = _lease_end(now)
            session.add(delivery)
        groups.append(_jobs(session, group))
    return groups


def _jobs(session: Session, group: list[WebhookDelivery]) -> list[Job]:
    endpoint = session.get(WebhookEndpoint, group[0].endpoint_id)
    if endpoint is None:  # a foreign key rules it out
        raise RuntimeError(f"delivery {group[0].id} has no endpoint")
    now = utcnow()
    secrets: tuple[str, ...] = (endpoint.secret,)
    if endpoint.previous_secret and (endpoint.previous_secret_expires_at or now) > now:
        secrets = (endpoint.secret, endpoint.previous_secret)
    events = {
        e.id: e
        for e in session.scalars(
            sa.select(Event).where(col(Event.id).in_([d.event_id for d in group]))
        )
    }
    return [
        Job(
            delivery_id=d.id or 0,
            endpoint_id=endpoint.id or 0,
            event_id=d.event_id,
            url=endpoint.url,
            secrets=secrets,
            webhook_id=to_global_id("Event", d.event_id),
            event_type=events[d.event_id].type,
            occurred_at=events[d.event_id].occurred_at,
            data=events[d.event_id].data,
            attempts=d.attempts,
        )
        for d in group
    ]


def readable_now(session: Session, jobs: list[Job]) -> set[int]:
    """The events of `jobs` (one endpoint's) its organisation may read now: decided
    just before sending."""
    if not jobs:
        return set()
    endpoint = session.get(WebhookEndpoint, jobs[0].endpoint_id)
    if endpoint is None:
        return set()
    return set(
        session.scalars(
            sa.select(col(Event.id)).where(
                col(Event.id).in_([job.event_id for job in jobs]),
                event_is_readable(service.reader_for(endpoint)),
            )
        )
    )


def settle_done(session: Session, done: list[tuple[Job, Result]]) -> None:
    """Records deliveries that succeeded or were skipped, in two statements however many."""
    if not done:
        return
    now = utcnow()
    succeeded = [job.delivery_id for job, result in done if result.succeeded]
    skipped = [job.delivery_id for job, result in done if not result.succeeded]
    for state, ids in ((DeliveryState.SUCCEEDED, succeeded), (DeliveryState.SKIPPED, skipped)):
        if ids:
            session.execute(
                sa.update(WebhookDelivery)
                .where(col(WebhookDelivery.id).in_(ids))
                .values(
                    state=state,
                    attempts=col(WebhookDelivery.attempts) + 1,
                    leased_until=None,
                    completed_at=now,
                )
            )
    session.add_all(
        WebhookAttempt(
            delivery_id=job.delivery_id,
            endpoint_id=job.endpoint_id,
            event_id=job.event_id,
            attempt=job.attempts + 1,
            attempted_at=now,
            succeeded=result.succeeded,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            error=result.error,
        )
        for job, result in done
    )


def settle(session: Session, job: Job, result: Result) -> WebhookAttempt:
    """Records the attempt; schedules the next with jitter, or gives up after the
    schedule and disables the endpoint, saying why."""
    delivery = session.get(WebhookDelivery, job.delivery_id, with_for_update=True)
    if delivery is None:  # deliveries are never deleted
        raise RuntimeError(f"delivery {job.delivery_id} is gone")
    now = utcnow()
    delivery.attempts += 1
    delivery.leased_until = None
    next_at = None
    schedule = retry_schedule()
    if result.succeeded or result.skipped:
        delivery.state = DeliveryState.SUCCEEDED if result.succeeded else DeliveryState.SKIPPED
        delivery.completed_at = now
    elif delivery.attempts > len(schedule):
        delivery.state = DeliveryState.FAILED
        delivery.completed_at = now
        endpoint = session.get(WebhookEndpoint, job.endpoint_id, with_for_update=True)
        if endpoint is not None and endpoint.enabled:
            if session.get_bind().dialect.name == "postgresql":
                # It writes an event, which partners may read at once: durable first.
                session.execute(sa.text("SET LOCAL synchronous_commit = on"))
            service.disable_endpoint(
                session=session,
                actor=SYSTEM,
                endpoint=endpoint,
                reason=f"gave up on event {job.webhook_id} after {delivery.attempts} attempts "
                f"over {sum(schedule) / 3600:.1f} hours; the last: {result.error}",
            )
    else:
        wait = schedule[delivery.attempts - 1]
        next_at = now + timedelta(seconds=wait * random.uniform(1 - JITTER, 1 + JITTER))  # noqa: S311
        delivery.next_attempt_at = next_at
    session.add(delivery)
    attempt = WebhookAttempt(
        delivery_id=job.delivery_id,
        endpoint_id=job.endpoint_id,
        event_id=job.event_id,
        attempt=delivery.attempts,
        attempted_at=now,
        succeeded=result.succeeded,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        error=(result.error or "")[:500] or None,
        next_attempt_at=next_at,
    )
    session.add(attempt)
    return attempt


def release(session: Session, jobs: list[Job], *, keep: bool = False) -> None:
    """Gives back deliveries taken but not sent (an earlier one of the group failed), or
    with `keep`, holds them for one more request (the group goes on)."""
    if jobs:
        session.execute(
            sa.update(WebhookDelivery)
            .where(col(WebhookDelivery.id).in_([j.delivery_id for j in jobs]))
            .values(leased_until=_lease_end(utcnow()) if keep else None)
        )


@dataclass(frozen=True)
class Backlog:
    """What the workers still owe: `pending` deliveries queued and not yet settled, plus
    `unoffered` events past an enabled endpoint's cursor that no worker has queued yet
    (counted per endpoint, whether or not the endpoint wants them; they grow when no
    worker runs). `oldest` is when the oldest pending delivery was queued."""

    pending: int
    unoffered: int
    oldest: datetime | None


def backlog(session: Session) -> Backlog:
    pending, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(col(WebhookDelivery.created_at))).where(
            col(WebhookDelivery.state) == DeliveryState.PENDING
        )
    ).one()
    latest = sa.select(sa.func.coalesce(sa.func.max(col(Event.id)), 0)).scalar_subquery()
    unoffered = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(latest - col(WebhookEndpoint.event_cursor)), 0))
        .where(col(WebhookEndpoint.enabled))
        .where(col(WebhookEndpoint.archived_at).is_(None))
        .where(col(WebhookEndpoint.event_cursor) < latest)
    )
    return Backlog(pending=int(pending), unoffered=int(unoffered or 0), oldest=oldest)
