"""The small pages outside the sidebar and the buyer's page (Connect's window, unsubscribe, privacy)."""

from __future__ import annotations

import html

STYLE = (
    "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#202124;max-width:46rem;"
    "margin:2rem auto;padding:0 1rem}h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.15rem;"
    "margin:2rem 0 .5rem}li{margin:.35rem 0}button{font:inherit;padding:.4rem .9rem;margin:.25rem 0}"
)


def small_page(title: str, body: str) -> str:
    """A page: the title escaped here, the body already escaped HTML."""
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>mutualplan</title><style>{STYLE}</style><h1>{html.escape(title)}</h1>{body}</html>"
    )
