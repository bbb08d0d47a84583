"""One-click unsubscribe (RFC 8058): POST unsubscribes, with no cookie; GET only asks (link scanners GET)."""

from __future__ import annotations

import html

from flask import Blueprint, current_app, request

from mutualplan.app.mail import unsubscribe_url
from mutualplan.app.services import services
from mutualplan.errors import InputError
from mutualplan.web.oauth import sealer

unsubscribe = Blueprint("unsubscribe", __name__)
LINK_SECONDS = 400 * 24 * 3600  # a link in an old reminder still works for over a year


def unsubscribe_link(email: str) -> str:
    """A recipient's one-click unsubscribe link on this server."""
    return unsubscribe_url(current_app.config["PUBLIC_URL"], sealer(), email)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        f"<title>mutualplan</title><h1>{html.escape(title)}</h1>{body}"
    )


def _email(token: str) -> str:
    email = sealer().unseal(token, LINK_SECONDS).get("email")
    if not isinstance(email, str) or not email:
        raise InputError("this unsubscribe link is not one mutualplan made")
    return email


@unsubscribe.get("/unsubscribe")
def ask() -> tuple[str, int]:
    """Ask before unsubscribing: a GET changes nothing."""
    token = request.args.get("t", "")
    try:
        email = _email(token)
    except InputError as exc:
        return _page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    hidden = f'<input type=hidden name=t value="{html.escape(token, quote=True)}">'
    form = (
        f"<p>Stop mutualplan's reminders to <b>{html.escape(email)}</b>?</p>"
        f'<form method=post action="/unsubscribe">{hidden}<button type=submit>Unsubscribe</button></form>'
    )
    return _page("Unsubscribe", form), 200


@unsubscribe.post("/unsubscribe")
def confirm() -> tuple[str, int]:
    """Unsubscribe: from the confirm button, or a mail client's one-click POST (the token in the URL)."""
    token = request.form.get("t") or request.args.get("t", "")
    try:
        email = _email(token)
    except InputError as exc:
        return _page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    wired = services()
    wired.store.unsubscribe(email, wired.now())
    return _page("Unsubscribed", f"<p>mutualplan will send no more mail to {html.escape(email)}.</p>"), 200
