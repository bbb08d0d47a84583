"""The buyer's page: GET /confirm/<token> shows it and changes nothing; POST answers it. No login, no
cookie: the link proves who the person is, and the form's token proves the POST came from the page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from flask import Blueprint, Response, redirect, request, url_for
from flask.typing import ResponseReturnValue

from mutualplan.app.confirming import Reply, answer, confirmation_page
from mutualplan.app.link_mail import ask_for_link
from mutualplan.errors import (
    InputError,
    LinkExpiredError,
    LinkInvalidError,
    LinkRefusedError,
    MutualplanError,
    NotFoundError,
)
from mutualplan.plan.history.answers import Outcome
from mutualplan.web.confirm_page import MAX_ANSWERS, join_html, page_html, refusal_html
from mutualplan.web.context import services

confirm = Blueprint("confirm", __name__)
FORM_PARTS = 2 * MAX_ANSWERS + 16  # each row sends two fields (its id, the dates shown), and a few more
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",  # the link is the person's key: never leak it to another site
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
REFUSALS: tuple[tuple[type[MutualplanError], int, str], ...] = (
    (LinkExpiredError, 410, "This link no longer works"),
    (LinkRefusedError, 403, "This link can't be used here"),
    (LinkInvalidError, 404, "This is not a working confirmation link"),
    (NotFoundError, 404, "This plan can't be found"),
)
SAID = {
    Outcome.CONFIRMED: "Confirmed — thank you. The seller sees it in the plan now.",
    Outcome.ALREADY_CONFIRMED: "You had already confirmed these dates: nothing changed.",
    Outcome.PROPOSED: "Your proposal is with the seller; the plan's date stays until they accept it.",
    Outcome.ALREADY_PROPOSED: "You had already proposed this date: nothing changed.",
    Outcome.STALE: "The dates changed since this page was shown: here they are as they are now — "
    "confirm them if they work for you.",
    Outcome.GONE: "That step is no longer in the plan.",
}


@confirm.after_request
def _headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


@confirm.errorhandler(MutualplanError)
def _refused(error: MutualplanError) -> tuple[str, int]:
    for kind, status, title in REFUSALS:
        if isinstance(error, kind):
            return refusal_html(title, f"{error}"), status
    return refusal_html("Something went wrong", f"{error}. Nothing was recorded; try again in a minute"), 503


def _path(token: str) -> str:
    return url_for("confirm.show", token=token)


@confirm.get("/confirm/<token>")
def show(token: str) -> str:
    """The plan as the buyer needs it, saying what became of the answers just sent (`said`, from the
    redirect after a POST); a GET never changes anything."""
    outcomes = _outcomes_in(request.args.get("said", ""))
    page = confirmation_page(services(), token)
    if not outcomes:
        return page_html(page, _path(token))
    worst = max(outcomes, key=list(SAID).index)
    tone = "warn" if worst in (Outcome.STALE, Outcome.GONE) else "ok"
    return page_html(page, _path(token), said(outcomes, worst), tone)


@confirm.post("/confirm/<token>")
def post(token: str) -> ResponseReturnValue:
    """Confirm rows, or propose another date for one; then back to the page (POST-redirect-GET: a
    refresh shows the page again and sends nothing twice), which says what happened."""
    wired = services()
    try:
        outcomes = answer(wired, token, request.form.get("form_token", ""), _replies(request.form))
    except (LinkExpiredError, LinkRefusedError, LinkInvalidError, NotFoundError):
        raise
    except InputError as exc:  # nothing was recorded: the page says what to fix, the form as it was
        return page_html(confirmation_page(wired, token), _path(token), f"{exc}.", "bad"), 400
    counted = Counter(outcomes or (Outcome.GONE,))
    said_query = ",".join(f"{kind.name.lower()}.{count}" for kind, count in counted.items())
    return redirect(url_for("confirm.show", token=token, said=said_query), code=303)


def _outcomes_in(query: str) -> tuple[Outcome, ...]:
    """The outcomes a redirect carried ("confirmed.2,stale.1"); anything else is ignored."""
    found: list[Outcome] = []
    for part in query.split(",")[: len(Outcome)]:
        name, _, count = part.partition(".")
        kind = Outcome.__members__.get(name.upper())
        if kind in SAID and count.isdigit():
            found += [kind] * min(int(count), MAX_ANSWERS)
    return tuple(found)


def said(outcomes: tuple[Outcome, ...], worst: Outcome) -> str:
    """What the page says of the answers: one answer's fate, or exactly how many of several counted."""
    if len(outcomes) < 2:
        return SAID[worst]
    counts = Counter(outcomes)
    done = f"Confirmed {counts[Outcome.CONFIRMED]} of the {len(outcomes)} dates you sent"
    rest = [
        f"{counts[kind]} {words}"
        for kind, words in (
            (Outcome.ALREADY_CONFIRMED, "you had confirmed already"),
            (Outcome.STALE, "had changed since the page was shown (here they are as they are now)"),
            (Outcome.GONE, "are no longer in the plan"),
        )
        if counts[kind]
    ]
    return f"{done}{': ' + '; '.join(rest) if rest else ''}. Thank you."


@confirm.get("/join/<token>")
def join(token: str) -> str:
    """The plan link's page: a person types their address to be mailed their own link."""
    services().links.invited_plan(token)  # a link that is not ours is refused here
    return join_html(url_for("confirm.join", token=token))


@confirm.post("/join/<token>")
def join_post(token: str) -> tuple[str, int]:
    """Mail the person their own link if the address is a customer person's; the same answer either way."""
    path = url_for("confirm.join", token=token)
    try:
        ask_for_link(services(), token, request.form.get("email", ""))
    except (LinkInvalidError, NotFoundError):
        raise
    except InputError as exc:
        return join_html(path, problem=str(exc)), 400
    return join_html(path, sent=True), 200


def _replies(form: Mapping[str, str]) -> list[Reply]:
    """The form's answers; an InputError says what to fix."""
    action = form.get("action", "")
    rows = list(dict.fromkeys(request.form.getlist("row")))
    if action not in ("confirm", "propose"):
        raise InputError("choose Confirm or Propose")
    if len(rows) > MAX_ANSWERS:
        sent = f"this form sent {len(rows)}"
        raise InputError(f"send at most {MAX_ANSWERS} steps at a time ({sent}): nothing was recorded")
    replies = [Reply(row, *_shown(form.get(f"shown_{row}", ""))) for row in rows]
    if action == "confirm":
        return replies
    if len(replies) != 1:
        raise InputError("propose a date for one step at a time")
    proposed = _date(form.get("date", ""))
    return [Reply(replies[0].row_id, replies[0].start, replies[0].due, proposed, form.get("reason", ""))]


def _shown(text: str) -> tuple[date | None, date | None]:
    start, _, due = text.partition("|")
    return (_date(start) if start else None, _date(due) if due else None)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"'{text[:40]}' is not a date such as 2027-02-02") from exc
