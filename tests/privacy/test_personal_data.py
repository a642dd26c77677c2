"""Free text is refused when it holds personal data, and ordinary project text is not."""

from __future__ import annotations

import pytest

from inset.errors import ErrorCode, PersonalData
from inset.privacy.personal_data import check_free_text, find_personal_data

NHS_NUMBER = "an NHS number"
NI_NUMBER = "a National Insurance number"
DATE_OF_BIRTH = "a date of birth"
EMAIL = "an email address"
PHONE = "a phone number"
POSTCODE = "a postcode"

# What a progress report really says: dates, money, percentages, counts, references,
# links and the helplines that public pages rightly signpost.
PROJECT_TEXT = """\
Children missing from home fell from 45 in July 2021 to 24 in January 2022; 78% engaged
with the return-home chat tool; cost £125,000 (£1,234,567.89 over the whole programme).
The pilot began 1 April 2022 with 18 fellows across 3 local authorities, born out of the
2019 review; the Born in Bradford cohort began 1 March 2007. See ISBN 978-0-00-000000-0,
Ofsted ref. 2024-0117 and https://www.gov.uk/government/publications/working-together.
Young people can call Childline on 0800 1111 or 116 111, or the NSPCC on 0808 800 5000.
Attendance at KS4 rose 12.5 points; 1,250 families were reached in 2023/24 (up 9.8%).
The steering group met on 03/10/2023 and 14-11-2023; next review 2025-01-31.
The service celebrates its third year on 1 April 2025, in the M1 corridor and SW1A.
"""


def with_check_digit(first_nine: str) -> str:
    """Appends the NHS modulus 11 check digit, computed here independently of the code."""
    weighted = sum(int(digit) * (10 - i) for i, digit in enumerate(first_nine))
    check = 11 - weighted % 11
    if check == 11:
        check = 0
    if check == 10:
        raise ValueError(f"{first_nine} cannot be completed to a valid NHS number")
    return first_nine + str(check)


VALID_NHS = with_check_digit("943476591")
WRONG_CHECK_DIGIT = VALID_NHS[:9] + str((int(VALID_NHS[9]) + 1) % 10)


def test_the_well_known_test_number_really_has_a_valid_check_digit() -> None:
    assert VALID_NHS == "9434765919"


def test_realistic_project_text_passes_clean_even_when_public() -> None:
    assert find_personal_data(PROJECT_TEXT, public=True) is None


# NHS numbers


@pytest.mark.parametrize(
    "text",
    [
        VALID_NHS,
        f"NHS no. {VALID_NHS[:3]} {VALID_NHS[3:6]} {VALID_NHS[6:]} recorded at referral",
        f"{VALID_NHS[:3]}-{VALID_NHS[3:6]}-{VALID_NHS[6:]}",
        f"(ref:{VALID_NHS})",
        with_check_digit("401023213"),
    ],
)
def test_an_nhs_number_with_a_valid_check_digit_is_found(text: str) -> None:
    assert find_personal_data(text, public=False) == NHS_NUMBER


@pytest.mark.parametrize(
    "text",
    [
        WRONG_CHECK_DIGIT,
        f"{WRONG_CHECK_DIGIT[:3]} {WRONG_CHECK_DIGIT[3:6]} {WRONG_CHECK_DIGIT[6:]}",
        f"1{VALID_NHS}",  # eleven digits
        f"{VALID_NHS}012",  # a 13-digit run
        f"0.{VALID_NHS}",  # a decimal
        f"£{VALID_NHS[0]} {VALID_NHS[1:4]} {VALID_NHS[4:7]} {VALID_NHS[7:]}",  # money
    ],
)
def test_other_ten_digit_figures_are_not_nhs_numbers(text: str) -> None:
    assert find_personal_data(text, public=True) != NHS_NUMBER


def test_a_number_whose_check_digit_would_be_ten_is_never_an_nhs_number() -> None:
    # A weighted sum leaving remainder 1 gives check 11 - 1 = 10: such numbers are never issued.
    first_nine = next(
        f"{n:09d}"
        for n in range(100_000_000, 100_100_000)
        if sum(int(d) * (10 - i) for i, d in enumerate(f"{n:09d}")) % 11 == 1
    )
    for last in "0123456789":
        assert find_personal_data(first_nine + last, public=False) is None


# National Insurance numbers


@pytest.mark.parametrize(
    "text",
    ["AB 12 34 56 C", "NINO: AB123456C", "jg103759a", "ce 10 37 59 d", "AB 12 34 56"],
)
def test_a_national_insurance_number_is_found(text: str) -> None:
    assert find_personal_data(text, public=False) == NI_NUMBER


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",  # HMRC's example prefix: Q is never a first letter
        "DA123456A",  # D is never a first letter
        "AO123456A",  # O is never a second letter
        "BG123456A",  # unallocated prefixes
        "GB 12 34 56 A",
        "ZZ123456D",
        "AB123456E",  # suffix beyond D
        "AB123456",  # bare references: no suffix and not spaced in pairs
        "ab 12 34 56",  # suffixless and lower case, as in "at 10 15 20"
        "XAB123456C",
        "AB1234567C",
    ],
)
def test_other_letter_and_digit_codes_are_not_national_insurance_numbers(text: str) -> None:
    assert find_personal_data(text, public=False) is None


# Dates of birth


