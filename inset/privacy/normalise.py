"""Rewriting text into the one plain form the personal-data patterns are written for.

Someone who wants a number past a pattern (or a keyboard that does it for them) can
write it in full-width digits, in another script's digits, with zero-width characters
between the digits, with non-breaking or doubled spaces, or with a dash that is not the
ASCII hyphen. After `normalise` every one of those reads as plain ASCII with single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Dashes that compatibility normalisation leaves alone (hyphen, en and em dash, minus...),
# slashes and dots that people put between digit groups.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2796\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\u29f8\uff0f"
_DOTS = "\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff65"

# Cyrillic and Greek letters drawn exactly like Latin ones (Cyrillic A, VE and ES in
# "AB 12 34 56 C" still read as a National Insurance number). Letters only; the
# patterns need no other symbols.
_LOOKALIKES = {
    0x0410: "A",
    0x0412: "B",
    0x0421: "C",
    0x0415: "E",
    0x041D: "H",
    0x0406: "I",
    0x0408: "J",
    0x041A: "K",
    0x041C: "M",
    0x041E: "O",
    0x0420: "P",
    0x0405: "S",
    0x0422: "T",
    0x0425: "X",
    0x0423: "Y",
    0x0430: "a",
    0x0435: "e",
    0x043E: "o",
    0x0440: "p",
    0x0441: "c",
    0x0445: "x",
    0x0443: "y",
    0x0456: "i",
    0x0458: "j",
    0x0455: "s",
    0x0501: "d",
    0x0391: "A",
    0x0392: "B",
    0x0395: "E",
    0x0396: "Z",
    0x0397: "H",
    0x0399: "I",
    0x039A: "K",
    0x039C: "M",
    0x039D: "N",
    0x039F: "O",
    0x03A1: "P",
    0x03A4: "T",
    0x03A5: "Y",
    0x03A7: "X",
    0x03BF: "o",
    0x03BA: "k",
    0x03BD: "v",
    0x03B9: "i",
}

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """One character (already compatibility-normalised) in its plain form."""
    if char.isascii():
        return char
    category = unicodedata.category(char)
    # Zero-width spaces and joiners, soft hyphens, marks of direction, and combining marks
    # left over after composition (a strike-through over each digit).
    if category in ("Cf", "Mn", "Me"):
        return ""
    digit = unicodedata.digit(char, None)
    if digit is not None:  # Arabic-Indic, Devanagari, Bengali... digits
        return str(digit)
    if category == "Pd" or char in _DASHES:
        return "-"
    if char in _SLASHES:
        return "/"
    if char in _DOTS:
        return "."
    if category.startswith("Z") or char.isspace():
        return " "
    return _LOOKALIKES.get(ord(char), char)


def normalise(text: str) -> str:
    """The text in compatibility form (NFKC), with every digit in ASCII, format characters
    removed, look-alike letters in Latin, dashes as "-", and every run of whitespace
    (line breaks included) as one space.

    For matching only, never for storing: e.g. "943\u200b476\u00a0\u00a05919" (with
    the 943 in full-width digits) becomes "943476 5919".
    """
    folded = unicodedata.normalize("NFKC", text)
    plain = "".join(_plain(char) for char in folded)
    return _SPACES.sub(" ", plain)
