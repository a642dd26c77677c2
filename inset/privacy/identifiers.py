"""NHS and National Insurance numbers in normalised text (see `normalise`).

Each finder returns the offset of its first hit, or None.

- An NHS number counts only with a valid modulus 11 check digit, so nine in ten other
  ten-digit figures pass. Its digits may be grouped any way, with spaces, dots, dashes,
  slashes or nothing between the groups, as long as the ten digits stand alone: a run of
  grouped digits that is longer (a date range, a table row) is searched only for the
  grouping the NHS prints (3-3-4) or for ten digits together, set off by spaces. A
  decimal, a sum of money or a clock time is never read as one.
- A National Insurance number follows HMRC's prefix rules (first letter not D F I Q U V,
  second not D F I Q U V O, never BG GB KN NK NT TN ZZ), so that "QQ 12 34 56 C" and most
  product codes pass. Any case and any separator is accepted with the suffix letter, with
  two exceptions that keep ordinary words out: letters spaced apart must be capitals,
  and lower-case words around six digits in other groups than pairs ("by 100 000 a
  year") are prose. Without the suffix (A-D) a number counts only in capitals and in
  pairs ("AB 12 34 56"), a layout that case and product references do not use.
"""

from __future__ import annotations

import re
from itertools import pairwise

# Between digit groups: a space, or one of . / - with an optional space either side.
SEP = r"(?: ?[./-] ?| )"

_DIGIT_RUN = re.compile(rf"(?<!\d)\d+(?:{SEP}\d+)*")
_GROUP = re.compile(r"\d+")
_CURRENCY_BEFORE = re.compile(r"[£$€] ?$")


def nhs_check_digit_is_valid(digits: str) -> bool:
    """Modulus 11 on ten digits: weights 10 down to 2 on the first nine.

    A remainder of 0 gives check digit 0; a computed check of 10 means the number is never
    issued, and `% 11` turns it into 10, which no single digit equals.
    """
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    return (11 - total % 11) % 11 == int(digits[9])


def digit_groups(run: str) -> tuple[list[str], list[str]]:
    """The digit groups of a run and the separators between them (" ", ".", "/" or "-")."""
    matches = list(_GROUP.finditer(run))
    groups = [m.group() for m in matches]
    seps = [run[a.end() : b.start()].strip() or " " for a, b in pairwise(matches)]
    return groups, seps


def _tainted(text: str, start: int, end: int) -> bool:
    """True when the run is part of a larger figure: a time, a list with commas, money."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return (
        bool(re.fullmatch(r"\d[:,]", before))
        or bool(re.match(r"[:,]\d", after))
        or bool(_CURRENCY_BEFORE.search(text[max(0, start - 2) : start]))
    )


def _nhs_in_run(groups: list[str], seps: list[str], whole: bool) -> bool:
    if whole and sum(map(len, groups)) == 10:
        return nhs_check_digit_is_valid("".join(groups))

    def set_off(first: int, last: int) -> bool:
        # The candidate's neighbours within the run must be separated by spaces only.
        return (first == 0 or seps[first - 1] == " ") and (
            last == len(groups) - 1 or seps[last] == " "
        )

    for i, group in enumerate(groups):
        if len(group) == 10 and set_off(i, i) and nhs_check_digit_is_valid(group):
            return True
        three = groups[i : i + 3]
        if (
            [len(g) for g in three] == [3, 3, 4]
            and seps[i] == seps[i + 1]
            and set_off(i, i + 2)
            and nhs_check_digit_is_valid("".join(three))
        ):
            return True
    return False


def find_nhs_number(text: str) -> int | None:
    for match in _DIGIT_RUN.finditer(text):
        groups, seps = digit_groups(match.group())
        whole = not _tainted(text, match.start(), match.end())
        if _nhs_in_run(groups, seps, whole):
            return match.start()
    return None


_NI_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<first>[A-Z])(?P<between>{SEP}?)(?P<second>[A-Z])(?P<lead>{SEP}?)"
    rf"(?P<digits>\d(?:{SEP}?\d){{5}})(?:(?P<tail>{SEP}?)(?P<suffix>[A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NEVER_ALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def _ni_prefix_is_allocated(prefix: str) -> bool:
    return (
        prefix[0] not in "DFIQUV" and prefix[1] not in "DFIQUVO" and prefix not in _NEVER_ALLOCATED
    )


def _is_ni_number(match: re.Match[str]) -> bool:
    first, second, suffix = match["first"], match["second"], match["suffix"] or ""
    if not _ni_prefix_is_allocated((first + second).upper()):
        return False
    letters = first + second + suffix
    capitals = letters.isupper()
    if match["between"] and not capitals:
        return False
    groups, seps = digit_groups(match["digits"])
    lengths = [len(g) for g in groups]
    if not suffix:
        # "AB 12 34 56": capitals, in pairs, one separator throughout.
        spacing = {match["lead"].strip() or match["lead"], *seps}
        return capitals and lengths == [2, 2, 2] and len(spacing) == 1 and spacing != {""}
    if capitals:
        return True
    # Lower case: "ab123456c" and "ce 10 37 59 d" are numbers; "by 100 000 a" and
    # "at 123456 a" are words around a figure.
    words_around = match["lead"] == " " and match["tail"] == " "
    return lengths == [2, 2, 2] or (lengths == [6] and not words_around)


def find_ni_number(text: str) -> int | None:
    for match in _NI_CANDIDATE.finditer(text):
        if _is_ni_number(match):
            return match.start()
    return None
