"""One-click unsubscribe (RFC 8058): POST unsubscribes, with no cookie; GET only asks (link scanners GET)."""

from __future__ import annotations

import html

from flask import Blueprint, request

from mutualplan.app.accounts import unsubscribe, unsubscribing
from mutualplan.errors import InputError
from mutualplan.web.context import services
from mutualplan.web.pages import small_page

unsubscribe_page = Blueprint("unsubscribe", __name__)


@unsubscribe_page.get("/unsubscribe")
def ask() -> tuple[str, int]:
    """Ask before unsubscribing: a GET changes nothing."""
    token = request.args.get("t", "")
    try:
        found = unsubscribing(services(), token)
    except InputError as exc:
        return small_page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    hidden = f'<input type=hidden name=t value="{html.escape(token, quote=True)}">'
    about = f" about <b>{html.escape(found.plan_title)}</b>" if found.plan_id else ""
    this_plan = "<button type=submit>Stop this plan's reminders</button> " if found.plan_id else ""
    form = (
        f"<p>Stop mutualplan's reminders{about} to <b>{html.escape(found.email)}</b>?</p>"
        f'<form method=post action="/unsubscribe">{hidden}{this_plan}'
        "<button type=submit name=all value=1>Stop every mutualplan reminder</button></form>"
    )
    return small_page("Unsubscribe", form), 200


@unsubscribe_page.post("/unsubscribe")
def confirm() -> tuple[str, int]:
    """Unsubscribe: from the page's buttons, or a mail client's one-click POST (the token in the URL)."""
    token = request.form.get("t") or request.args.get("t", "")
    try:
        done = unsubscribe(services(), token, everywhere=request.form.get("all") == "1")
    except InputError as exc:
        return small_page("Not unsubscribed", f"<p>{html.escape(str(exc))}.</p>"), 400
    about = f" about {html.escape(done.plan_title)}" if done.plan_id else ""
    said = f"<p>mutualplan will send no more reminders{about} to {html.escape(done.email)}.</p>"
    return small_page("Unsubscribed", said), 200
