"""Personal data as people write it, and as a determined tester rewrites it: each item must
be refused, with its kind. Contact details (email, phone, postcode) only in public text.

The NHS numbers here are from the range set aside for testing or made up with a valid
check digit; the NI numbers, phone numbers (Ofcom's drama ranges) and postcodes are
examples, not anyone's.
"""

from __future__ import annotations

NHS_NUMBER = "an NHS number"
NI_NUMBER = "a National Insurance number"
DATE_OF_BIRTH = "a date of birth"
EMAIL = "an email address"
PHONE = "a phone number"
POSTCODE = "a postcode"

ALWAYS_REFUSED = (NHS_NUMBER, NI_NUMBER, DATE_OF_BIRTH)

ZWSP, ZWJ, WORD_JOINER, SOFT_HYPHEN = "\u200b", "\u200d", "\u2060", "\u00ad"
NBSP, NNBSP = "\u00a0", "\u202f"  # no-break space, narrow no-break space


def full_width(text: str) -> str:
    """ASCII letters and digits in their full-width forms (U+FF21 for A)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isalnum() and c.isascii() else c for c in text)


def in_digits_of(text: str, zero: str) -> str:
    """The ASCII digits of `text` in another script, given that script's zero."""
    return "".join(chr(ord(zero) + int(c)) if c.isdigit() else c for c in text)


NHS = "9434765919"  # the well-known test number; its check digit is valid
NHS_2 = "4010232137"

