"""Pure builders of google.apps.card.v1 cards and the add-on's response envelopes (no I/O, no Flask).

Card text may carry simple HTML, so every text that came from a cell or a person is escaped here."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mutualplan.web.events import SHEET_PARAMETER

Card = dict[str, Any]
Widget = dict[str, Any]
TITLE = "mutualplan"


def esc(text: object) -> str:
    """Text as card HTML shows it, never as markup."""
    return html.escape(str(text), quote=False)


def action(url: str, **parameters: str) -> dict[str, Any]:
    """An onClick that posts the event to one of our endpoints."""
    call: dict[str, Any] = {"function": url}
    if parameters:
        call["parameters"] = [{"key": key, "value": value} for key, value in parameters.items()]
    return {"action": call}


def button(text: str, url: str, **parameters: str) -> Widget:
    """A button that calls one of our endpoints."""
    return {"text": text, "onClick": action(url, **parameters)}


def link_button(text: str, url: str, *, reload: bool = True) -> Widget:
    """A button that opens a page over the editor and reloads the sidebar when it closes; or, not
    reloading, a page in a tab of its own (the sheet, at a cell)."""
    if not reload:
        return {"text": text, "onClick": {"openLink": {"url": url, "openAs": "FULL_SIZE"}}}
    return {"text": text, "onClick": {"openLink": {"url": url, "openAs": "OVERLAY", "onClose": "RELOAD"}}}


def buttons(*items: Widget) -> Widget:
    """A row of buttons."""
    return {"buttonList": {"buttons": list(items)}}


def paragraph(text: str) -> Widget:
    """A paragraph of (already escaped) card text."""
    return {"textParagraph": {"text": text}}


def fact(label: str, value: object, icon: str | None = None, bottom: str = "") -> Widget:
    """A labelled figure. Only the text is formatted text (escaped); the labels are plain, so escaping
    them would show "&lt;" (GOOGLE_NOTES); the icon is one of Google's knownIcon names."""
    decorated: dict[str, Any] = {"topLabel": label, "text": esc(value), "wrapText": True}
    if bottom:
        decorated["bottomLabel"] = bottom
    if icon:
        decorated["startIcon"] = {"knownIcon": icon}
    return {"decoratedText": decorated}


def text_input(name: str, label: str, hint: str = "", *, value: str = "", multiline: bool = False) -> Widget:
    """A text field."""
    field: dict[str, Any] = {"name": name, "label": label}
    if hint:
        field["hintText"] = hint
    if value:
        field["value"] = value
    if multiline:
        field["type"] = "MULTIPLE_LINE"
    return {"textInput": field}


def choice(name: str, label: str, items: list[dict[str, Any]], kind: str = "DROPDOWN") -> Widget:
    """A dropdown (or check boxes, switches): items have text, value and selected."""
    return {"selectionInput": {"name": name, "label": label, "type": kind, "items": items}}


def section(widgets: Iterable[Widget], header: str = "", collapsible_after: int = 0) -> dict[str, Any]:
    """A card section; collapsible_after > 0 folds what follows that many widgets."""
    body: dict[str, Any] = {"widgets": list(widgets)}
    if header:
        body["header"] = esc(header)
    if collapsible_after and len(body["widgets"]) > collapsible_after:
        body["collapsible"] = True
        body["uncollapsibleWidgetsCount"] = collapsible_after
    return body


def card(subtitle: str, *sections: dict[str, Any], name: str = "") -> Card:
    """A card with the product's header."""
    built: Card = {"header": {"title": TITLE, "subtitle": subtitle}, "sections": list(sections)}  # plain text
    if name:
        built["name"] = name
    return built


def carrying_sheet(answer: Any, spreadsheet_id: str) -> Any:
    """The answer with the spreadsheet's id added to the parameters of every action that calls us back."""
    if isinstance(answer, list):
        return [carrying_sheet(item, spreadsheet_id) for item in answer]
    if not isinstance(answer, dict):
        return answer
    carried = {key: carrying_sheet(value, spreadsheet_id) for key, value in answer.items()}
    if "function" in carried:
        parameters = [item for item in carried.get("parameters", []) if item["key"] != SHEET_PARAMETER]
        carried["parameters"] = [*parameters, {"key": SHEET_PARAMETER, "value": spreadsheet_id}]
    return carried


# Envelopes: how a card goes back to Google.
def push(built: Card) -> dict[str, Any]:
    """The answer to a trigger: show this card."""
    return {"action": {"navigations": [{"pushCard": built}]}}


def update(built: Card) -> dict[str, Any]:
    """The answer to a widget action: replace the current card."""
    return {"renderActions": {"action": {"navigations": [{"updateCard": built}]}}}


