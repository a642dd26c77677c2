"""Replaying mutations sent again with the same `idempotencyKey`.

Scope: a key belongs to the credential that sent it: the person's account (whichever of
their tokens or their web session), or the integration for an integration's tokens. So
two partners, or a person and their organisation's sync job, never collide.
Lifetime: a key is kept for KEPT_FOR (24 hours) after its first use; after that the
same key is new again. Expired keys are purged on write: each request that stores a key
first deletes the expired ones (through the index on `created_at`), so the table holds
about one day of keys and needs no separate job.
Limits: 1 to MAX_KEY_LENGTH (200) characters, not blank.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, may_write_project, require_writer
from inset.db import utcnow
from inset.errors import Duplicate, Invalid, NotFound
from inset.idempotency.models import IdempotencyRecord

MAX_KEY_LENGTH = 200
KEPT_FOR = timedelta(hours=24)


def _owner(actor: Actor) -> sa.ColumnElement[bool] | None:
    """The WHERE clause for the actor's own keys, or None for a caller without keys."""
    if actor.integration_id is not None:
        return col(IdempotencyRecord.integration_id) == actor.integration_id
    if actor.account_id is not None:
        return col(IdempotencyRecord.account_id) == actor.account_id
    return None


def previous_record(
    *, session: Session, actor: Actor, key: str, mutation: str, input_hash: str
) -> IdempotencyRecord | None:
    """What the first request with this key stored, or None for a new (or expired) key.

    Raises Duplicate when the key was used with other input or by another mutation.
    """
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Invalid(
            f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters", ("idempotency_key",)
        )
    owner = _owner(actor)
    if owner is None:
        return None
    record = session.scalars(
        sa.select(IdempotencyRecord).where(
            owner,
            col(IdempotencyRecord.key) == key,
            col(IdempotencyRecord.created_at) > utcnow() - KEPT_FOR,
        )
    ).first()
    if record is None:
        return None
    if record.mutation != mutation or record.input_hash != input_hash:
        raise Duplicate(
            f"idempotencyKey {key!r} was already used for a different {record.mutation} request",
            ("idempotency_key",),
        )
    return record


def previous_result(
    *, session: Session, actor: Actor, key: str, mutation: str, input_hash: str
) -> int | None:
    """The id the first request with this key created, or None for a new key."""
    record = previous_record(
        session=session, actor=actor, key=key, mutation=mutation, input_hash=input_hash
    )
    return None if record is None else record.result_id


def purge_expired(*, session: Session) -> int:
    """Deletes the keys older than KEPT_FOR; returns how many."""
    result = session.execute(
        sa.delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) <= utcnow() - KEPT_FOR)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def remember(
    *,
    session: Session,
    actor: Actor,
    key: str,
    mutation: str,
    input_hash: str,
    result_type: str,
    result_id: int,
) -> None:
    if _owner(actor) is None:
        return
    # An expired key of this owner would stand in the way of the unique constraint.
    purge_expired(session=session)
    session.add(
        IdempotencyRecord(
            account_id=actor.account_id if actor.integration_id is None else None,
            integration_id=actor.integration_id,
            key=key,
            mutation=mutation,
            input_hash=input_hash,
            result_type=result_type,
            result_id=result_id,
        )
    )
    session.flush()  # the unique (owner, key) constraint decides a race here


def authorise_replay(*, session: Session, actor: Actor, row: object) -> None:
    """A replay answers only someone who may still make the same change.

    The first request passed the service's checks; by the time of a replay the token may
    be read-only or the organisation taken off the project, and then the replay is
    refused as the change itself would be. An archived record (a replayed
    archiveRecord) is checked against its project as it stands, archived or not.
    """
    from inset.nominations.models import Nomination
    from inset.outcomes.models import Observation, Outcome
    from inset.projects.models import Project
    from inset.projects.service import get_project_for_write, partner_ids

    if isinstance(row, Nomination):
        return  # anyone signed in nominates, and keys are per account: it is their own
    require_writer(actor)
    if isinstance(row, Project):
        project_id: int | None = row.id
    elif isinstance(row, Observation):
        outcome = session.get(Outcome, row.outcome_id)
        project_id = outcome.project_id if outcome else None
    else:
        project_id = getattr(row, "project_id", None)
    if project_id is None:
        return
    if getattr(row, "archived_at", None) is None:
        get_project_for_write(session=session, actor=actor, project_id=project_id)
        return
    project = session.get(Project, project_id)
    partners = partner_ids(session=session, project_id=project_id)
    if project is None or not may_write_project(actor, project, partners):
        raise NotFound("record", ("id",))
