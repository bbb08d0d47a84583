"""One-click unsubscribe (RFC 8058): POST unsubscribes, with no cookie; GET only asks (link scanners GET)."""

from __future__ import annotations

import html

from flask import Blueprint, request

from mutualplan.app.accounts import unsubscribe, unsubscribing
from mutualplan.errors import InputError
from mutualplan.web.context import services

unsubscribe_page = Blueprint("unsubscribe", __name__)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>mutualplan</title><h1>{html.escape(title)}</h1>{body}"
    )


@unsubscribe_page.get("/unsubscribe")
def ask() -> tuple[str, int]:
    """Ask before unsubscribing: a GET changes nothing."""
    token = request.args.get("t", "")
    try:
        email = unsubscribing(services(), token)
    except InputError as exc:
        return _page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    hidden = f'<input type=hidden name=t value="{html.escape(token, quote=True)}">'
    form = (
        f"<p>Stop mutualplan's reminders to <b>{html.escape(email)}</b>?</p>"
        f'<form method=post action="/unsubscribe">{hidden}<button type=submit>Unsubscribe</button></form>'
    )
    return _page("Unsubscribe", form), 200


@unsubscribe_page.post("/unsubscribe")
def confirm() -> tuple[str, int]:
    """Unsubscribe: from the confirm button, or a mail client's one-click POST (the token in the URL)."""
    try:
        email = unsubscribe(services(), request.form.get("t") or request.args.get("t", ""))
    except InputError as exc:
        return _page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    return _page("Unsubscribed", f"<p>mutualplan will send no more mail to {html.escape(email)}.</p>"), 200
