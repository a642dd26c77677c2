"""Scalars of the contract: Decimal as a string (GraphQL floats lose pence), CurrencyCode."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import NewType

import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition


def _parse_decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise GraphQLError('a Decimal is a string of digits, such as "12500.00"')
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        raise GraphQLError(f"{value!r} is not a decimal number") from None
    if not parsed.is_finite():
        raise GraphQLError(f"{value!r} is not a finite decimal number")
    return parsed


DECIMAL = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number as a string, e.g. "12500.00".',
    serialize=str,
    parse_value=_parse_decimal,
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
SCALAR_MAP: dict[object, ScalarDefinition] = {Decimal: DECIMAL, CurrencyCode: CURRENCY_CODE}
