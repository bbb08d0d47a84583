"""The CRM card: what a push writes (the CRM preview), the linked deal, the close date, contacts, and the
seller's connections."""

from __future__ import annotations

from collections.abc import Mapping

from mutualplan.app.crm import CrmAccount
from mutualplan.app.records import AccountStatus
from mutualplan.app.sidebar_crm import CrmCardView
from mutualplan.config import CRM_OAUTH, CRM_TOKEN
from mutualplan.plan.crm import NEVER_WRITTEN, OWNED_FIELDS, FieldType
from mutualplan.plan.crm.fields import HUBSPOT_NEXT_STEP, SALESFORCE_NEXT_STEP, shown_value
from mutualplan.plan.dates.reading import format_day
from mutualplan.web.cards import (
    Card,
    Widget,
    button,
    buttons,
    card,
    choice,
    esc,
    fact,
    link_button,
    paragraph,
    section,
    text_input,
)

LINK_FIELD, SEARCH_FIELD, PICKED_FIELD = "crm_record", "crm_search", "crm_contacts"
CLOSE_FIELD, FORECAST_FIELD = "crm_close", "crm_forecast"
FORECASTS = ("Pipeline", "Best case", "Commit")


def crm_card(view: CrmCardView, urls: Mapping[str, str]) -> Card:
    """The plan's CRM card."""
    linked = view.link is not None
    deal = _deal_section(view, urls)
    return card(
        f"{'CRM' if linked else 'CRM preview'} · {view.title}",
        *_finding_sections(view),
        *([deal] if linked else []),
        *_found_sections(view, urls),
        *_offered_sections(view, urls),
        _preview_section(view),
        *_check_sections(view, urls),
        *([] if linked else [deal]),
        _accounts_section(view, urls),
        section([buttons(button("Back", urls["home"]))]),
    )


def _finding_sections(view: CrmCardView) -> list[dict[str, object]]:
    if view.finding:
        header = "Close date not supported (P-CRM-CLOSE-UNSUPPORTED)"
        return [section([paragraph(f"⚠ {esc(view.finding)}")], header)]
    return [section([paragraph(esc(view.checked))], "Close date")] if view.checked else []


def _deal_section(view: CrmCardView, urls: Mapping[str, str]) -> dict[str, object]:
    if view.link is None:
        widgets: list[Widget] = [
            paragraph(
                "Link this plan to its opportunity or deal: mutualplan then keeps the fields below up to "
                "date in your CRM. The link stays on the server, never in the sheet the customer sees."
            ),
            text_input(LINK_FIELD, "Opportunity or deal", "Its Salesforce or HubSpot URL, or its id"),
            buttons(button("Link", urls["crm_link"])),
        ]
        connected = [account for account in view.accounts if account.status is AccountStatus.CONNECTED]
        if connected:
            widgets.append(
                text_input(SEARCH_FIELD, "Or find yours by name", "The customer's name, by default")
            )
            widgets.append(
                buttons(
                    *(
                        button(f"Find in {each.crm.label}", urls["crm_search"], crm=each.crm.value)
                        for each in connected
                    )
                )
            )
        return section(widgets, "Linked deal")
    crm = view.link.crm
    named = f"{view.deal.name} ({view.link.record_id})" if view.deal else view.link.record_id
    pushed = view.link.pushed_at
    last = f"last pushed {shown_value(FieldType.MOMENT, pushed)}" if pushed else "not pushed yet"
    widgets = [fact(f"{crm.label} {crm.record}", named, "BOOKMARK", bottom=last)]
    if view.deal is not None:
        close = format_day(view.deal.close_date) if view.deal.close_date else "none"
        widgets.append(
            fact(
                "Close date · stage · forecast",
                f"{close} · {view.deal.stage or '–'} · {view.deal.forecast or '–'}",
                "DESCRIPTION",
                bottom="The seller's own: mutualplan writes them only on your click",
            )
        )
    if view.problem:
        widgets.append(paragraph(esc(view.problem)))
    if view.deal is not None:
        widgets.append(
            buttons(
                button("Push now", urls["crm_push"]), button("Contacts as stakeholders", urls["crm_contacts"])
            )
        )
    if view.can_set_close_date:
        widgets.append(
            buttons(button("Set the CRM close date to the plan's signature", urls["crm_close_date"]))
        )
    widgets.append(buttons(button("Unlink", urls["crm_unlink"])))
    return section(widgets, "Linked deal")


