"""Email addresses, UK phone numbers and full postcodes in normalised text.

Each finder returns the offset of its first hit, or None. These are refused only in text
that is or becomes PUBLIC (see `personal_data`).

- Email addresses, plain or disguised: "jane@example.com", "jane [at] example.com",
  "jane (at) example (dot) com", "jane at example dot com". The bare word "at" counts
  only with a "dot" word and a common ending (.com, .org, .uk ...), because "find out
  more at gov.uk" is how public pages point to a service, not a person.
- Phone numbers: mobiles (07), geographic (01, 02) and 03 numbers, written nationally
  (07700 900123, (0113) 496 0000) or internationally (+44 7700 900123, 0044 7700 900123,
  +44 (0)20 7946 0958), with spaces, dots, dashes or slashes between any groups. The
  first group must hold the whole dialling code (three digits or more), so dates such as
  01.04.2025 are not read as numbers. Freephone (0800, 0808) and 116 helplines are never
  flagged: they belong to services such as Childline, and public texts rightly signpost
  them.
- Full postcodes (outward and inward code) in any case and spacing, for the postcode
  areas that exist, so "KS4 1st" (a key stage) and "Y10 2nd" pass. After a two-character
  outward code, a lower-case inward code that reads as an ordinal ("e2 3rd", "m1 1st")
  counts only in capitals; "b33 8th" and "ls1 1st" count as written.
"""

from __future__ import annotations

import re

from inset.privacy.identifiers import digit_groups

_LABEL = r"[A-Za-z0-9-]+"
_AT_SIGN = r" ?@ ?"
_AT_BRACKET = r" ?[\[({<] ?at ?[\])}>] ?"
_DOT_DISGUISED = r"(?: ?[\[({<] ?dot ?[\])}>] ?| dot )"
_DOT = rf"(?:\.|{_DOT_DISGUISED})"
# A local part starts only where one can start, not after a dot of any kind: otherwise
# "a dot a dot a ..." would be tried from every word, in quadratic time.
_LOCAL = rf"(?<![\w.%+-])(?<!\bdot )(?<![\])}}>])(?<![\])}}>] )[\w%+-]+(?:{_DOT}[\w%+-]+)*"
_COMMON_ENDINGS = (
    r"(?:com|org|net|uk|gov|ac|nhs|sch|edu|io|info|me|biz|eu|ie|scot|wales|cymru|london"
    r"|email|online|co)"
)
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL})*"
_EMAILS = [
    re.compile(
        rf"{_LOCAL}(?:{_AT_SIGN}|{_AT_BRACKET}){_DOMAIN}{_DOT}[A-Za-z]{{2,}}\b", re.IGNORECASE
    ),
    re.compile(rf"{_LOCAL} at {_DOMAIN}{_DOT_DISGUISED}{_COMMON_ENDINGS}\b", re.IGNORECASE),
]


def find_email(text: str) -> int | None:
    starts = [m.start() for pattern in _EMAILS if (m := pattern.search(text))]
    return min(starts, default=None)


_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?<!\w[/-])"
    r"(?P<international>(?:\+ ?44|\(\+ ?44\)|00 ?44)(?: ?[.-])? ?(?:\(0\) ?)?)?"
    r"(?P<number>\(?\d+\)?(?:[ ./()-]{1,3}\d+)*)"
)


def _is_phone_number(match: re.Match[str]) -> bool:
    groups, _ = digit_groups(match["number"])
    if match["international"] and not groups[0].startswith("0"):
        groups[0] = "0" + groups[0]  # "+44 07700 900123" keeps the 0 people add anyway
    first = groups[0]
    if len(first) < 3 or first[0] != "0" or first[1] not in "1237":
        return False
    digits = 0
    for group in groups:
        digits += len(group)
        # 02, 03 and 07 numbers have eleven digits; a few 01 areas use ten.
        if digits == 11 or (digits == 10 and first.startswith("01")):
            return True
        if digits > 11:
            return False
    return False


def find_phone_number(text: str) -> int | None:
    for match in _PHONE_CANDIDATE.finditer(text):
        if _is_phone_number(match):
            return match.start()
    return None


# Every postcode area in use (Royal Mail), so that other letter-and-digit codes pass.
_AREAS = frozenset(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH
    DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA
    KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR
    RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA
    WC WD WF WN WR WS WV YO ZE
    """.split()  # noqa: SIM905  (a table to read, not a list to edit)
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Z]{1,2})(?P<district>\d[A-Z0-9]?)[ -]?"
    r"(?P<inward>\d[ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.IGNORECASE)


def find_postcode(text: str) -> int | None:
    for match in _POSTCODE.finditer(text):
        if match["area"].upper() not in _AREAS:
            continue
        inward, outward = match["inward"], match["area"] + match["district"]
        if _ORDINAL.fullmatch(inward) and not inward.isupper() and len(outward) == 2:
            continue
        return match.start()
    return None
