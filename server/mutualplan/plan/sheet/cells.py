"""Typed readings of single cells: text, flags, IDs and domains."""

from __future__ import annotations

import re
from datetime import date

from mutualplan.errors import InputError
from mutualplan.plan.sheet.grid import Cell
from mutualplan.plan.sheet.text import clean, value_key
from mutualplan.plan.sheet.vocabulary import boolean_index

_DOMAIN_NOISE = re.compile(r"^(?:https?://)?(?:www\.)?@?")


def cell_text(cell: Cell) -> str:
    """The cell's content as one line of display text."""
    value = cell.value
    if value is None:
        return ", ".join(chip.name or chip.email or "" for chip in cell.chips)
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_flag(cell: Cell, *, unknown_text: bool) -> bool:
    """A checkbox cell's truth; unknown_text is what other text means."""
    value = cell.value
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, date):
        return True  # a date in a checkbox column records when it was ticked
    text = clean(value)
    if not text:
        return False
    return boolean_index().get(value_key(text), unknown_text)


def email_domain(text: str) -> str:
    """The one email domain a person typed, as people type it ("@acme.com", "https://www.acme.com/",
    "ACME.com"): "acme.com"; InputError when it names none, or several."""
    if not text.strip():
        return ""
    found = domains(text.strip())
    if len(found) != 1 or any(not (char.isalnum() or char in ".-") for char in next(iter(found))):
        raise InputError(f"'{text.strip()}' is not an email domain such as northwind.com")
    return next(iter(found))


def domains(text: str) -> frozenset[str]:
    """The email domains named in a cell: "acme.com", "@acme.com, acme.co.uk"."""
    found = set()
    for part in re.split(r"[\s,;]+", text.casefold()):
        domain = _DOMAIN_NOISE.sub("", part).split("/")[0].strip(".")
        if "." in domain:
            found.add(domain)
    return frozenset(found)
