"""Reading partial inputs: what a client sent, as opposed to what it left out."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

NOT_CHANGES = ("id", "expected_version", "idempotency_key")


def sent(input: Any, renames: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields of a correction's input that the client sent (null included), by
    their service names; left-out fields are not changes."""
    renames = renames or {}
    return {
        renames.get(f.name, f.name): getattr(input, f.name)
        for f in dataclasses.fields(input)
        if f.name not in NOT_CHANGES and getattr(input, f.name) is not strawberry.UNSET
    }
