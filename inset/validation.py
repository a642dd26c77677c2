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


SEARCH_LENGTH = 200


def search_words(value: str | None, field: tuple[str, ...]) -> str | None:
    """The words of a "contains" search, trimmed; None when there are none.

    INVALID on `field` past SEARCH_LENGTH characters: no name or title is that long, and
    a pattern of tens of thousands of characters is more than SQLite's LIKE will take.
    """
    if value is None:
        return None
    words = value.strip()
    if len(words) > SEARCH_LENGTH:
        raise Invalid(f"{field[-1]} must be at most {SEARCH_LENGTH} characters", field)
    return words or None


def in_range(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise Invalid(f"{field} must be from {low} to {high}", (field,))
    return value
