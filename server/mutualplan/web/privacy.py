"""The privacy page: what mutualplan keeps, sends and may reach, from app.privacy (kept true by a test)."""

from __future__ import annotations

import html

from flask import Blueprint

from mutualplan.app.privacy import KEPT, NEVER, SCOPES, SENT
from mutualplan.web.pages import small_page

privacy_page = Blueprint("privacy", __name__)


def _list(items: dict[str, str]) -> str:
    return (
        "<ul>"
        + "".join(
            f"<li><b>{html.escape(name.replace('_', ' '))}</b>: {html.escape(what)}</li>"
            for name, what in items.items()
        )
        + "</ul>"
    )


@privacy_page.get("/privacy")
def privacy() -> str:
    """What mutualplan keeps, what it sends and what it may reach in a Google account."""
    return small_page(
        "mutualplan and your data",
        "".join(f"<p>{html.escape(line)}</p>" for line in NEVER)
        + "<h2>What it keeps</h2>"
        + _list(KEPT)
        + "<h2>What it sends</h2>"
        + _list({kind.value: what for kind, what in SENT.items()})
        + "<h2>What it may reach in your Google account</h2>"
        + _list(SCOPES),
    )
