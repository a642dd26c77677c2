"""Global ids written by SQLite itself, which has no base64.

A page of 100 projects holds some 450 global ids. Written by a Python function that
SQLite calls for each (`inset_base64url`, registered in `inset.sqlite`), they hold the
interpreter's lock for a tenth of the request; here they are SQLite's own string
functions. The id is base64url of "Type:<key>", unpadded (`inset.ids.to_global_id`):
the type's bytes are constants, so only the characters that take bits of the key's
digits are worked out per row.
"""

from __future__ import annotations

import math
import string
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
# Keys of up to this many digits are written in SQL: every int4 key. A longer one goes
# to the Python function, by a CASE that costs a comparison.
DIGITS = 10


class _GlobalId(FunctionElement[str]):
    """`global_id(type_name, key)`, rendered for SQLite below."""

    name = "inset_global_id"
    type = sa.String()
    inherit_cache = True


def global_id(type_name: str, key: ColumnElement[Any]) -> ColumnElement[str]:
    if not type_name.isidentifier():
        raise ValueError(f"not a type name: {type_name!r}")
    return _GlobalId(sa.literal_column(f"'{type_name}'"), key)


@compiles(_GlobalId, "sqlite")
def _sqlite(element: _GlobalId, compiler: SQLCompiler, **kw: Any) -> str:
    type_clause, key_clause = element.clauses.clauses
    type_name = compiler.process(type_clause, **kw).strip("'")
    return base64_of_key(type_name, compiler.process(key_clause, **kw))


def base64_of_key(type_name: str, key: str) -> str:
    """SQL of base64url("<type_name>:<key>"), unpadded, for an integer `key`.

    SQLite's parser stops at a fixed depth of nesting, which a page's statement nearly
    reaches already, so the id adds as little as it can: one branch per number of
    digits, in which each character is a constant or `substr(ALPHABET, <sum>, 1)` of
    arithmetic on the key that needs no parentheses. A digit's byte is 48 plus the
    digit, so the bits each character takes of it are the digit's own.
    """
    fallback = f"inset_base64url('{type_name}:' || CAST({key} AS TEXT))"
    branches = [f"WHEN {key} < 0 THEN {fallback}"]
    for length in range(1, DIGITS + 1):
        branches.append(f"WHEN {key} < {10**length} THEN {_encoded(type_name, key, length)}")
    return f"(CASE {' '.join(branches)} ELSE {fallback} END)"


def _encoded(type_name: str, key: str, length: int) -> str:
    """The id of a key of `length` digits."""
    prefix = f"{type_name}:".encode()
    size = len(prefix) + length

    def digit(i: int) -> str:  # the i-th byte's digit, for i past the prefix
        return f"{key} / {10 ** (size - 1 - i)} % 10"

    def bits(i: int, take: str) -> int | str:
        """A part of byte i (0 past the end): `take` names which, as in the comments."""
        if i >= size:
            return 0
        if i < len(prefix):
            b = prefix[i]
            return {
                "top6": b >> 2,
                "low2": (b & 3) << 4,
                "top4": b >> 4,
                "low4": (b & 15) << 2,
                "top2": b >> 6,
                "low6": b & 63,
            }[take]
        d = digit(i)  # the byte is 48 + d, d from 0 to 9
        of_digit: dict[str, int | str] = {
            "top6": f"{d} / 4 + 12",
            "low2": f"{d} % 4 * 16",
            "top4": 3,
            "low4": f"{d} * 4",
            "top2": 0,
            "low6": f"{d} + 48",
        }
        return of_digit[take]

    pieces: list[str] = []
    constant = ""
    for k in range(math.ceil(4 * size / 3)):
        group, at = divmod(k, 4)
        b0, b1, b2 = 3 * group, 3 * group + 1, 3 * group + 2
        terms = (
            [bits(b0, "top6")],  # b0 >> 2
            [bits(b0, "low2"), bits(b1, "top4")],  # (b0 & 3) << 4 | b1 >> 4
            [bits(b1, "low4"), bits(b2, "top2")],  # (b1 & 15) << 2 | b2 >> 6
            [bits(b2, "low6")],  # b2 & 63
        )[at]
        fixed = sum(t for t in terms if isinstance(t, int))
        varying = [t for t in terms if isinstance(t, str)]
        if not varying:
            constant += ALPHABET[fixed]
            continue
        if constant:
            pieces.append(f"'{constant}'")
            constant = ""
        pieces.append(f"substr('{ALPHABET}', {' + '.join(varying)} + {fixed + 1}, 1)")
    if constant:
        pieces.append(f"'{constant}'")
    return " || ".join(pieces)
