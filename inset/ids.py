"""Opaque global ids: `base64url("Project:42")`, as Relay's Node interface expects."""

from __future__ import annotations

import base64
import binascii

# Primary keys are INTEGER columns: 32 bits on PostgreSQL, so no record has a larger one,
# and a larger number must not reach SQL (where it would fail to bind or compare).
MAX_PK = 2**31 - 1
# The longest id worth decoding: "OrganisationMembership:2147483647" is well within it.
MAX_ID_LENGTH = 120


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """The (type name, primary key) behind an id, or None when it is not one of ours."""
    if len(global_id) > MAX_ID_LENGTH:
        return None
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        number = int(pk)
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not type_name.isalpha() or not 0 < number <= MAX_PK or str(number) != pk:
        return None
    return type_name, number


def pk_of(global_id: str, type_name: str) -> int | None:
    """The primary key when `global_id` names a record of `type_name`."""
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]