def notify(text: str, built: Card | None = None) -> dict[str, Any]:
    """A short notification at the bottom of the sidebar, optionally with a new card."""
    answer: dict[str, Any] = {"notification": {"text": text}}
    if built is not None:
        answer["navigations"] = [{"updateCard": built}]
    return {"renderActions": {"action": answer}}


def request_file_scope() -> dict[str, Any]:
    """Ask Sheets to grant drive.file for the open spreadsheet."""
    return {"renderActions": {"hostAppAction": {"editorAction": {"requestFileScopeForActiveDocument": {}}}}}


# The cards.
def access_card(urls: Mapping[str, str], refused: bool = False) -> Card:
    """No file access yet (or Google refused the user's own token): say why, and ask for it."""
    said = (
        "<b>mutualplan can't open this spreadsheet as you.</b> Grant it access below, or ask the "
        "spreadsheet's owner to share it with you."
    )
    return card(
        "Mutual Action Plans",
        section(
            [
                *([paragraph(said)] if refused else []),
                paragraph(
                    "mutualplan keeps a dated plan both sides own in this spreadsheet. It needs access "
                    "to <b>this spreadsheet only</b> to stamp a plan, check it and record confirmations."
                ),
                buttons(button("Grant access to this spreadsheet", urls["request_access"])),
            ]
        ),
    )


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    """A template as the gallery offers it."""

    name: str
    title: str
    description: str
    rows: int


def gallery_card(
    templates: Sequence[TemplateChoice], go_live: date, urls: Mapping[str, str], notice: str = ""
) -> Card:
    """No plan here yet: pick a template, the customer's go-live and the customer → Stamp (the notice
    first, when the sheet carries a plan marker another app edited)."""
    items = [
        {"text": f"{item.title} ({item.rows} steps)", "value": item.name, "selected": index == 0}
        for index, item in enumerate(templates)
    ]
    descriptions = [fact(item.title, item.description) for item in templates]
    midnight = datetime(go_live.year, go_live.month, go_live.day, tzinfo=UTC)
    return card(
        "Start a Mutual Action Plan",
        *([section([paragraph(esc(notice))], "This sheet's plan marker was edited")] if notice else []),
        section(
            [
                paragraph("A plan is dated <b>backward from the customer's go-live</b>, with every track."),
                {
                    "selectionInput": {
                        "name": "template",
                        "label": "Template",
                        "type": "DROPDOWN",
                        "items": items,
                    }
                },
                {
                    "dateTimePicker": {
                        "name": "go_live",
                        "label": "Customer go-live",
                        "type": "DATE_ONLY",
                        "valueMsEpoch": str(int(midnight.timestamp() * 1000)),
                    }
                },
                {
                    "dateTimePicker": {
                        "name": "deadline",
                        "label": "External deadline, if any (a regulator's date, a contract expiry)",
                        "type": "DATE_ONLY",
                    }
                },
                text_input("customer", "Customer", "The customer's company name"),
                text_input("customer_domain", "Customer email domain", "customer.com"),
                text_input("deal", "Deal", "What the customer buys, in a few words"),
                {
                    "textInput": {
                        "name": "outcome",
                        "label": "Outcome, in the customer's words",
                        "type": "MULTIPLE_LINE",
                    }
                },
                text_input(
                    "champion", "Your champion at the customer (optional)", "Name <name@customer.com>"
                ),
                text_input(
                    "team",
                    "Your team (optional): one a line, as Role: Name <email>",
                    "Solutions engineer: Name <name@yourcompany.com>",
                    multiline=True,
                ),
                choice(
                    "started",
                    "Deal already under way?",
                    [
                        {
                            "text": "Steps planned before today are already done",
                            "value": "done",
                            "selected": False,
                        }
                    ],
                    kind="CHECK_BOX",
                ),
                paragraph(
                    "A go-live closer than the template needs is fine: the steps are squeezed between "
                    "today and the go-live, and the plan says how short the runway is."
                ),
                buttons(button("Stamp the plan", urls["stamp"])),
            ]
        ),
        section(descriptions, "The templates", collapsible_after=1),
        section(
            [
                paragraph("Or keep every deal you may see in this spreadsheet, refreshed each Monday."),
                buttons(
                    button("Pipeline: all your deals", urls["pipeline"]),
                    button("Make this my Pipeline spreadsheet", urls["make_pipeline"]),
                ),
            ],
            "Across deals",
        ),
    )


def error_card(problem: str, what_to_do: str, retry_url: str = "") -> Card:
    """Something failed: what, and what to do — never a stack trace."""
    widgets = [paragraph(f"<b>{esc(problem)}</b>"), paragraph(esc(what_to_do))]
    if retry_url:
        widgets.append(buttons(button("Try again", retry_url)))
    return card("Something needs your attention", section(widgets))
