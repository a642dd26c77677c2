"""Global ids in mutation inputs."""

from __future__ import annotations

from collections.abc import Sequence

from inset.errors import NotFound
from inset.ids import pk_of


def decode_id(global_id: str, type_name: str, field: str) -> int:
    """The primary key behind an input id; NOT_FOUND (naming the field) otherwise.

    Raised inside the mutation's transaction, so it becomes a user error.
    """
    pk = pk_of(global_id, type_name)
    if pk is None:
        raise NotFound(type_name.lower() if type_name != "ApiToken" else "API token", (field,))
    return pk


def ids_of(global_ids: Sequence[str] | None, type_name: str) -> list[int] | None:
    """Primary keys for a filter. An id that is not of this type matches nothing (-1)."""
    if global_ids is None:
        return None
    return [pk_of(g, type_name) or -1 for g in global_ids]