@pytest.mark.parametrize(
    "text",
    [
        "DOB: 12/03/2015",
        "D.O.B. 12.03.15",
        "dob 12-03-2015",
        "Date of birth (child A): 2015-03-12",
        "She was born in Leeds on 12 March 2015",
        "born 12th Mar 2015",
        "birthday is March 12th, 2015",
        "12/03/2015 (DOB)",
        "12 March 2015 - date of birth",
    ],
)
def test_a_full_date_near_a_birth_cue_is_a_date_of_birth(text: str) -> None:
    assert find_personal_data(text, public=False) == DATE_OF_BIRTH


@pytest.mark.parametrize(
    "text",
    [
        "pilot began 1 April 2022",
        "12/03/2015",
        "DOB recorded in the case file, not here",
        "born in March 2015",  # no day: not a full date
        "She was born in Leeds. The pilot began 1 April 2022.",  # another sentence
        "born of the 2019 review and launched on 1 April 2022",  # too far apart
        "the newborn pathway launched on 1 April 2022",
        "Mr Dobson joined 1 April 2022",
    ],
)
def test_a_date_without_a_birth_cue_close_by_is_not_a_date_of_birth(text: str) -> None:
    assert find_personal_data(text, public=True) is None


# Email addresses, phone numbers and postcodes: only in public text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("write to jo.bloggs+inset@example.org.uk", EMAIL),
        ("https://jo@files.example.com/report", EMAIL),
        ("call 07700 900123", PHONE),
        ("call 07700-900-123", PHONE),
        ("+44 7700 900123", PHONE),
        ("+44 (0)20 7946 0958", PHONE),
        ("(020) 7946 0958", PHONE),
        ("0113 496 0000", PHONE),
        ("01632 960001", PHONE),
        ("016977 0123", PHONE),  # a ten-digit 01 number
        ("0300 123 4567", PHONE),
        ("SW1A 1AA", POSTCODE),
        ("lives at M1 1AE", POSTCODE),
        ("B33 8TH", POSTCODE),
        ("CR2 6XH", POSTCODE),
        ("DN55 1PT.", POSTCODE),
        ("EC1A1BB", POSTCODE),
    ],
)
def test_contact_details_are_personal_data_only_in_public_text(text: str, kind: str) -> None:
    assert find_personal_data(text, public=True) == kind
    assert find_personal_data(text, public=False) is None


@pytest.mark.parametrize(
    "text",
    [
        "Childline 0800 1111",  # freephone and 116 numbers belong to services, not people
        "NSPCC 0808 800 5000",
        "Samaritans 116 123",
        "0770 090 012",  # too short for a mobile
        "07700 9001234",  # too long
        "0207 946 095",  # too short for a London number
        "@InsetTeam on social media",
        "SW1A",
        "the M1 motorway",
        "results at KS4 1st and 2nd",
        "e2 3rd",  # an ordinal counts as an inward code only in capitals
    ],
)
def test_service_numbers_handles_and_partial_postcodes_are_not_contact_details(text: str) -> None:
    assert find_personal_data(text, public=True) is None


def test_the_kind_met_first_in_the_text_is_reported() -> None:
    text = f"email jo@example.org about DOB 12/03/2015, NHS {VALID_NHS}"
    assert find_personal_data(text, public=True) == EMAIL
    assert find_personal_data(text, public=False) == DATE_OF_BIRTH


# check_free_text


def test_check_free_text_names_the_first_field_holding_personal_data_and_its_kind() -> None:
    fields: dict[tuple[str, ...], str | None] = {
        ("input", "title"): "Return-home conversations",
        ("input", "notes"): None,
        ("input", "summary"): f"Child referred, NHS {VALID_NHS}",
        ("input", "lessons"): "born 12/03/2015",
    }

    with pytest.raises(PersonalData) as raised:
        check_free_text(fields, public=False)

    assert raised.value.field == ("input", "summary")
    assert raised.value.kind == NHS_NUMBER
    assert raised.value.code is ErrorCode.PERSONAL_DATA
    assert "summary looks like it contains an NHS number" in raised.value.message


def test_check_free_text_skips_none_and_accepts_clean_text() -> None:
    check_free_text({("input", "summary"): None, ("input", "title"): PROJECT_TEXT}, public=True)


def test_check_free_text_refuses_contact_details_only_when_public() -> None:
    fields: dict[tuple[str, ...], str | None] = {
        ("input", "publicSummary"): "Contact jo@example.org"
    }
    check_free_text(fields, public=False)

    with pytest.raises(PersonalData) as raised:
        check_free_text(fields, public=True)

    assert raised.value.field == ("input", "publicSummary")
    assert raised.value.kind == EMAIL


# Dates of birth must be real, past dates


@pytest.mark.parametrize(
    "text",
    [
        "DOB 31/02/2015",  # no such day
        "DOB 13/13/2015",  # no such month either way round
        "born 3 April 2099",  # in the future
        "birthday party 01/04/2099",
        "DOB 45 -> 24",
    ],
)
def test_a_date_that_cannot_be_a_birth_is_not_a_date_of_birth(text: str) -> None:
    assert find_personal_data(text, public=False) is None


def test_a_two_digit_year_is_read_in_the_past() -> None:
    assert find_personal_data("DOB 03/04/15", public=False) == DATE_OF_BIRTH
    assert find_personal_data("DOB 03/04/87", public=False) == DATE_OF_BIRTH


def test_check_free_text_looks_at_the_normalised_text_but_names_the_field_as_given() -> None:
    with pytest.raises(PersonalData) as raised:
        check_free_text({("input", "note"): "NI \uff21\uff22123456\uff23"}, public=False)

    assert raised.value.field == ("input", "note")
    assert raised.value.kind == NI_NUMBER
