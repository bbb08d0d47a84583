"""Text helpers shared by the readers: cleaning, label keys, short quotes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters, bidirectional controls and the BOM: invisible in a
# cell, but they make "Due" and "Du\u200be" different strings.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00]")
# Text keeps its joiners (ZWNJ, ZWJ): an emoji family or a Persian word needs them; only keys drop them.
_INVISIBLE_IN_TEXT = re.compile(
    "[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00]"
)
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")

MAX_QUOTE = 60


def clean(text: str) -> str:
    """Text without invisible characters, with all white space runs as one space."""
    if not text:
        return ""
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip()  # the common case, without the regular expressions
    text = _INVISIBLE_IN_TEXT.sub("", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A key for matching labels: case, accents, spaces and punctuation ignored."""
    text = text.casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", _INVISIBLE.sub("", text))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub("", text)


def value_key(text: str) -> str:
    """A key for matching cell values: the label key, or the cleaned text when
    the value is only symbols (a tick mark has no letters to match on)."""
    return label_key(text) or clean(text)


def plural(count: int, noun: str) -> str:
    """A count and its noun: "1 date", "3 dates", "-1 day"."""
    return f"{count} {noun}{'' if abs(count) == 1 else 's'}"


def quote(text: str, limit: int = MAX_QUOTE) -> str:
    """Cell text fit to quote in a message: cleaned and cut to a readable length."""
    text = clean(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
