"""Checks shared by every service: required text, lengths, personal data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from inset.errors import Invalid, Required, TooLong, api_name
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


# The dates a record may carry. Inset's oldest evidence is from the 1990s, and a plan
# runs at most decades ahead; these bounds keep every figure worked from a date (months
# from a project's start, years of discounting) small and meaningful.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_PERIOD_YEARS = 30

SEARCH_LENGTH = 200


def within_dates(value: date | None, field: str) -> None:
    """INVALID on `field` for a date before EARLIEST_DATE or after LATEST_DATE."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise Invalid(
            f"{api_name(field)} must be from {EARLIEST_DATE:%-d %B %Y} to {LATEST_DATE:%-d %B %Y}, "
            f"not {value.isoformat()}",
            (field,),
        )


def period(start: date | None, end: date | None, *, prefix: str = "period") -> None:
    """A period within the dates above, ending no earlier than it starts and lasting at
    most MAX_PERIOD_YEARS years (a period from 1 April 2025 may end on 31 March 2055).
    Either end may be missing. Errors name `<prefix>_start` or `<prefix>_end`."""
    start_field, end_field = f"{prefix}_start", f"{prefix}_end"
    within_dates(start, start_field)
    within_dates(end, end_field)
    if start is None or end is None:
        return
    if end < start:
        raise Invalid(
            f"{api_name(end_field)} ({end}) is before {api_name(start_field)} ({start})",
            (end_field,),
        )
    try:  # the same day MAX_PERIOD_YEARS on ends the period
        limit = start.replace(year=start.year + MAX_PERIOD_YEARS)
    except ValueError:  # 29 February in a year without one: 1 March
        limit = date(start.year + MAX_PERIOD_YEARS, 3, 1)
    if end >= limit:
        raise Invalid(
            f"a period may last at most {MAX_PERIOD_YEARS} years: {api_name(end_field)} must be "
            "before "
            f"{limit.isoformat()}",
            (end_field,),
        )


def search_words(value: str | None, field: tuple[str, ...]) -> str | None:
    """The words of a "contains" search, trimmed; None when there are none.

    INVALID on `field` past SEARCH_LENGTH characters: no name or title is that long, and
    a pattern of tens of thousands of characters is more than SQLite's LIKE will take.
    """
    if value is None:
        return None
    words = value.strip()
    if len(words) > SEARCH_LENGTH:
        raise Invalid(f"{api_name(field[-1])} must be at most {SEARCH_LENGTH} characters", field)
    return words or None


def in_range(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise Invalid(f"{api_name(field)} must be from {low} to {high}", (field,))
    return value
