"""Checks shared by every service: required text, lengths, personal data."""

from __future__ import annotations

from collections.abc import Mapping

from inset.errors import Invalid, Required, TooLong
from inset.privacy.personal_data import check_free_text


def text(value: str | None, field: str, *, limit: int, required: bool = True) -> str | None:
    """Trimmed text, or None for blank optional text. Raises Required / TooLong."""
    cleaned = value.strip() if value is not None else None
    if not cleaned:
        if required:
            raise Required((field,))
        return None
    if len(cleaned) > limit:
        raise TooLong((field,), limit)
    return cleaned


def required_text(value: str | None, field: str, *, limit: int) -> str:
    cleaned = text(value, field, limit=limit, required=False)
    if cleaned is None:
        raise Required((field,))
    return cleaned


def no_personal_data(fields: Mapping[str, str | None], *, public: bool) -> None:
    """Raises PersonalData naming the first field that holds personal data."""
    check_free_text({(name,): value for name, value in fields.items()}, public=public)


def in_range(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise Invalid(f"{field} must be from {low} to {high}", (field,))
    return value
