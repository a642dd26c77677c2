"""JSON building blocks in each dialect's own functions, with the resolvers' formats.

Every value is a `Value`: an SQL expression and whether it is JSON text. SQLite forgets
that a value is JSON once it leaves the subquery that built it, so there it is read
again with `json()` wherever it goes into an object or an array; PostgreSQL's `json`
type needs no such help.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from inset.graphql.compiled import global_ids
from inset.graphql.compiled.collect import Unsupported

# What a cursor holds instead when its text could not be encoded as Python encodes it
# (non-ASCII or control characters): the response then comes from the resolvers. A
# title that happens to be this text only costs that request its speed.
UNENCODABLE = "inset:unencodable-cursor"
# PostgreSQL's functions take at most 100 arguments (SQLite's 127): a larger object or
# list is left to the resolvers.
MAX_ARGUMENTS = 100


def quoted(text: str) -> ColumnElement[Any]:
    """An SQL string literal, written into the statement rather than bound: untyped
    parameters leave PostgreSQL's variadic JSON functions guessing. Only for names the
    GraphQL grammar allows (keys, types) and the fixed pieces below."""
    if any(c in text for c in "'\\%") or not text.isascii() or not text.isprintable():
        raise ValueError(f"not a plain literal: {text!r}")
    return sa.literal_column(f"'{text}'", sa.String)


@dataclass(frozen=True)
class Value:
    sql: ColumnElement[Any]
    is_json: bool = False  # JSON text (an object, an array, true/false), not a scalar


class Json:
    """The JSON functions of one dialect."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def _embed(self, value: Value) -> ColumnElement[Any]:
        return sa.func.json(value.sql) if value.is_json and not self.postgres else value.sql

    def object(self, pairs: Sequence[tuple[str, Value]]) -> Value:
        if 2 * len(pairs) > MAX_ARGUMENTS:
            raise Unsupported(f"an object of {len(pairs)} fields")
        args: list[Any] = []
        for key, value in pairs:
            args += [quoted(key), self._embed(value)]
        build = sa.func.json_build_object if self.postgres else sa.func.json_object
        return Value(build(*args), is_json=True)

    def values(self, items: Sequence[Value]) -> Value:
        """A JSON array of these values, in order."""
        if len(items) > MAX_ARGUMENTS:
            raise Unsupported(f"a list of {len(items)} values")
        build = sa.func.json_build_array if self.postgres else sa.func.json_array
        return Value(build(*(self._embed(item) for item in items)), is_json=True)

    def array(self, value: Value, inner: sa.Select[Any], order: Sequence[Any]) -> Value:
        """The array of `value` over the rows of `inner`, in `order`; [] when none.

        `value` and `order` are expressions on `inner`'s columns, which becomes a subquery.
        """
        rows = inner.add_columns(
            value.sql.label("v"), *(o.label(f"o{i}") for i, o in enumerate(order))
        )
        sub = rows.subquery()
        keys = [sub.c[f"o{i}"] for i in range(len(order))]
        if self.postgres:
            aggregated = sa.func.json_agg(aggregate_order_by(sub.c.v, *keys))
            built = sa.func.coalesce(aggregated, sa.literal_column("'[]'::json"))
            return Value(sa.select(built).scalar_subquery(), is_json=True)
        # SQLite aggregates in the order of an ordered subquery, which it never flattens
        # into an aggregate (its rule 16): no ORDER BY inside the aggregate before 3.44.
        ordered = rows.order_by(*order).subquery()
        element = sa.func.json(ordered.c.v) if value.is_json else ordered.c.v
        return Value(sa.select(sa.func.json_group_array(element)).scalar_subquery(), True)

    def scalar(self, select: sa.Select[Any], value: Value) -> Value:
        """The value of the one row of `select` (null without one)."""
        return Value(select.add_columns(value.sql).scalar_subquery(), value.is_json)

    def boolean(self, condition: ColumnElement[bool]) -> Value:
        if self.postgres:
            return Value(condition)
        return Value(
            sa.case((condition, sa.literal_column("'true'")), else_=sa.literal_column("'false'")),
            True,
        )

    def constant(self, truth: bool) -> Value:
        if self.postgres:
            return Value(sa.true() if truth else sa.false())
        return Value(sa.literal_column("'true'" if truth else "'false'"), True)

    def null(self) -> Value:
        return Value(sa.null())

    def text(self, name: str) -> Value:
        return Value(quoted(name))

    def datetime(self, column: Any) -> ColumnElement[Any]:
        """`datetime.isoformat()` of a UTC moment: microseconds only when not zero."""
        seconds: ColumnElement[Any]
        if self.postgres:
            utc = sa.func.timezone(sa.literal_column("'UTC'"), column)
            seconds = sa.func.to_char(utc, sa.literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS'"))
            micro = sa.func.to_char(utc, sa.literal_column("'US'"))
        else:  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff', in UTC
            seconds = sa.func.substr(column, 1, 10) + quoted("T") + sa.func.substr(column, 12, 8)
            micro = sa.func.substr(column, 21, 6)
        whole = sa.or_(micro == quoted("000000"), micro == quoted(""))
        fraction = sa.case((whole, quoted("")), else_=quoted(".") + micro)
        return seconds + fraction + quoted("+00:00")

    def date(self, column: Any) -> ColumnElement[Any]:
        if self.postgres:
            return sa.func.to_char(column, sa.literal_column("'YYYY-MM-DD'"))
        return sa.cast(column, sa.String)

    def base64url(self, text: ColumnElement[Any]) -> ColumnElement[Any]:
        if not self.postgres:
            return sa.func.inset_base64url(text)
        encoded = sa.func.encode(
            sa.func.convert_to(text, sa.literal_column("'UTF8'")), sa.literal_column("'base64'")
        )
        # translate() drops the newlines that encode() puts every 76 characters
        url_safe = sa.func.translate(
            encoded, sa.literal_column("E'+/\\n'"), sa.literal_column("'-_'")
        )
        return sa.func.rtrim(url_safe, sa.literal_column("'='"))

    def global_id(self, type_name: str, pk: Any) -> ColumnElement[Any]:
        if not self.postgres:
            return global_ids.global_id(type_name, pk)
        return self.base64url(quoted(type_name + ":") + sa.cast(pk, sa.String))

    def json_string(self, text: Any) -> ColumnElement[Any]:
        """`text` as a JSON string literal, for printable ASCII (see `printable`)."""
        if self.postgres:
            return sa.cast(sa.func.to_json(text), sa.Text)
        return sa.func.json_quote(text)

    def printable(self, text: ColumnElement[Any]) -> ColumnElement[bool]:
        """Printable ASCII only: text both databases quote exactly as `json.dumps`."""
        if self.postgres:
            matches: ColumnElement[bool] = text.op("~", is_comparison=True)(
                sa.literal_column("'^[ -~]*$'")
            )
            return matches
        other: ColumnElement[bool] = text.op("GLOB", is_comparison=True)(
            sa.literal_column("'*[^ -~]*'")
        )
        return sa.not_(other)

    # -- the figures of economics (compiler.Compiler.economics) ------------------------

    def unencodable(self) -> Value:
        """The mark that sends the whole answer to the resolvers, as a JSON value."""
        mark = quoted(f'"{UNENCODABLE}"')
        return Value(sa.cast(mark, sa.JSON) if self.postgres else mark, is_json=True)

    def coalesce(self, value: Value, otherwise: Value) -> Value:
        return Value(sa.func.coalesce(value.sql, otherwise.sql), value.is_json)

    def pounds(self, amount: Any) -> ColumnElement[Any]:
        """`str(amount.quantize(Decimal("0.01")))` of a stored amount (`Money.amount`);
        the mark for one with more than two places, which the stored figures never have."""
        mark = quoted(UNENCODABLE)
        if self.postgres:  # NUMERIC(18, 4), written in plain digits
            pence = sa.func.round(amount, 2)
            return sa.case((pence == amount, sa.cast(pence, sa.Text)), else_=mark)
        # SQLite holds the text of the Decimal (inset.db.ExactDecimal), as `str` wrote it;
        # text for SQLAlchemy too, so that `+` joins strings rather than adds numbers
        amount = sa.type_coerce(amount, sa.String)

        def matches(pattern: str) -> ColumnElement[bool]:
            found: ColumnElement[bool] = amount.op("GLOB", is_comparison=True)(quoted(pattern))
            return found

        return sa.case(
            (matches("*[^0-9.-]*"), mark),  # an exponent
            (matches("*.[0-9][0-9]"), amount),
            (matches("*.[0-9]"), amount + quoted("0")),
            (sa.not_(matches("*.*")), amount + quoted(".00")),
            else_=mark,
        )

    def ratio(self, number: Any, *, signed: bool) -> Value:
        """A float of two decimal places as the API writes it: "2.0", "-0.45", "-0.0".

        Beyond 10^13 a float of two places has more than 15 digits, where the databases'
        and Python's shortest forms part: the mark. SQLite keeps no negative zero, so a
        zero that may have been one (`signed`) is the mark there too.
        """
        mark = quoted(UNENCODABLE)
        beyond = sa.func.abs(number) >= sa.literal_column("10000000000000")
        if not self.postgres:
            # json_object writes a REAL as "%!.15g": Python's shortest form up to 15 digits
            cases: list[Any] = [(number.is_(None), sa.null()), (beyond, mark)]
            if signed:
                cases.append((number == 0, mark))
            return Value(sa.case(*cases, else_=number))
        # float8 to numeric keeps 15 digits (all of them here) and drops trailing zeros
        digits = sa.cast(sa.cast(number, sa.Numeric), sa.Text)
        zero = sa.case(
            (sa.func.left(sa.cast(number, sa.Text), 1) == quoted("-"), quoted("-0.0")),
            else_=quoted("0.0"),
        )
        text = sa.case(
            (beyond, quoted(f'"{UNENCODABLE}"')),
            (number == 0, zero),
            (sa.func.strpos(digits, quoted(".")) > 0, digits),
            else_=digits + quoted(".0"),
        )
        return Value(sa.cast(text, sa.JSON), is_json=True)
