"""One mutation, one transaction: the wiring every mutation resolver goes through."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from strawberry.types.unset import UnsetType

from inset.db import WRITE
from inset.errors import Conflict, DomainError
from inset.graphql.context import Info
from inset.graphql.errors import UserError, user_error
from inset.idempotency import service as idempotency

M = TypeVar("M")  # the row a mutation returns (any result, for mutations without replay)


def _plain(value: Any) -> Any:
    if isinstance(value, UnsetType):
        return None
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def input_hash(data: Any) -> str:
    """SHA-256 of the input as canonical JSON, without its idempotency key."""
    plain = _plain(data)
    if isinstance(plain, dict):
        plain.pop("idempotency_key", None)
    canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_mutation(
    info: Info,
    work: Callable[[Session], M],
    *,
    name: str,
    data: Any = None,
    replay: type[M] | tuple[type, ...] | None = None,
) -> M | list[UserError]:
    """Runs `work` in its own transaction and returns its row, or the user errors.

    A domain error rolls everything back, so a user error never leaves a half-written
    change. With `replay` (the model a creating mutation returns, or the models a
    mutation such as archiveRecord may return) and an `idempotencyKey` in `data`, the
    same key and input return the first result again.
    """
    context = info.context
    key = getattr(data, "idempotency_key", None) if replay is not None else None
    try:
        for attempt in (1, 2):
            try:
                return _transact(context, work, name=name, data=data, replay=replay, key=key)
            except IntegrityError:
                # Two requests raced with the same idempotency key or externalId: the
                # second insert lost, so run once more to replay what the first one
                # stored, or to answer DUPLICATE naming it.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
    except DomainError as error:
        return [
            user_error(
                e.code,
                e.message,
                e.field,
                getattr(e, "existing", None),
                source=e,
                current=_current(context.session, e),
            )
            for e in error.each()
        ]
    finally:
        context.reset_loaders()


def _current(session: Session, error: DomainError) -> Any:
    """With CONFLICT, the record as it is now: read after the rollback, in a transaction
    of its own, as the fields after the mutation read."""
    if not isinstance(error, Conflict) or error.current is None:
        return None
    model, pk = error.current
    return session.get(model, pk, populate_existing=True)


def _transact(
    context: Any,
    work: Callable[[Session], M],
    *,
    name: str,
    data: Any,
    replay: type[M] | tuple[type, ...] | None,
    key: str | None,
) -> M:
    session: Session = context.session
    if session.in_transaction():
        session.commit()  # the reads of earlier fields end here; the change starts afresh
    session.info["request_id"] = context.request_id
    with session.begin():
        session.connection(execution_options=WRITE)
        digest = input_hash(data) if key else ""
        if key and replay is not None:
            previous = idempotency.previous_record(
                session=session, actor=context.actor, key=key, mutation=name, input_hash=digest
            )
            models = replay if isinstance(replay, tuple) else (replay,)
            model = next(
                (m for m in models if previous and m.__name__ == previous.result_type), None
            )
            if previous is not None and model is not None:
                row = session.get(model, previous.result_id)
                if row is not None:
                    idempotency.authorise_replay(session=session, actor=context.actor, row=row)
                    return row
        result = work(session)
        if key and replay is not None:
            idempotency.remember(
                session=session,
                actor=context.actor,
                key=key,
                mutation=name,
                input_hash=digest,
                result_type=type(result).__name__,
                result_id=result.id,  # type: ignore[attr-defined]
            )
        return result
