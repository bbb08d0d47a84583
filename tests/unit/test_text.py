"""Text as people type it: invisible characters never split a label, and joiners keep an emoji whole."""

from __future__ import annotations

import pytest

from mutualplan.plan.sheet.text import clean, label_key, plural


def test_a_zwj_emoji_and_a_persian_word_keep_their_joiners_in_text() -> None:
    family, word = "Kickoff 👩\u200d👩\u200d👧", "می\u200cخواهم"
    assert clean(family) == family
    assert clean(word) == word
    assert clean("Du\u200be\ufeff") == "Due"  # zero-width space and BOM: gone from text too


@pytest.mark.parametrize("typed", ["Due", "Du\u200de", "Du\u200ce", "Du\u200be", "D u e", "due:"])
def test_a_label_matches_whatever_invisible_or_punctuation_it_carries(typed: str) -> None:
    assert label_key(typed) == "due"


@pytest.mark.parametrize(
    ("count", "noun", "words"), [(0, "date", "0 dates"), (1, "date", "1 date"), (2, "day", "2 days")]
)
def test_a_count_reads_in_good_english(count: int, noun: str, words: str) -> None:
    assert plural(count, noun) == words
