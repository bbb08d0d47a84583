"""The Sheets sidebar: every add-on trigger and button answers with card JSON.

Each endpoint reads the event, calls one sidebar journey (app.sidebar) and builds its card."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from flask import Blueprint, request, url_for

from mutualplan.app import sidebar, sidebar_pipeline
from mutualplan.app.sidebar_views import Gallery, HomeView, Opening, StampForm
from mutualplan.errors import GoogleApiError, InputError, MutualplanError, SecretKeyError
from mutualplan.web.auth import addon_only
from mutualplan.web.cards import (
    TemplateChoice,
    access_card,
    carrying_sheet,
    error_card,
    gallery_card,
    notify,
    push,
    request_file_scope,
    update,
)
from mutualplan.web.context import json_body, services
from mutualplan.web.events import AddonEvent
from mutualplan.web.pipeline_cards import pipeline_card
from mutualplan.web.plan_cards import home_card

addon = Blueprint("addon", __name__, url_prefix="/addon")
logger = logging.getLogger(__name__)
P = ParamSpec("P")
Answer = dict[str, Any]
TRIGGERS = frozenset({"addon.home", "addon.file_scope_granted"})  # answered with pushCard, not renderActions
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
    "links",
    "send_link",
    "reissue",
    "accept_proposal",
    "people",
    "save_people",
    "proposal",
    "counter_proposal",
    "decline_proposal",
    "pipeline",
    "share_pipeline",
    "stop_sharing",
    "make_pipeline",
    "crm",
    "crm_link",
    "crm_search",
    "crm_push",
    "crm_close_date",
    "crm_check",
    "crm_contacts",
    "crm_add_contacts",
    "crm_unlink",
    "crm_connect",
    "crm_disconnect",
)


def urls() -> dict[str, str]:
    """Every endpoint a card can call, as the absolute URLs Google posts to."""
    base = services().config.public_url
    return {name: base + url_for(f"addon.{name}") for name in ENDPOINTS}


def plan_urls(view: HomeView) -> dict[str, str]:
    """The endpoints, the owner's Connect link and the timeline picture (none when the server has no
    secret key to seal them with)."""
    links = services().links
    try:
        connect, picture = links.connect(view.owner), links.timeline(view.plan_id)
    except SecretKeyError:
        connect = picture = ""
    return {**urls(), "connect": connect, "timeline": picture}


def card_answers(endpoint: Callable[P, Answer]) -> Callable[P, Answer]:
    """Check the caller, turn every known failure into a card or a notification that says what to do, and
    have every button on the answer carry the spreadsheet's id (its event may come without it)."""

    @addon_only
    @wraps(endpoint)
    def answered(*args: P.args, **kwargs: P.kwargs) -> Answer:
        current = event()
        try:
            answer = endpoint(*args, **kwargs)
        except MutualplanError as exc:
            answer = _failure(exc)
        except Exception:  # a bug: its traceback goes to the log, never to the sidebar
            logger.exception("%s failed", request.endpoint)
            said = "It is logged for mutualplan's team; nothing was lost. Try again in a minute."
            answer = _shown(error_card("mutualplan hit an internal error", said, urls()["home"]))
        return carrying_sheet(answer, current.spreadsheet_id) if current.has_file_scope else answer

    return answered


def _failure(exc: MutualplanError) -> Answer:
    """The card (or notification) for a failure that stopped an endpoint."""
    if isinstance(exc, InputError):
        return notify(str(exc))
    if not isinstance(exc, GoogleApiError):
        return _shown(
            error_card("mutualplan could not finish that", f"{exc}. Try again in a minute.", urls()["home"])
        )
    if exc.rate_limited:
        return notify("Google is rate-limiting mutualplan: wait a minute, then try again")
    if exc.status in (401, 403):  # the user's own token does not reach the spreadsheet
        return _shown(access_card(urls(), refused=True))
    return _shown(error_card(*_google_problem(exc), urls()["home"]))


def _shown(built: dict[str, Any]) -> Answer:
    """A card as the answer: pushed for a trigger, in place of the current card for a button."""
    return push(built) if request.endpoint in TRIGGERS else update(built)


def _google_problem(exc: GoogleApiError) -> tuple[str, str]:
    if exc.status == 404:
        return "This spreadsheet is gone or no longer shared with you", "Open the plan from Drive again."
    if exc.status == 400:
        return "Google refused that", f"{exc}. Nothing was changed."
    return "Google is not answering right now", "Nothing was lost. Try again in a minute."


def event() -> AddonEvent:
    """The event object of this request."""
    return AddonEvent.of(json_body())


def opening(current: AddonEvent | None = None) -> Opening:
    """Who opened which spreadsheet, as the event says (no spreadsheet before access is granted)."""
    current = current or event()
    spreadsheet = current.spreadsheet_id if current.has_file_scope else ""
    return Opening(current.user_token, spreadsheet, current.spreadsheet_title, current.time_zone)


def home_or_gallery(found: HomeView | Gallery) -> dict[str, Any]:
    """The plan's home card, or the gallery for a spreadsheet with none."""
    if isinstance(found, HomeView):
        return home_card(found, plan_urls(found))
    choices = [TemplateChoice(t.name, t.title, t.description, len(t.rows)) for t in found.templates]
    return gallery_card(choices, found.first_go_live, urls(), found.notice)


def the_pipeline(current: AddonEvent) -> dict[str, Any]:
    """The Pipeline card of whoever opened the sidebar."""
    return pipeline_card(sidebar_pipeline.pipeline_card_view(services(), opening(current)), urls())


def opened(current: AddonEvent) -> dict[str, Any]:
    """What a spreadsheet opens on: its Pipeline card, when it is a Pipeline spreadsheet; else the plan's
    home card, or the gallery."""
    if services().store.pipeline_sheet(current.spreadsheet_id) is not None:
        return the_pipeline(current)
    return home_or_gallery(sidebar.home(services(), opening(current)))


@addon.post("/home")
@card_answers
def home() -> Answer:
    """The homepage trigger: ask for access, offer the gallery, or show the plan (or the Pipeline)."""
    current = event()
    if not current.has_file_scope:
        return push(access_card(urls()))
    return push(opened(current))


@addon.post("/file-scope-granted")
@card_answers
def file_scope_granted() -> Answer:
    """Access was just granted: go on to the gallery or the plan."""
    return push(opened(event()))


@addon.post("/request-access")
@card_answers
def request_access() -> Answer:
    """Ask Sheets to grant drive.file for this spreadsheet."""
    return request_file_scope()


@addon.post("/stamp", endpoint="stamp")
@card_answers
def stamp_plan() -> Answer:
    """Stamp the chosen template, dated backward from the go-live, then show the plan."""
    current = event()
    form = StampForm(
        current.text("template"), current.day("go_live"), current.text("deal"), current.text("customer"),
        current.text("customer_domain"), current.text("outcome"), "done" in current.chosen("started"),
        current.day("deadline"), current.text("champion"), current.text("team"),
    )  # fmt: skip
    view = sidebar.stamp(services(), opening(current), form)
    return notify("Plan stamped", home_card(view, plan_urls(view)))
