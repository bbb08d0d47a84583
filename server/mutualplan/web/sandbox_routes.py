"""The sandbox page's own endpoints: the grid, the personas, the clock, reminders and the outbox.

The sidebar in the page does not use these: it posts event objects to the add-on's endpoints."""

from __future__ import annotations

import base64
import re
from collections import Counter
from email.utils import parseaddr
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request

from mutualplan.app.sandbox import Sandbox
from mutualplan.errors import MutualplanError, NotFoundError
from mutualplan.plan.checks.sentences import sentence
from mutualplan.plan.people.confirmers import address_key
from mutualplan.web import create_app
from mutualplan.web.context import json_body
from mutualplan.web.guide import guide
from mutualplan.web.pictures import timeline_response

sandbox = Blueprint("sandbox", __name__)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_SITE = ("same-origin", "none")  # Sec-Fetch-Site of the page's own requests, and of a typed address
STATIC = {"sandbox.js": "text/javascript", "sandbox.css": "text/css"}
SECURITY_HEADERS = {
    # Nothing beyond this server: no CDN, no outside fonts, no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-src 'self' blob: data:; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
}


def the_sandbox() -> Sandbox:
    """The sandbox of the current app."""
    found: Sandbox = current_app.extensions["mutualplan_sandbox"]
    return found


def create_sandbox_app(made: Sandbox, guide_folder: Path | None = None) -> Flask:
    """The whole add-on and the sandbox page over the embedded default (tokens skipped on loopback only),
    answering only its own address, and taking state changes only from its own page; the built guide at
    /docs/ (guide_folder: the folder `mkdocs build` wrote, when there is one)."""
    app = create_app(made.services)
    app.extensions["mutualplan_sandbox"] = made
    app.extensions["mutualplan_guide"] = guide_folder
    app.register_blueprint(sandbox)
    app.register_blueprint(guide)
    app.before_request(_only_its_own_page)
    return app


def _only_its_own_page() -> tuple[Response, int] | None:
    """Another website must not drive the sandbox: a foreign Host (DNS rebinding) is refused, and so is
    a state-changing request that a browser says came from another site (CSRF)."""
    own = urlparse(the_sandbox().services.config.public_url)
    address = f"{own.scheme}://{own.netloc}"
    if request.host not in {own.netloc, own.netloc.replace("127.0.0.1", "localhost", 1)}:
        return jsonify(error=f"this sandbox answers only at {address}"), 403
    if request.method in STATE_CHANGING:
        # A browser says where a request comes from in Sec-Fetch-Site; its Origin may be "null" (the
        # buyer's page sends no referrer). Without either header the caller is no browser: no CSRF.
        site, origin = request.headers.get("Sec-Fetch-Site"), request.headers.get("Origin")
        same = site in SAME_SITE if site is not None else origin in (None, address)
        if not same:
            return jsonify(error="the sandbox takes changes only from its own page"), 403
    return None


