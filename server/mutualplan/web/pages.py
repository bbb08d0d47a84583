"""The small pages outside the sidebar and the buyer's page (Connect's window, unsubscribe, privacy)."""

from __future__ import annotations

import html


def small_page(title: str, body: str) -> str:
    """A page: the title escaped here, the body already escaped HTML."""
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>mutualplan</title><h1>{html.escape(title)}</h1>{body}</html>"
    )