PERSONAL_DATA: list[tuple[str, str]] = [
    # NHS numbers, any grouping, any separator, any digits
    (NHS_NUMBER, NHS),
    (NHS_NUMBER, "NHS no. 943 476 5919 recorded at referral"),
    (NHS_NUMBER, "943-476-5919"),
    (NHS_NUMBER, "943.476.5919"),
    (NHS_NUMBER, "943/476/5919"),
    (NHS_NUMBER, "943 - 476 - 5919"),
    (NHS_NUMBER, "943  476  5919"),
    (NHS_NUMBER, f"943{NBSP}476{NBSP}5919"),
    (NHS_NUMBER, f"943{NNBSP}476{NNBSP}5919"),
    (NHS_NUMBER, f"943{ZWSP}476{ZWSP}5919"),
    (NHS_NUMBER, f"9{ZWJ}4{ZWJ}3{SOFT_HYPHEN}4765{WORD_JOINER}919"),
    (NHS_NUMBER, "943\u2013476\u20135919"),  # en dashes
    (NHS_NUMBER, "943 4765 919"),
    (NHS_NUMBER, "94347 65919"),
    (NHS_NUMBER, "9 4 3 4 7 6 5 9 1 9"),
    (NHS_NUMBER, "(ref:9434765919)"),
    (NHS_NUMBER, full_width("943 476 5919")),
    (NHS_NUMBER, in_digits_of("943 476 5919", "\u0660")),  # Arabic-Indic
    (NHS_NUMBER, in_digits_of("9434765919", "\u0966")),  # Devanagari
    (NHS_NUMBER, in_digits_of("943-476-5919", "\u09e6")),  # Bengali
    (NHS_NUMBER, "patient\n943 476\n5919"),
    (NHS_NUMBER, "seen at 10:30 943 476 5919"),
    (NHS_NUMBER, "NHS: 943-476-5919 12 March"),
    (NHS_NUMBER, "401 023 2137"),
    (NHS_NUMBER, f"NHS number {NHS_2[:3]}.{NHS_2[3:6]}.{NHS_2[6:]}"),
    # National Insurance numbers, any case and separator
    (NI_NUMBER, "AB 12 34 56 C"),
    (NI_NUMBER, "NINO: AB123456C"),
    (NI_NUMBER, "jg103759a"),
    (NI_NUMBER, "ce 10 37 59 d"),
    (NI_NUMBER, "AB 12 34 56"),
    (NI_NUMBER, "AB-12-34-56-C"),
    (NI_NUMBER, "ab-12-34-56-c"),
    (NI_NUMBER, "AB.12.34.56.C"),
    (NI_NUMBER, "AB/123456/C"),
    (NI_NUMBER, "AB 123 456 C"),
    (NI_NUMBER, "A B 1 2 3 4 5 6 C"),
    (NI_NUMBER, "Ab123456c"),
    (NI_NUMBER, f"AB{NBSP}12{NBSP}34{NBSP}56{NBSP}C"),
    (NI_NUMBER, f"AB{ZWSP}123{ZWSP}456{ZWSP}C"),
    (NI_NUMBER, full_width("AB123456C")),
    (NI_NUMBER, full_width("ab 12 34 56 c")),
    (NI_NUMBER, "\u0410\u0412 12 34 56 \u0421"),  # Cyrillic A, V (B) and S (C)
    (NI_NUMBER, "AB-12-34-56"),
    (NI_NUMBER, "NI number:\nAB 12 34 56 C"),
    # Dates of birth near a cue
    (DATE_OF_BIRTH, "DOB: 12/03/2015"),
    (DATE_OF_BIRTH, "D.O.B. 12.03.15"),
    (DATE_OF_BIRTH, "D. O. B. 12-03-2015"),
    (DATE_OF_BIRTH, "dob 12-03-2015"),
    (DATE_OF_BIRTH, "DoB 3/4/2015"),
    (DATE_OF_BIRTH, "DOB 03-Apr-2015"),
    (DATE_OF_BIRTH, "DOB 03-APR-15"),
    (DATE_OF_BIRTH, "DOB 2015/04/03"),
    (DATE_OF_BIRTH, "DOB 2015.04.03"),
    (DATE_OF_BIRTH, "DOB 2015 04 03"),
    (DATE_OF_BIRTH, "DOB 03 04 2015"),
    (DATE_OF_BIRTH, "DOB 03042015"),
    (DATE_OF_BIRTH, "DOB 20150403"),
    (DATE_OF_BIRTH, "DOB: 04/23/2015"),  # month first: the only real date
    (DATE_OF_BIRTH, "Date of birth (child A): 2015-03-12"),
    (DATE_OF_BIRTH, "Date of birth:\n03/04/2015"),
    (DATE_OF_BIRTH, "Date of birth\n\n3 April 2015"),
    (DATE_OF_BIRTH, "date-of-birth 3 Apr 2015"),
    (DATE_OF_BIRTH, "birth date 3rd April 2015"),
    (DATE_OF_BIRTH, "She was born in Leeds on 12 March 2015"),
    (DATE_OF_BIRTH, "born 12th Mar 2015"),
    (DATE_OF_BIRTH, "born on the 3rd of April 2015"),
    (DATE_OF_BIRTH, "born April 3rd 2015"),
    (DATE_OF_BIRTH, "born April 3rd, 2015"),
    (DATE_OF_BIRTH, "born 3 Apr. 2015"),
    (DATE_OF_BIRTH, "birthday is March 12th, 2015"),
    (DATE_OF_BIRTH, "12/03/2015 (DOB)"),
    (DATE_OF_BIRTH, "12 March 2015 - date of birth"),
    (DATE_OF_BIRTH, "April 3rd 2015 is her birthday"),
    (DATE_OF_BIRTH, f"DOB{NBSP}{NBSP}03{ZWSP}/04/2015"),
    (DATE_OF_BIRTH, full_width("DOB 03/04/2015")),
    (DATE_OF_BIRTH, in_digits_of("DOB 03/04/2015", "\u0660")),
    (DATE_OF_BIRTH, "DOB 03\u201304\u20132015"),  # en dashes
    (DATE_OF_BIRTH, "D.O.B.\n2015-04-03"),
    (DATE_OF_BIRTH, "born 1987-11-30"),
    (DATE_OF_BIRTH, "DOB03/04/2015"),
    (DATE_OF_BIRTH, "DOB3 April 2015"),
    (DATE_OF_BIRTH, "dob:3rd april 2015"),
    # Email addresses and their disguises
    (EMAIL, "write to jo.bloggs+inset@example.org.uk"),
    (EMAIL, "https://jo@files.example.com/report"),
    (EMAIL, "jane@example.com"),
    (EMAIL, "JANE.SMITH@EXAMPLE.CO.UK"),
    (EMAIL, "jane @ example.com"),
    (EMAIL, "jane\uff20example.com"),  # full-width at sign
    (EMAIL, f"jane@{ZWSP}example.com"),
    (EMAIL, "jane at example dot com"),
    (EMAIL, "jane AT example DOT co DOT uk"),
    (EMAIL, "jane[at]example.com"),
    (EMAIL, "jane [at] example [dot] com"),
    (EMAIL, "jane (at) example (dot) com"),
    (EMAIL, "jane{at}example{dot}org"),
    (EMAIL, "jane<at>example.com"),
    (EMAIL, "jane dot smith at example dot org dot uk"),
    (EMAIL, "jane@example (dot) com"),
    # UK phone numbers in every usual writing
    (PHONE, "call 07700 900123"),
    (PHONE, "call 07700-900-123"),
    (PHONE, "07700.900.123"),
    (PHONE, "07700900123"),
    (PHONE, "077 0090 0123"),
    (PHONE, "07700 900 123"),
    (PHONE, "+44 7700 900123"),
    (PHONE, "+447700900123"),
    (PHONE, "+44 (0)7700 900123"),
    (PHONE, "0044 7700 900123"),
    (PHONE, "00 44 7700 900 123"),
    (PHONE, "(+44) 7700 900123"),
    (PHONE, "+44 (0)20 7946 0958"),
    (PHONE, "(020) 7946 0958"),
    (PHONE, "020 7946 0958"),
    (PHONE, "020-7946-0958"),
    (PHONE, "(0113) 496 0000"),
    (PHONE, "0113 496 0000"),
    (PHONE, "0113.496.0000"),
    (PHONE, "01632 960001"),
    (PHONE, "016977 0123"),  # a ten-digit 01 number
    (PHONE, "0300 123 4567"),
    (PHONE, f"07700{NBSP}900{NBSP}123"),
    (PHONE, f"07700{ZWSP}900123"),
    (PHONE, full_width("07700 900123")),
    (PHONE, "\uff0b44 7700 900123"),  # full-width plus
    (PHONE, in_digits_of("07700 900123", "\u0966")),
    (PHONE, "call 07700 900123 24 hours a day"),
    (PHONE, "Tel.07700 900123"),
    (PHONE, "+44 07700 900123"),
    (PHONE, "+44-7700-900123"),
    (PHONE, "(07700) 900123"),
    # Full postcodes, any case and spacing
    (POSTCODE, "SW1A 1AA"),
    (POSTCODE, "lives at M1 1AE"),
    (POSTCODE, "B33 8TH"),
    (POSTCODE, "CR2 6XH"),
    (POSTCODE, "DN55 1PT."),
    (POSTCODE, "EC1A1BB"),
    (POSTCODE, "LS1  4AB"),
    (POSTCODE, "LS14AB"),
    (POSTCODE, "ls1 4ab"),
    (POSTCODE, "Ls1 4Ab"),
    (POSTCODE, "sw1a 1aa"),
    (POSTCODE, "LS1-4AB"),
    (POSTCODE, f"LS1{NBSP}4AB"),
    (POSTCODE, f"LS1{ZWSP}4AB"),
    (POSTCODE, full_width("LS1 4AB")),
    (POSTCODE, "E2 3RD"),
    (POSTCODE, "Postcode: b33 8th"),
    (POSTCODE, "m11ae"),
    (POSTCODE, "family moved to\nNE1 4ST"),
]
