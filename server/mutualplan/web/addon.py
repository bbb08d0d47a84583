"""The Sheets sidebar: every add-on trigger and button answers with card JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, ParamSpec

from flask import Blueprint, current_app, request, url_for

from mutualplan.adapters.google.transport import RATE_LIMIT_REASONS
from mutualplan.adapters.sealing import SecretKeyError
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.ports import Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import services
from mutualplan.app.stamping import adopt_copy, new_plan_id, stamp
from mutualplan.app.sync import history_of
from mutualplan.app.watch import GooglePlan, track_google_plan
from mutualplan.errors import GoogleApiError, InputError, MutualplanError
from mutualplan.plan.layout import PlanMarker
from mutualplan.plan.review import review
from mutualplan.plan.stamp import Deal
from mutualplan.plan.template import TemplateError
from mutualplan.web.auth import addon_only
from mutualplan.web.cards import (
    TemplateChoice,
    access_card,
    error_card,
    gallery_card,
    notify,
    push,
    request_file_scope,
    update,
)
from mutualplan.web.events import AddonEvent
from mutualplan.web.oauth import connect_url
from mutualplan.web.pictures import timeline_url
from mutualplan.web.plan_cards import (
    Account,
    HomeView,
    home_card,
)

addon = Blueprint("addon", __name__, url_prefix="/addon")
P = ParamSpec("P")
Answer = dict[str, Any]
TRIGGERS = frozenset({"addon.home", "addon.file_scope_granted"})  # answered with pushCard, not renderActions
ACTIVITY_SHOWN = 20
# Every endpoint a card can call, by its name on the blueprint.
ENDPOINTS = (
    "home",
    "request_access",
    "stamp",
    "validate",
    "activity",
    "ask",
    "ask_send",
    "reminders",
    "save_reminders",
)
GALLERY_WEEKS = 26  # the gallery's first go-live: six months out


def urls() -> dict[str, str]:
    """Every endpoint a card can call, as the absolute URLs Google posts to."""
    base = current_app.config["PUBLIC_URL"]
    return {name: base + url_for(f"addon.{name}") for name in ENDPOINTS}


def plan_urls(record: PlanRecord) -> dict[str, str]:
    """The endpoints, and the owner's Connect link (sealed: only the owner can use it; none when the
    server has no secret key to seal it with)."""
    try:
        connect, picture = connect_url(record.owner), timeline_url(record.id)
    except SecretKeyError:
        connect = picture = ""
    return {**urls(), "connect": connect, "timeline": picture}


def card_answers(endpoint: Callable[P, Answer]) -> Callable[P, Answer]:
    """Check the caller, and turn every known failure into a card or a notification that says what to do."""

    @addon_only
    @wraps(endpoint)
    def answered(*args: P.args, **kwargs: P.kwargs) -> Answer:
        try:
            return endpoint(*args, **kwargs)
        except InputError as exc:
            return notify(str(exc))
        except GoogleApiError as exc:
            if exc.status == 429 or exc.reason in RATE_LIMIT_REASONS:
                return notify("Google is rate-limiting mutualplan: wait a minute, then try again")
            problem, what = _google_problem(exc)
            built = error_card(problem, what, urls()["home"])
        except MutualplanError as exc:
            built = error_card(
                "mutualplan could not finish that", f"{exc}. Try again in a minute.", urls()["home"]
            )
        return push(built) if request.endpoint in TRIGGERS else update(built)

    return answered


def _google_problem(exc: GoogleApiError) -> tuple[str, str]:
    if exc.status in (401, 403):
        return (
            "mutualplan can't open this spreadsheet",
            "Grant access to this spreadsheet from the sidebar (mutualplan asks for this file only), "
            "or ask its owner to share it with you.",
        )
    if exc.status == 404:
        return "This spreadsheet is gone or no longer shared with you", "Open the plan from Drive again."
    return "Google is not answering right now", "Nothing was lost. Try again in a minute."


def event() -> AddonEvent:
    """The event object of this request."""
    return AddonEvent.of(request.get_json(silent=True))


def today_of(current: AddonEvent) -> date:
    """Today where the spreadsheet is."""
    return services().now().astimezone(current.zone).date()


@addon.post("/home")
@card_answers
def home() -> Answer:
    """The homepage trigger: ask for access, offer the gallery, or show the plan."""
    current = event()
    if not current.has_file_scope:
        return push(access_card(urls()))
    return push(_plan_or_gallery(current))


@addon.post("/file-scope-granted")
@card_answers
def file_scope_granted() -> Answer:
    """Access was just granted: go on to the gallery or the plan."""
    return push(_plan_or_gallery(event()))


@addon.post("/request-access")
@card_answers
def request_access() -> Answer:
    """Ask Sheets to grant drive.file for this spreadsheet."""
    return request_file_scope()


def _workbook(current: AddonEvent) -> Workbook:
    if not current.has_file_scope:
        raise InputError("Grant mutualplan access to this spreadsheet first")
    return services().workbook_for(current.user_token, current.spreadsheet_id)


def _plan_or_gallery(current: AddonEvent) -> dict[str, Any]:
    workbook = _workbook(current)
    marker = workbook.marker()
    if marker is None:
        choices = [
            TemplateChoice(t.name, t.title, t.description, len(t.rows)) for t in TemplateFolder().all()
        ]
        from datetime import timedelta

        return gallery_card(choices, today_of(current) + timedelta(weeks=GALLERY_WEEKS), urls())
    record = _record(current, workbook, marker)
    return home_card(home_view(current, workbook, record), plan_urls(record))


def _record(current: AddonEvent, workbook: Workbook, marker: PlanMarker) -> PlanRecord:
    """The store's record of the plan here: a copy is adopted, a plan the store lost is followed again."""
    wired = services()
    if marker.is_copy_in(current.spreadsheet_id):
        adopted = adopt_copy(workbook, new_plan_id(), wired.user_email(current.user_token))
        if adopted is not None:
            return _follow(current, workbook, adopted)
    return wired.store.plan(marker.plan_id) or _follow(current, workbook, marker)


