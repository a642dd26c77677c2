"""Dates of birth in normalised text (see `normalise`).

A date is a date of birth only near a cue: DOB (D.O.B., D O B), date of birth, birth
date, born, birthday, within 15 characters and one clause (no . ; ! ? between them), on
either side, across a line break. Dates on their own are project milestones ("started
on 3 April 2025") and pass; so does a cue with a date too far off to be its own ("Born in
Bradford began 1 March 2007").

Dates are full (day, month and year) in any of the ways people write them: 03/04/2015,
3.4.15, 2015-04-03, 2015/4/3, 03042015, 3 Apr 2015, 03-Apr-2015, April 3rd, 2015, 3rd of
April 2015. A date counts only if it exists (no 31 February) and is not in the future,
since no one is born tomorrow: "the service's birthday party on 1 April 2099" passes.
A numeric date is read day first, and month first when that is the only real date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from inset.privacy.identifiers import SEP

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"'?(?P<year>\d{4}|\d{2})"
# Between the parts of a date with a month name: spaces, commas, or a separator.
_PART = r"(?:,? |[./-]| ?[./-] ?)"

_DATE_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"(?<!\d)(?P<a>\d{{1,2}}){SEP}(?P<b>\d{{1,2}}){SEP}(?P<year>\d{{4}}|\d{{2}})(?!\d)",
        rf"(?<!\d)(?P<year>\d{{4}}){SEP}(?P<month>\d{{1,2}}){SEP}(?P<day>\d{{1,2}})(?!\d)",
        r"(?<!\d)(?P<compact>\d{8}|\d{6})(?!\d)",
        rf"(?<!\d){_DAY}{_PART}(?:of )?{_MONTH}{_PART}{_YEAR}(?!\d)",
        rf"(?<![A-Za-z]){_MONTH}{_PART}{_DAY}{_PART}{_YEAR}(?!\d)",
        rf"(?<!\d)(?P<year>\d{{4}}){_PART}{_MONTH}{_PART}{_DAY}(?!\d)",
    )
]

_CUE = re.compile(
    r"(?<![A-Za-z])(?:d ?\. ?o ?\. ?b\.?|dob|d o b|date ?-?of ?-?birth|birth ?-?date"
    r"|birthday|b-?day|born)(?![A-Za-z])",
    re.IGNORECASE,
)
_GAP = re.compile(r"[^.;!?]{0,15}")


def _year(text: str, today: date) -> int:
    """A two-digit year in the century that puts it in the past: 15 is 2015, 85 is 1985."""
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year if year <= today.year else year - 100


def _real(year: int, month: int, day: int, today: date) -> bool:
    try:
        return date(1900, 1, 1) <= date(year, month, day) <= today
    except ValueError:
        return False


def _readings(match: re.Match[str], today: date) -> Iterator[tuple[int, int, int]]:
    """Every (year, month, day) the matched text can mean."""
    found = match.groupdict()
    if found.get("compact"):
        digits = found["compact"]
        if len(digits) == 8:
            yield int(digits[4:]), int(digits[2:4]), int(digits[:2])  # 03042015
            yield int(digits[:4]), int(digits[4:6]), int(digits[6:])  # 20150403
        else:
            yield _year(digits[4:], today), int(digits[2:4]), int(digits[:2])  # 030415
        return
    year = _year(found["year"], today)
    if found.get("a"):
        a, b = int(found["a"]), int(found["b"])
        yield year, b, a  # day first, as written in the UK
        yield year, a, b  # month first, when only that is a real date
        return
    month_text = found["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3].lower()]
    yield year, month, int(found["day"])


def _dates(text: str, today: date) -> Iterator[tuple[int, int]]:
    """(start, end) of every real, past date in the text, in no particular order."""
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            if any(_real(y, m, d, today) for y, m, d in _readings(match, today)):
                yield match.span()


def find_date_of_birth(text: str, *, today: date | None = None) -> int | None:
    """The offset of the first date of birth (cue or date, whichever comes first)."""
    cues = [m.span() for m in _CUE.finditer(text)]
    if not cues:
        return None
    today = today or date.today()
    hits = []
    for start, end in _dates(text, today):
        for cue_start, cue_end in cues:
            if cue_end <= start and _GAP.fullmatch(text, cue_end, start):
                hits.append(cue_start)
            elif end <= cue_start and _GAP.fullmatch(text, end, cue_start):
                hits.append(start)
    return min(hits, default=None)