@sandbox.after_request
def _headers(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


@sandbox.errorhandler(MutualplanError)
def _refused(error: MutualplanError) -> tuple[Response, int]:
    return jsonify(error=str(error)), 400


def _static(name: str) -> Response:
    text = resources.files("mutualplan.web").joinpath("static", name).read_text(encoding="utf-8")
    return Response(text, mimetype=STATIC.get(name, "text/html"))


@sandbox.get("/")
def page() -> Response:
    """The sandbox: the spreadsheet beside the sidebar."""
    return _static("sandbox.html")


@sandbox.get("/sandbox/static/<name>")
def static_file(name: str) -> Response:
    """The page's script and style, served from here."""
    if name not in STATIC:
        abort(404)
    return _static(name)


@sandbox.get("/sandbox/api/state")
def state() -> Response:
    """The spreadsheets, the personas of one, today and the outbox's size."""
    made = the_sandbox()
    sheets = [{"id": item.id, "title": item.title, "plan": item.plan_id} for item in made.spreadsheets()]
    chosen = request.args.get("id") or (sheets[0]["id"] if sheets else "")
    personas = [
        {"email": item.email, "name": item.name, "side": item.side.value} for item in made.personas(chosen)
    ] if chosen else []  # fmt: skip
    sent = made.outbox()
    inboxes = Counter(address_key(parseaddr(entry.recipient)[1]) for entry in sent)  # a buyer's own count
    proposals = made.proposals(chosen) if chosen else []
    return jsonify(
        spreadsheets=sheets, personas=personas, today=made.today(), outbox=len(sent), inboxes=dict(inboxes),
        proposals=proposals,
    )  # fmt: skip


@sandbox.post("/sandbox/api/spreadsheets")
def new_spreadsheet() -> Response:
    """An empty spreadsheet, as Sheets' "Blank spreadsheet"."""
    return jsonify(id=the_sandbox().create(str(json_body().get("title") or "")))


@sandbox.get("/sandbox/api/sheet")
def sheet() -> Response:
    """A tab as the grid shows it: each cell's text, kind, dropdown options, note and colour."""
    view = the_sandbox().tab(request.args.get("id", ""), request.args.get("tab") or None)
    rows = [
        [
            {"a1": cell.a1, "text": cell.text, "kind": cell.kind.value, "options": list(cell.options),
             "note": cell.note, "colour": cell.colour,
             "standing": cell.standing._asdict() if cell.standing else None}
            for cell in row
        ]
        for row in view.rows
    ]  # fmt: skip
    sticky = {"header_row": view.header_row, "key_columns": view.key_columns}
    return jsonify(tabs=list(view.tabs), tab=view.tab, rows=rows, **sticky)


@sandbox.post("/sandbox/api/cell")
def edit() -> Response:
    """One edit by the persona, typed by its column; the plan is synced before the answer."""
    body = json_body()
    text = {name: str(body.get(name) or "") for name in ("id", "cell", "value", "as", "tab")}
    done = the_sandbox().edit(text["id"], text["cell"], text["value"], text["as"], text["tab"] or None)
    events = done.synced.events if done.synced else ()
    recorded = [
        f"{item.event.row}: {sentence(item.event)}" if item.event.row else sentence(item.event)
        for item in events
    ]
    value = done.value.value
    return jsonify(value=str(value) if value is not None else "", recorded=recorded, queued=done.queued)


@sandbox.post("/sandbox/api/today")
def move_today() -> Response:
    """Move the sandbox's today by days."""
    days = json_body().get("days", 0)
    if not isinstance(days, int) or abs(days) > 366:
        abort(400, "days is a whole number of days, at most a year")
    moved = the_sandbox().move_today(days)
    return jsonify(today=moved.today, sent=moved.sent, not_sent=moved.not_sent)


@sandbox.post("/sandbox/api/remind")
def run_reminders() -> Response:
    """Run today's reminders into the outbox."""
    return jsonify(the_sandbox().remind().as_json())


@sandbox.get("/sandbox/api/outbox")
def outbox() -> Response:
    """The messages reminders produced, newest first."""
    made = the_sandbox()
    messages = [
        {
            "id": entry.id,
            "to": entry.recipient,
            "from": entry.sender,
            "subject": entry.subject,
            "at": entry.sent_at,
            "kind": made.message(entry.id).get("X-Mutualplan-Reminder", ""),
        }
        for entry in made.outbox()
    ]
    return jsonify(messages=messages, not_sent=made.not_sent[::-1])


@sandbox.get("/sandbox/api/outbox/<int:number>")
def message(number: int) -> Response:
    """One message as the recipient would see it: its headers, text and HTML. Looked at as anyone else
    (`as`: the page's persona), its personal links are masked: a link only ever reaches its person."""
    try:
        parsed = the_sandbox().message(number)
    except NotFoundError:
        abort(404)
    theirs = address_key(request.args.get("as", "")) == address_key(parseaddr(str(parsed["To"]))[1])
    html, text = parsed.get_body(("html",)), parsed.get_body(("plain",))
    shown = html.get_content() if html is not None else ""
    plain = text.get_content() if text is not None else ""
    if not theirs:
        shown, plain = masked(shown), masked(plain)
    for part in parsed.walk():  # a picture the message carries, as a mail client shows it
        content_id = str(part.get("Content-ID") or "").strip("<>")
        payload = part.get_content() if content_id and part.get_content_maintype() == "image" else None
        if isinstance(payload, bytes):
            data = base64.b64encode(payload).decode()
            shown = shown.replace(f"cid:{content_id}", f"data:{part.get_content_type()};base64,{data}")
    headers = {name: str(parsed[name]) for name in ("From", "To", "Subject", "List-Unsubscribe")}
    return jsonify(
        headers=headers if theirs else {name: masked(value) for name, value in headers.items()},
        theirs=theirs,
        html=shown,
        text=plain,
    )


PERSONAL_LINK = re.compile(r"(/confirm/|/unsubscribe\?t=)[A-Za-z0-9_\-=%.]+")


def masked(text: str) -> str:
    """A message's text with every personal link's token taken out (the plan's own link has none)."""
    return PERSONAL_LINK.sub(r"\1…only-in-their-inbox", text)


@sandbox.get("/sandbox/timeline.svg")
def timeline() -> Response:
    """The plan's timeline, backward from go-live."""
    return timeline_response(the_sandbox().timeline(request.args.get("id", "")))
