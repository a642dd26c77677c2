"""Scalars of the contract: Decimal as a string (GraphQL floats lose pence), DateTime
with its UTC offset, CurrencyCode."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

# Digits, at most one decimal point with digits after it, an optional leading minus; no
# exponent, spaces, NaN or Infinity. A service refuses a minus where it makes no sense.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
MAX_DECIMAL_CHARS = 40  # more digits than any figure Inset stores (NUMERIC(18, 4), pence)


def _parse_decimal(value: object) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a JSON integer is a whole number of the same digits
    if not isinstance(value, str):
        raise GraphQLError('a Decimal is a string of digits, such as "12500.00"')
    if len(value) > MAX_DECIMAL_CHARS:
        raise GraphQLError(f"a Decimal has at most {MAX_DECIMAL_CHARS} characters")
    if not _DECIMAL.fullmatch(value):
        raise GraphQLError(
            f"{value[:MAX_DECIMAL_CHARS]!r} is not a decimal number: write digits with at most one "
            'decimal point and an optional leading minus, such as "12500.00" or "-3.5" '
            "(no exponent, spaces or thousands separators)"
        )
    return Decimal(value)


DECIMAL = strawberry.scalar(
    name="Decimal",
    description=(
        "An exact decimal number as a string: digits with at most one decimal point, "
        'e.g. "12500.00", and a leading minus where a negative makes sense ("-3.5"). '
        "No exponent, spaces, thousands separators, NaN or Infinity."
    ),
    serialize=str,
    parse_value=_parse_decimal,
)


def _parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise GraphQLError('a DateTime is a string such as "2025-04-01T09:30:00Z"')
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise GraphQLError(
            f"{value[:64]!r} is not a DateTime: write it as ISO 8601 with a UTC offset, "
            'such as "2025-04-01T09:30:00Z" or "2025-04-01T10:30:00+01:00"'
        ) from None
    if parsed.tzinfo is None:  # a bare date parses as midnight without an offset too
        raise GraphQLError(
            f"{value[:64]!r} has no time or no UTC offset: a DateTime needs both, such as "
            '"2025-04-01T09:30:00Z" or "2025-04-01T10:30:00+01:00"'
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00:00-05:00 is after the last day Python knows
        raise GraphQLError(f"{value[:64]!r} is out of range for a DateTime") from None


DATETIME = strawberry.scalar(
    name="DateTime",
    description=(
        'A moment as ISO 8601 with its UTC offset, e.g. "2025-04-01T09:30:00Z" or '
        '"2025-04-01T10:30:00+01:00"; read back in UTC. A date alone, or a time without an '
        "offset, is refused rather than guessed."
    ),
    serialize=lambda value: value.isoformat(),
    parse_value=_parse_datetime,
)

CURRENCIES = ("GBP",)


def _parse_currency(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in CURRENCIES:
        raise GraphQLError(f"{value!r} is not a supported currency; Inset records money in GBP")
    return value.upper()


CurrencyCode = NewType("CurrencyCode", str)

CURRENCY_CODE = strawberry.scalar(
    name="CurrencyCode",
    description="An ISO 4217 currency code. Inset records money in GBP.",
    serialize=str,
    parse_value=_parse_currency,
)

# Annotate fields with `decimal.Decimal` and `CurrencyCode`; the schema maps them here.
SCALAR_MAP: dict[object, ScalarDefinition] = {
    Decimal: DECIMAL,
    datetime: DATETIME,
    CurrencyCode: CURRENCY_CODE,
}
