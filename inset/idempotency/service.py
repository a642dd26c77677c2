"""Replaying creating mutations sent again with the same `idempotencyKey`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor, require_writer
from inset.errors import Duplicate, Invalid
from inset.idempotency.models import IdempotencyRecord

MAX_KEY_LENGTH = 200


def previous_result(
    *, session: Session, actor: Actor, key: str, mutation: str, input_hash: str
) -> int | None:
    """The id the first request with this key created, or None for a new key.

    Raises Duplicate when the key was used with other input or by another mutation.
    """
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Invalid(
            f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters", ("idempotency_key",)
        )
    if actor.account_id is None:
        return None
    record = session.scalars(
        sa.select(IdempotencyRecord).where(
            col(IdempotencyRecord.account_id) == actor.account_id,
            col(IdempotencyRecord.key) == key,
        )
    ).first()
    if record is None:
        return None
    if record.mutation != mutation or record.input_hash != input_hash:
        raise Duplicate(
            f"idempotencyKey {key!r} was already used for a different {record.mutation} request",
            ("idempotency_key",),
        )
    return record.result_id


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
    if actor.account_id is None:
        return
    session.add(
        IdempotencyRecord(
            account_id=actor.account_id,
            key=key,
            mutation=mutation,
            input_hash=input_hash,
            result_type=result_type,
            result_id=result_id,
        )
    )
    session.flush()  # the unique (account, key) constraint decides a race here


def authorise_replay(*, session: Session, actor: Actor, row: object) -> None:
    """A replay answers only someone who may still make the same change.

    The first request passed the service's checks; by the time of a replay the token may
    be read-only or the organisation taken off the project, and then the replay is
    refused as the change itself would be.
    """
    from inset.nominations.models import Nomination
    from inset.outcomes.models import Observation, Outcome
    from inset.projects.models import Project
    from inset.projects.service import get_project_for_write

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
    if project_id is not None:
        get_project_for_write(session=session, actor=actor, project_id=project_id)
