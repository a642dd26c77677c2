"""Text is rewritten into one plain form before the patterns look at it."""

from __future__ import annotations

import pytest

from inset.privacy.normalise import normalise


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("\uff19\uff14\uff13 \uff21\uff22", "943 AB"),  # full-width digits and letters
        ("\u0669\u0664\u0663", "943"),  # Arabic-Indic digits
        ("\u096f\u096a\u0969", "943"),  # Devanagari digits
        ("\U0001d7d7\U0001d7d2\U0001d7d1", "943"),  # mathematical bold digits
        ("9\u200b4\u200c3\u200d4\u2060765\ufeff919\u00ad", "9434765919"),  # format characters
        ("943\u00a0476\u202f5919", "943 476 5919"),  # no-break spaces
        ("943   476\t\t5919", "943 476 5919"),
        ("DOB\r\n\r\n03/04/2015", "DOB 03/04/2015"),  # line breaks are spaces
        ("943\u2013476\u20145919\u2212", "943-476-5919-"),  # en dash, em dash, minus
        ("943\u2215476\uff0e5919", "943/476.5919"),  # division slash, full-width stop
        ("\u0410\u0412 12 \u0421", "AB 12 C"),  # Cyrillic look-alikes
        ("\u0391\u0392", "AB"),  # Greek look-alikes
        ("9\u03364\u03363\u0336", "943"),  # a strike-through over each digit
        ("jane\uff20example\uff0ecom", "jane@example.com"),
        ("caf\u00e9 \u00a3125", "caf\u00e9 \u00a3125"),  # ordinary text is left as it is
    ],
)
def test_text_is_rewritten_into_plain_ascii_digits_letters_and_single_spaces(
    written: str, plain: str
) -> None:
    assert normalise(written) == plain
