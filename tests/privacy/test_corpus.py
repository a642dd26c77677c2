"""The two corpora, item by item: ordinary text passes even as public text; each rendering
of personal data is refused with its kind."""

from __future__ import annotations

import pytest

from inset.privacy.personal_data import find_personal_data
from tests.privacy.corpus_ordinary import ORDINARY_TEXT
from tests.privacy.corpus_personal import ALWAYS_REFUSED, PERSONAL_DATA


@pytest.mark.parametrize("text", ORDINARY_TEXT)
def test_ordinary_text_is_accepted_even_as_public_text(text: str) -> None:
    assert find_personal_data(text, public=True) is None


@pytest.mark.parametrize(("kind", "text"), PERSONAL_DATA)
def test_personal_data_is_refused_in_public_text_with_its_kind(kind: str, text: str) -> None:
    assert find_personal_data(text, public=True) == kind


@pytest.mark.parametrize(("kind", "text"), PERSONAL_DATA)
def test_identifiers_are_refused_in_any_text_and_contact_details_only_in_public_text(
    kind: str, text: str
) -> None:
    expected = kind if kind in ALWAYS_REFUSED else None
    assert find_personal_data(text, public=False) == expected


def test_the_corpus_holds_at_least_fifteen_renderings_of_each_kind() -> None:
    kinds = [kind for kind, _ in PERSONAL_DATA]
    assert len(set(kinds)) == 6
    assert min(kinds.count(kind) for kind in set(kinds)) >= 15
