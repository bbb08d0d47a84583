"""The buyer's page read as a browser posts it: the hidden fields of its row forms."""

from __future__ import annotations

import re

HIDDEN_INPUT = re.compile(r'<input type=hidden name="([^"]+)" value="([^"]*)">')


def first_row_form(page: str) -> dict[str, str]:
    """The hidden inputs of the page's first row form: its row, the dates it showed, and the form token."""
    first = page[page.index("<td class=answer><span class=") :]
    return dict(HIDDEN_INPUT.findall(first)[:3])
