"""The sidebar's CRM card and its buttons: link, find, push, the close date, contacts, connections."""

from __future__ import annotations

from typing import Any

from mutualplan.app import sidebar_crm
from mutualplan.web.addon import Answer, addon, card_answers, event, opening, urls
from mutualplan.web.cards import notify, update
from mutualplan.web.context import services
from mutualplan.web.crm_cards import (
    CLOSE_FIELD,
    FORECAST_FIELD,
    LINK_FIELD,
    PICKED_FIELD,
    SEARCH_FIELD,
    crm_card,
)

__all__ = ["addon"]  # the add-on's blueprint, with these buttons registered on it


def _card(view: sidebar_crm.CrmCardView | None = None) -> dict[str, Any]:
    return crm_card(view or sidebar_crm.crm_card(services(), opening()), urls())


def _said(text: str) -> Answer:
    """A notification, over the card as it stands after the change."""
    return notify(text, _card())


@addon.post("/crm", endpoint="crm")
@card_answers
def crm() -> Answer:
    """What a push writes for this plan, and its linked deal."""
    return update(_card())


@addon.post("/crm/link", endpoint="crm_link")
@card_answers
def crm_link() -> Answer:
    """Link the plan to a pasted URL or id, or to a deal a search found; pushed when connected."""
    current = event()
    pasted = current.parameters.get("record") or current.text(LINK_FIELD)
    said = sidebar_crm.link(services(), opening(current), pasted)
    return _said(said)


@addon.post("/crm/search", endpoint="crm_search")
@card_answers
def crm_search() -> Answer:
    """The seller's own open deals named like the customer."""
    current = event()
    view = sidebar_crm.search(
        services(), opening(current), current.parameters.get("crm", ""), current.text(SEARCH_FIELD)
    )
    return update(_card(view))


@addon.post("/crm/push", endpoint="crm_push")
@card_answers
def crm_push() -> Answer:
    """Push the plan's fields now."""
    return _said(sidebar_crm.push_now(services(), opening()))


@addon.post("/crm/close-date", endpoint="crm_close_date")
@card_answers
def crm_close_date() -> Answer:
    """Set the CRM's close date to the plan's signature, on this click alone."""
    return _said(sidebar_crm.close_date(services(), opening()))


@addon.post("/crm/check", endpoint="crm_check")
@card_answers
def crm_check() -> Answer:
    """What the plan says of a close date and forecast typed by hand."""
    current = event()
    forecast = next(iter(current.chosen(FORECAST_FIELD)), "")
    view = sidebar_crm.check_close_date(services(), opening(current), current.day(CLOSE_FIELD), forecast)
    return update(_card(view))


@addon.post("/crm/contacts", endpoint="crm_contacts")
@card_answers
def crm_contacts() -> Answer:
    """The deal's contacts, offered as Stakeholders rows."""
    return update(_card(sidebar_crm.contacts(services(), opening())))


@addon.post("/crm/contacts/add", endpoint="crm_add_contacts")
@card_answers
def crm_add_contacts() -> Answer:
    """Add the ticked contacts to the Stakeholders tab."""
    current = event()
    return _said(sidebar_crm.add_contacts(services(), opening(current), current.chosen(PICKED_FIELD)))


@addon.post("/crm/unlink", endpoint="crm_unlink")
@card_answers
def crm_unlink() -> Answer:
    """Unlink the plan from its deal."""
    return _said(sidebar_crm.unlink(services(), opening()))


@addon.post("/crm/connect", endpoint="crm_connect")
@card_answers
def crm_connect() -> Answer:
    """Connect a CRM through the deployment's own token."""
    current = event()
    return _said(sidebar_crm.connect(services(), opening(current), current.parameters.get("crm", "")))


@addon.post("/crm/disconnect", endpoint="crm_disconnect")
@card_answers
def crm_disconnect() -> Answer:
    """Forget the seller's sign-in to a CRM."""
    current = event()
    return _said(sidebar_crm.disconnect_crm(services(), opening(current), current.parameters.get("crm", "")))
