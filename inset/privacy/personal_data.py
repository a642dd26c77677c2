"""Spotting personal data in free text before it is stored (DESIGN.md section 6).

The patterns are narrow on purpose: project texts are full of dates, money, counts and
reference numbers, and every false alarm blocks a save. The identifiers that name a child
wherever they appear (NHS and National Insurance numbers, dates of birth) are always
refused; contact details (email addresses, phone numbers, full postcodes) only in text
that is or becomes PUBLIC, because staff need to record a service's contacts internally.

Decisions worth knowing:

- An NHS number counts only with a valid modulus 11 check digit, so any other ten-digit
  figure passes. Ten digits must stand alone: none taken from a longer run (an ISBN) or a
  decimal.
- A National Insurance number follows HMRC's prefix rules, so the example "QQ 12 34 56 C"
  passes. The suffix letter (A-D) may be missing only when the number is spaced in pairs
  and upper case ("AB 12 34 56"): that layout is distinctive, while two letters and six
  bare digits are a common shape for case and product references.
- A date is a date of birth only within 15 characters of a cue (DOB, date of birth,
  born, birthday) in the same clause: dates on their own are project milestones.
- Freephone numbers (0800, 0808) and 116 helplines are never flagged: they belong to
  services such as Childline, not to people, and public texts rightly signpost them.
  Only mobiles (07) and 01/02/03 numbers are phone numbers here.
- Postcodes must be full (outward and inward code) and upper case, which is how they are
  written; lower case would catch key stages and ordinals ("KS4 1st").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from inset.errors import PersonalData

# Ten digits, whole or grouped 3-3-4 by spaces or hyphens. The lookarounds refuse ten
# digits carved out of a longer run, a decimal or a hyphenated reference.
_NHS_NUMBER = re.compile(r"(?<!\d)(?<!\d[.,/-])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)(?![.,/-]\d)")
_NOT_DIGIT = re.compile(r"\D")

# HMRC: the first letter is not D F I Q U V, the second not D F I Q U V O, and BG GB KN
# NK NT TN ZZ are never allocated. Suffixed numbers are matched in any case, because
# people type them in lower case; suffixless ones only upper case and spaced in pairs.
_NI_PREFIX = r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
_NI_NUMBER = re.compile(
    rf"\b(?:(?i:{_NI_PREFIX} ?\d{{2}} ?\d{{2}} ?\d{{2}} ?[A-D])|{_NI_PREFIX} \d\d \d\d \d\d)\b"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A full date: day, month and year. A month and year alone ("July 2021") is never a
# date of birth worth refusing, and is everywhere in progress reports.
_FULL_DATE = (
    r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d\d)"  # 12/03/2015, 12-03-15, 12.03.2015
    r"|\d{4}-\d{1,2}-\d{1,2}"  # 2015-03-12
    rf"|{_DAY}\s{{1,3}}(?:of\s{{1,3}})?{_MONTH},?\s{{1,3}}\d{{4}}"  # 12th of Mar 2015
    rf"|{_MONTH}\s{{1,3}}{_DAY},?\s{{1,3}}\d{{4}}"  # March 12, 2015
    r")(?!\d)"
)
# "DOB" and "D.O.B." but not "Dobson"; "born" but not "newborn".
_BIRTH_CUE = (
    r"(?:\bD\.?O\.?B(?:\.|\b)|\bdate\s{1,3}of\s{1,3}birth\b|\bbirth\s?date\b"
    r"|\bborn\b|\bbirthday\b)"
)
# Up to 15 characters within one clause: close enough for "born in Leeds on", too short
# to join "Born in Bradford began" to a project's start date.
_GAP = r"[^.,;!?\n]{0,15}"
_DATE_OF_BIRTH = re.compile(
    rf"{_BIRTH_CUE}{_GAP}{_FULL_DATE}|{_FULL_DATE}{_GAP}{_BIRTH_CUE}", re.IGNORECASE
)

# The lookbehind lets a match start only where a local part starts, which keeps the
# search linear on long text without an "@".
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# A leading 0 (or +44, with an optional "(0)") then 1, 2, 3 or 7 and eight or nine more
# digits, each after at most two of space, hyphen or bracket: "(020) 7946 0958".
_PHONE_NUMBER = re.compile(
    r"(?<![\w+])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)([1237](?:[\s()-]{0,2}\d){8,9})(?!\d)"
)

# Royal Mail's formats: A9, A99, AA9, AA99, A9A, AA9A, then the inward code 9AA.
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ]\d[\dA-HJKPS-UW]?|[A-PR-UWYZ][A-HK-Y]\d[\dABEHMNPRV-Y]?)"
    r" ?\d[ABD-HJLNP-UW-Z]{2}\b"
)


def _nhs_check_digit_is_valid(digits: str) -> bool:
    """Modulus 11: weights 10 down to 2 on the first nine digits.

    A remainder of 0 gives check digit 0; a computed check of 10 means the number is never
    issued, and `% 11` turns it into 10, which no single digit equals.
    """
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    return (11 - total % 11) % 11 == int(digits[9])


def _find_nhs_number(text: str) -> int | None:
    for match in _NHS_NUMBER.finditer(text):
        if _nhs_check_digit_is_valid(_NOT_DIGIT.sub("", match.group())):
            return match.start()
    return None


def _find_phone_number(text: str) -> int | None:
    for match in _PHONE_NUMBER.finditer(text):
        national = "0" + _NOT_DIGIT.sub("", match.group(1))
        # 02, 03 and 07 numbers all have eleven digits; a few 01 areas use ten.
        if len(national) == 11 or national.startswith("01"):
            return match.start()
    return None


def _finder(pattern: re.Pattern[str]) -> Callable[[str], int | None]:
    def find(text: str) -> int | None:
        match = pattern.search(text)
        return match.start() if match else None

    return find


# (kind, finder) pairs; a finder returns the offset of its first hit. The order breaks
# ties between kinds found at the same offset.
_Finders = tuple[tuple[str, Callable[[str], int | None]], ...]
_ALWAYS: _Finders = (
    ("an NHS number", _find_nhs_number),
    ("a National Insurance number", _finder(_NI_NUMBER)),
    ("a date of birth", _finder(_DATE_OF_BIRTH)),
)
_PUBLIC_ONLY: _Finders = (
    ("an email address", _finder(_EMAIL)),
    ("a phone number", _find_phone_number),
    ("a postcode", _finder(_POSTCODE)),
)


def find_personal_data(text: str, *, public: bool) -> str | None:
    """Returns the kind of personal data found first (a human phrase such as "an NHS number"),
    or None.

    "First" is the earliest in the text, so the error points at what the reader meets
    first. `public` adds contact details: e.g. "call 07700 900123" is None when False and
    "a phone number" when True.
    """
    finders = _ALWAYS + _PUBLIC_ONLY if public else _ALWAYS
    hits = [
        (start, order, kind)
        for order, (kind, find) in enumerate(finders)
        if (start := find(text)) is not None
    ]
    return min(hits)[2] if hits else None


def check_free_text(fields: Mapping[tuple[str, ...], str | None], *, public: bool) -> None:
    """Raises inset.errors.PersonalData(field, kind) for the first field (in mapping order)
    that holds personal data. None values are skipped.

    Keys are input paths such as `("input", "summary")`; call it before writing anything,
    so a refused save stores nothing.
    """
    for field, text in fields.items():
        if text is None:
            continue
        kind = find_personal_data(text, public=public)
        if kind is not None:
            raise PersonalData(field, kind)