def _follow(current: AddonEvent, workbook: Workbook, marker: PlanMarker) -> PlanRecord:
    wired = services()
    title = current.spreadsheet_title or marker.tab
    record = PlanRecord.of(marker, wired.workbook_kind, title, wired.now(), current.time_zone)
    drive = wired.drive_for_token(current.user_token)
    access = GooglePlan(workbook, drive, current.spreadsheet_id)
    track_google_plan(wired.store, drive, access, record, wired.hook_address, wired.now)
    return record


def home_view(current: AddonEvent, workbook: Workbook, record: PlanRecord) -> HomeView:
    wired = services()
    report = review(
        workbook.read(record.tabs[0]), today_of(current), None, history_of(wired.store, record.id)
    )
    account = wired.store.account(record.owner) if record.owner else None
    state = Account.MISSING if account is None else account.status
    title = " — ".join(part for part in (report.plan.head.customer, report.plan.head.deal) if part)
    return HomeView(title or record.title, report.health, state, record.owner)


def current_plan(current: AddonEvent) -> tuple[Workbook, PlanRecord]:
    workbook = _workbook(current)
    marker = workbook.marker()
    if marker is None:
        raise InputError("This spreadsheet holds no plan yet: stamp one from the gallery")
    return workbook, _record(current, workbook, marker)


@addon.post("/stamp", endpoint="stamp")
@card_answers
def stamp_plan() -> Answer:
    """Stamp the chosen template, dated backward from the go-live, then show the plan."""
    current, wired = event(), services()
    workbook = _workbook(current)
    if workbook.marker() is not None:
        raise InputError("This spreadsheet already holds a plan")
    name, go_live = current.text("template"), current.day("go_live")
    if go_live is None:
        raise InputError("Pick the customer's go-live date")
    domain = current.text("customer_domain").lstrip("@").lower()
    if domain and ("." not in domain or " " in domain):
        raise InputError(f"'{domain}' is not an email domain such as northwind.com")
    owner = wired.user_email(current.user_token)
    deal = Deal(
        go_live, current.text("deal"), current.text("customer"), domain, owner, current.text("outcome")
    )
    try:
        marker = stamp(workbook, TemplateFolder().named(name), deal, today_of(current), new_plan_id())
    except TemplateError as exc:
        raise InputError(str(exc)) from exc
    record = _follow(current, workbook, marker)
    return notify("Plan stamped", home_card(home_view(current, workbook, record), plan_urls(record)))
