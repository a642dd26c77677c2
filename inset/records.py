"""Rules every kind of record shares: versions that guard corrections, and partners' own keys.

A record's `version` starts at 1 and goes up by one with each correction that changes
something; a correction names the version it was based on (`expectedVersion`), and a
stale one is CONFLICT, so two editors never overwrite each other unseen.

`external_id` is the partner's own key for a record (their system's id). It is unique
within the organisation that owns the key: for a project its lead organisation, for a
record the organisation of whoever recorded it. Keying by the recorder, not the
project's lead, lets a partner's sync job and the lead's own job each use their own ids
on a shared project without colliding, and lets each find its records again with
`recordByExternalId`, whatever the other did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inset.access import Actor
from inset.db import EXTERNAL_ID_LENGTH
from inset.errors import Conflict, Duplicate, Invalid, Required, TooLong, api_name

FIELD = ("external_id",)


def check_version(row: Any, expected_version: int, what: str) -> None:
    """Raises Conflict when the row has moved on since the client read it."""
    if row.version != expected_version:
        raise Conflict(what, row.version, expected_version, current=(type(row), row.id))


def external_id(value: str | None) -> str | None:
    """The key as stored: trimmed, 1..200 printable characters, or None for none.

    Blank is refused rather than read as "no key": a sync job that sends an empty key
    has a bug, and storing nothing would make its next run create a duplicate.
    """
    if value is None:
        return None
    cleaned = value.strip()
    if not cleaned:
        raise Invalid("externalId must not be blank; leave it out for no key", FIELD)
    if len(cleaned) > EXTERNAL_ID_LENGTH:
        raise TooLong(FIELD, EXTERNAL_ID_LENGTH)
    if not cleaned.isprintable():
        raise Invalid("externalId must be printable characters, without line breaks", FIELD)
    return cleaned


def key_owner(actor: Actor, lead_organisation_id: int) -> int:
    """The organisation whose namespace a new record's key goes into: the recorder's.

    The command line and seeds act as the system, with no organisation: their keys go
    to the project's lead organisation.
    """
    return actor.organisation_id if actor.organisation_id is not None else lead_organisation_id


def find(session: Session, model: Any, owner_column: str, owner_id: int, key: str) -> Any:
    """The record of `model` (a table with `external_id`) holding the key, or None."""
    return session.scalars(
        sa.select(model).where(
            col(getattr(model, owner_column)) == owner_id,
            col(model.external_id) == key,
        )
    ).first()


def claim(
    session: Session,
    model: Any,
    *,
    owner_column: str,
    owner_id: int,
    key: str | None,
    current_id: int | None = None,
) -> None:
    """Raises Duplicate, naming the record that holds it, when the key is taken.

    An archived record still holds its key: a sync job that archived a record and
    sends it again learns which one it was, rather than silently making a second.
    Two concurrent creates with one key both pass here; the unique index stops the
    second, and the mutation runs once more to answer it with this Duplicate.
    """
    if key is None:
        return
    existing = find(session, model, owner_column, owner_id, key)
    if existing is not None and existing.id != current_id:
        raise Duplicate(
            f"externalId {key!r} is already used by another {model.__name__.lower()} "
            "of your organisation",
            FIELD,
            existing=(model.__name__, existing.id),
        )


def given(changes: Mapping[str, Any], editable: tuple[str, ...], required: tuple[str, ...]) -> None:
    """Refuses fields a correction cannot change, and null for a field that needs a value.

    Optional fields take null to clear them; a required one keeps its value unless a new
    one is given.
    """
    unknown = set(changes) - set(editable)
    if unknown:
        raise Invalid(
            f"these fields cannot be corrected: {', '.join(sorted(map(api_name, unknown)))}"
        )
    for name in required:
        if name in changes and changes[name] is None:
            raise Required((name,), f"{api_name(name)} cannot be cleared: leave it out to keep it")


def apply(row: Any, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Sets the values that differ and returns them as audit changes (before, after).

    Raises the row's version by one when anything changed.
    """
    changes = {
        name: (getattr(row, name), value)
        for name, value in values.items()
        if getattr(row, name) != value
    }
    for name, (_, value) in changes.items():
        setattr(row, name, value)
    if changes:
        changes["version"] = (row.version, row.version + 1)
        row.version += 1
    return changes


# Descriptions the API gives these fields on every kind of record.
VERSION_HELP = (
    "Starts at 1 and goes up by one with each correction that changes something. Send it "
    "as expectedVersion with a correction: a stale one is CONFLICT and changes nothing."
)
EXTERNAL_ID_HELP = (
    "Your own system's key for this record, 1..200 printable characters, or null. Unique "
    "within the organisation that recorded it (a project's: its lead organisation), "
    "archived records included; find it again with recordByExternalId."
)
EXTERNAL_ID_INPUT_HELP = (
    "Your own system's key, 1..200 printable characters. Already used by your "
    "organisation for this kind of record: DUPLICATE with existingId, nothing created."
)


def id_by_external_id(
    session: Session, actor: Actor, model: Any, owner_column: str, key: str
) -> int | None:
    """The id of the record of `model` that the actor's organisation keyed `key`, or
    None: a reader without an organisation has no keys. Whether the reader may see the
    record is the caller's to check (node loaders do)."""
    if actor.organisation_id is None or not key.strip():
        return None
    row = find(session, model, owner_column, actor.organisation_id, key.strip())
    return None if row is None else int(row.id)


IDEMPOTENCY_HELP = (
    "1..200 characters. Sent again with the same input within 24 hours, the mutation "
    "answers as the first request did and changes nothing; with other input, or to another "
    "mutation, it is DUPLICATE. Keys belong to the credential that sent them (your account, "
    "or the integration) and are purged after 24 hours."
)