def _found_sections(view: CrmCardView, urls: Mapping[str, str]) -> list[dict[str, object]]:
    if not view.found:
        return []
    widgets: list[Widget] = []
    for deal in view.found:
        close = format_day(deal.close_date) if deal.close_date else "no close date"
        widgets.append(fact(deal.account or "Deal", deal.name, bottom=f"closes {close} · {deal.stage}"))
        widgets.append(buttons(button("Link this one", urls["crm_link"], record=deal.id)))
    return [section(widgets, "Your open deals", collapsible_after=8)]


def _offered_sections(view: CrmCardView, urls: Mapping[str, str]) -> list[dict[str, object]]:
    if not view.offered:
        return []
    items = [
        {
            "text": f"{person.name} <{person.email}>" + (f", {person.role}" if person.role else ""),
            "value": person.email,
            "selected": False,
        }
        for person in view.offered
    ]
    return [
        section(
            [
                paragraph(
                    "The deal's people not on the Stakeholders tab. Tick those to add, on the customer's "
                    "side: nobody is added unless you pick them."
                ),
                choice(PICKED_FIELD, "Add to Stakeholders", items, "CHECK_BOX"),
                buttons(button("Add the ticked people", urls["crm_add_contacts"])),
            ],
            "Contacts from the deal",
        )
    ]


def _preview_section(view: CrmCardView) -> dict[str, object]:
    salesforce = view.preview.salesforce
    widgets: list[Widget] = [
        paragraph(
            "Exactly what a push writes, and nothing else. The close date, stage, amount and forecast "
            "category are yours: never written on their own."
        )
    ]
    for item in OWNED_FIELDS:
        shown = shown_value(item.kind, view.preview.values[item.key])
        widgets.append(fact(item.label, shown, bottom=f"{item.salesforce} · {item.hubspot}"))
    widgets.append(
        fact(
            "Next Step",
            salesforce[SALESFORCE_NEXT_STEP],
            bottom=f"{SALESFORCE_NEXT_STEP} · {HUBSPOT_NEXT_STEP}",
        )
    )
    never = ", ".join(NEVER_WRITTEN["salesforce"])
    hubspot = ", ".join(NEVER_WRITTEN["hubspot"])
    widgets.append(paragraph(f"<i>Never written by a push: {esc(never)} (HubSpot: {esc(hubspot)}).</i>"))
    return section(widgets, "What a push writes", collapsible_after=6)


def _check_sections(view: CrmCardView, urls: Mapping[str, str]) -> list[dict[str, object]]:
    if view.link is not None:
        return []
    forecasts = [{"text": name, "value": name, "selected": name == "Pipeline"} for name in FORECASTS]
    return [
        section(
            [
                paragraph("No CRM linked? Check the close date your CRM holds against the plan."),
                {
                    "dateTimePicker": {
                        "name": CLOSE_FIELD,
                        "label": "Your CRM's close date",
                        "type": "DATE_ONLY",
                    }
                },
                choice(FORECAST_FIELD, "Forecast category", forecasts),
                buttons(button("Check", urls["crm_check"])),
            ],
            "Check a close date",
        )
    ]


def _accounts_section(view: CrmCardView, urls: Mapping[str, str]) -> dict[str, object]:
    widgets: list[Widget] = []
    for account in view.accounts:
        widgets += _account_widgets(account, urls)
    return section(widgets, "Your CRM connections")


def _account_widgets(account: CrmAccount, urls: Mapping[str, str]) -> list[Widget]:
    crm = account.crm
    if not account.mode:
        return [
            fact(
                crm.label,
                "not set up on this server",
                bottom="Its administrator sets it up (the guide: Deploying to Google, The CRMs)",
            )
        ]
    if account.status is AccountStatus.CONNECTED:
        return [
            fact(crm.label, "connected", "STAR"),
            buttons(button(f"Disconnect {crm.label}", urls["crm_disconnect"], crm=crm.value)),
        ]
    label = f"Reconnect {crm.label}" if account.status is AccountStatus.RECONNECT else f"Connect {crm.label}"
    said = (
        f"{crm.label} no longer takes your sign-in: pushes have stopped"
        if account.status
        else "not connected"
    )
    if account.mode == CRM_OAUTH and account.connect_url:
        return [fact(crm.label, said), buttons(link_button(label, account.connect_url))]
    assert account.mode == CRM_TOKEN
    return [fact(crm.label, said), buttons(button(label, urls["crm_connect"], crm=crm.value))]
