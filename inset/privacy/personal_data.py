"""Spotting personal data in free text before it is stored (DESIGN.md section 6).

Text is normalised first (`normalise`: compatibility forms, other scripts' digits, no
zero-width characters, any spacing), then searched by the finders of `identifiers`,
`births` and `contacts`, whose docstrings say exactly what each one catches and lets
pass. The identifiers that name a child wherever they appear (NHS and National Insurance
numbers, dates of birth) are always refused; contact details (email addresses, phone
numbers, full postcodes) only in text that is or becomes PUBLIC, because staff need to
record a service's contacts internally.

The patterns are narrow on purpose: project texts are full of dates, money, counts and
reference numbers, and every false alarm blocks a save. `tests/privacy/corpus_*.py` hold
the text that must pass and the renderings that must be refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from inset.errors import PersonalData
from inset.privacy.births import find_date_of_birth
from inset.privacy.contacts import find_email, find_phone_number, find_postcode
from inset.privacy.identifiers import find_nhs_number, find_ni_number
from inset.privacy.normalise import normalise

NHS_NUMBER = "an NHS number"
NI_NUMBER = "a National Insurance number"
DATE_OF_BIRTH = "a date of birth"
EMAIL = "an email address"
PHONE = "a phone number"
POSTCODE = "a postcode"

# (kind, finder) pairs; a finder returns the offset of its first hit. The order breaks
# ties between kinds found at the same offset.
_Finders = tuple[tuple[str, Callable[[str], int | None]], ...]
_ALWAYS: _Finders = (
    (NHS_NUMBER, find_nhs_number),
    (NI_NUMBER, find_ni_number),
    (DATE_OF_BIRTH, find_date_of_birth),
)
_PUBLIC_ONLY: _Finders = (
    (EMAIL, find_email),
    (PHONE, find_phone_number),
    (POSTCODE, find_postcode),
)


def find_personal_data(text: str, *, public: bool) -> str | None:
    """Returns the kind of personal data found first (a human phrase such as "an NHS number"),
    or None.

    "First" is the earliest in the (normalised) text, so the error points at what the
    reader meets first. `public` adds contact details: e.g. "call 07700 900123" is None
    when False and "a phone number" when True.
    """
    plain = normalise(text)
    finders = _ALWAYS + _PUBLIC_ONLY if public else _ALWAYS
    hits = [
        (start, order, kind)
        for order, (kind, find) in enumerate(finders)
        if (start := find(plain)) is not None
    ]
    return min(hits)[2] if hits else None


def personal_data_in(
    texts: Iterable[tuple[tuple[str, ...], str | None, str | None]], *, public: bool
) -> list[PersonalData]:
    """One PersonalData error for each text that holds personal data, in the given order.

    Each item is (field path, text, how the message names the field, or None for the
    path's last part); None texts are skipped.
    """
    errors = []
    for field, text, label in texts:
        if text is None:
            continue
        kind = find_personal_data(text, public=public)
        if kind is not None:
            errors.append(PersonalData(field, kind, label=label))
    return errors


def check_free_text(fields: Mapping[tuple[str, ...], str | None], *, public: bool) -> None:
    """Raises inset.errors.PersonalData(field, kind) for the first field (in mapping order)
    that holds personal data. None values are skipped.

    Keys are input paths such as `("input", "summary")`; call it before writing anything,
    so a refused save stores nothing.
    """
    errors = personal_data_in(
        ((field, text, None) for field, text in fields.items()), public=public
    )
    if errors:
        raise errors[0]
