"""The sandbox page's own endpoints: the grid, the personas, the clock, reminders and the outbox.

The sidebar in the page does not use these: it posts event objects to the add-on's endpoints."""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request

from mutualplan.adapters.local_workbook import LocalWorkbook
from mutualplan.app.remind import Remind, local_day
from mutualplan.app.stamping import plan_tab, set_cell
from mutualplan.bootstrap.local import Local, local_secret_key
from mutualplan.bootstrap.sandbox import SandboxClock, sandbox_services
from mutualplan.config import Config
from mutualplan.errors import MutualplanError
from mutualplan.plan.cells import cell_text
from mutualplan.plan.grid import a1
from mutualplan.plan.layout import Kind
from mutualplan.plan.model import Side
from mutualplan.plan.parse import parse
from mutualplan.plan.stakeholders import read_stakeholders
from mutualplan.web import create_app
from mutualplan.web.pictures import timeline_picture

sandbox = Blueprint("sandbox", __name__)
STATIC = {"sandbox.js": "text/javascript", "sandbox.css": "text/css"}
SECURITY_HEADERS = {
    # Nothing beyond this server: no CDN, no outside fonts, no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-src 'self' blob: data:; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class SandboxContext:
    """The embedded default and the clock the page moves."""

    local: Local
    clock: SandboxClock


def context() -> SandboxContext:
    """The sandbox of the current app."""
    found: SandboxContext = current_app.extensions["mutualplan_sandbox"]
    return found


def create_sandbox_app(local: Local, clock: SandboxClock, config: Config) -> Flask:
    """The whole add-on and the sandbox page over the embedded default (tokens skipped on loopback only)."""
    key = config.secret_key or local_secret_key(config.data)
    app = create_app(
        sandbox_services(local, clock), replace(config, public_url=local.base_url, secret_key=key)
    )
    app.config["SANDBOX"] = True
    app.extensions["mutualplan_sandbox"] = SandboxContext(local, clock)
    app.register_blueprint(sandbox)
    return app


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


def _workbook(spreadsheet_id: str) -> LocalWorkbook:
    return context().local.workspace.open(spreadsheet_id)


@sandbox.get("/sandbox/api/state")
def state() -> Response:
    """The spreadsheets, the personas of one, today and the outbox's size."""
    sandbox_now = context()
    local = sandbox_now.local
    sheets = [
        {"id": item.id, "title": item.title, "plan": item.plan_id} for item in local.workspace.spreadsheets()
    ]
    chosen = request.args.get("id") or (sheets[0]["id"] if sheets else "")
    return jsonify(
        spreadsheets=sheets,
        personas=_personas(chosen) if chosen else [],
        today=local_day(sandbox_now.clock.now(), "UTC").isoformat(),
        outbox=len(local.outbox.entries()),
    )


def _personas(spreadsheet_id: str) -> list[dict[str, str]]:
    workbook = _workbook(spreadsheet_id)
    marker = workbook.marker()
    owner = marker.owner if marker else "sam@vendor.example"
    found = [{"email": owner, "name": "You, the seller", "side": Side.VENDOR.value}]
    tab = marker.stakeholders_tab if marker else "Stakeholders"
    grids = workbook.read_tabs([tab])
    for person in read_stakeholders(grids.get(tab)):
        if person.side is Side.CUSTOMER and "@" in person.email:
            found.append(
                {"email": person.email, "name": f"{person.name} ({person.role})", "side": "customer"}
            )
    if marker is not None:  # and the customer's people the plan names as owners
        plan = parse(workbook.read(marker.tab)).plan
        for row in plan.rows:
            for named in row.owners:
                party = named.party
                if named.side is Side.CUSTOMER and party.email:
                    found.append({"email": party.email, "name": party.label, "side": "customer"})
    unique = {item["email"].casefold(): item for item in reversed(found)}
    return sorted(unique.values(), key=lambda item: (item["side"] != Side.VENDOR.value, item["name"]))


@sandbox.post("/sandbox/api/spreadsheets")
def new_spreadsheet() -> Response:
    """An empty spreadsheet, as Sheets' "Blank spreadsheet"."""
    title = str((request.get_json(silent=True) or {}).get("title") or "Untitled spreadsheet")
    return jsonify(id=context().local.workspace.create(title[:100]).spreadsheet_id)


@sandbox.get("/sandbox/api/sheet")
def sheet() -> Response:
    """A tab as the grid shows it: each cell's text, kind, dropdown options, note and colour."""
    workbook = _workbook(request.args.get("id", ""))
    tabs = workbook.tabs()
    tab = request.args.get("tab") or (plan_tab(workbook) if tabs else "")
    if not tab:
        return jsonify(tabs=[], tab="", rows=[])
    grid, table, marks = workbook.read(tab), workbook.table(tab), workbook.marks(tab)
    rows: list[list[dict[str, Any]]] = []
    for index, row in enumerate(grid.rows):
        cells = []
        for col, cell in enumerate(row):
            spec = (
                table.columns[col]
                if table and index > table.header_row and col < len(table.columns)
                else None
            )
            note, colour = marks.get((index, col), ("", ""))
            cells.append(
                {
                    "a1": a1(index + 1, col + 1), "text": cell_text(cell),
                    "kind": spec.kind.value if spec else Kind.TEXT.value,
                    "options": list(spec.options) if spec else [], "note": note, "colour": colour,
                }
            )  # fmt: skip
        rows.append(cells)
    return jsonify(tabs=tabs, tab=tab, rows=rows)


@sandbox.post("/sandbox/api/cell")
def edit() -> Response:
    """One edit by the persona, typed by its column; the plan is synced before the answer."""
    body = request.get_json(silent=True) or {}
    local = context().local
    workbook = _workbook(str(body.get("id", "")))
    value = set_cell(
        workbook,
        str(body.get("cell", "")).upper(),
        str(body.get("value", "")),
        str(body.get("as", "")),
        str(body.get("tab") or "") or None,
    )
    recorded: list[str] = []
    if workbook.marker() is not None:
        result = local.sync(workbook)
        recorded = [f"{item.event.row or 'plan'}: {item.event.describe()}" for item in result.events]
    return jsonify(value=str(value.value) if value.value is not None else "", recorded=recorded)


@sandbox.post("/sandbox/api/today")
def move_today() -> Response:
    """Move the sandbox's today by days."""
    days = (request.get_json(silent=True) or {}).get("days", 0)
    if not isinstance(days, int) or abs(days) > 366:
        abort(400, "days is a whole number of days, at most a year")
    sandbox_now = context()
    sandbox_now.clock.move(days)
    return jsonify(today=local_day(sandbox_now.clock.now(), "UTC").isoformat())


@sandbox.post("/sandbox/api/remind")
def run_reminders() -> Response:
    """Run today's reminders into the outbox."""
    sandbox_now = context()
    local = sandbox_now.local
    run = Remind(local.store, lambda sender: local.outbox, local.unsubscribe_url, sandbox_now.clock.now())
    return jsonify(run.run(local.store.plans()).as_json())


@sandbox.get("/sandbox/api/outbox")
def outbox() -> Response:
    """The messages reminders produced, newest first."""
    entries = context().local.outbox.entries()
    return jsonify(
        messages=[
            {
                "id": entry.id,
                "to": entry.recipient,
                "from": entry.sender,
                "subject": entry.subject,
                "at": entry.sent_at,
            }
            for entry in entries
        ]
    )


@sandbox.get("/sandbox/api/outbox/<int:number>")
def message(number: int) -> Response:
    """One message as the recipient would see it: its headers, text and HTML."""
    outbox = context().local.outbox
    entry = next((entry for entry in outbox.entries() if entry.id == number), None)
    if entry is None:
        abort(404)
    parsed = outbox.message(entry)
    html, text = parsed.get_body(("html",)), parsed.get_body(("plain",))
    return jsonify(
        headers={name: str(parsed[name]) for name in ("From", "To", "Subject", "List-Unsubscribe")},
        html=html.get_content() if html is not None else "",
        text=text.get_content() if text is not None else "",
    )


@sandbox.get("/sandbox/timeline.svg")
def timeline() -> Response:
    """The plan's timeline, backward from go-live."""
    local = context().local
    record = local.record_of(_workbook(request.args.get("id", "")))
    return timeline_picture(local.store, record, context().clock.now())
