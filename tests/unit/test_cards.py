"""Every card the builders can make parses strictly as google.apps.card.v1.Card, in every state."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html import escape
from typing import Any

import pytest
from google.apps import card_v1

from mutualplan.app.records import AccountStatus
from mutualplan.app.sidebar_views import AskPreview, HomeView, Unconfirmed
from mutualplan.plan.checks.health import Health, SlipSummary
from mutualplan.plan.checks.review import review
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.events import Event, EventKind, Trust
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.web.addon import ENDPOINTS
from mutualplan.web.cards import TemplateChoice, access_card, error_card, fact, gallery_card
from mutualplan.web.plan_cards import (
    activity_card,
    ask_card,
    days_text,
    findings_card,
    home_card,
    reminders_card,
)
from tests.support import TODAY, healthy_rows, risks_sheet, sheet

URLS = {name: f"https://mp.example/addon/{name}" for name in ENDPOINTS} | {
    "connect": "https://mp.example/oauth/start?ticket=t"
}
HEALTH = Health(0.5, 2, 1, 1, "verified", 5, ("business", "paper"), 2, 7, 1, SlipSummary(2, 9, 7), 9, 72, 63)
EVENT = StoredEvent(
    1, datetime(2026, 11, 22, 9, 30, tzinfo=UTC), "v1:confirmed:M03:dates",
    Event(EventKind.CONFIRMED, "M03", "dates", "", "2026-12-01 → 2026-12-08", "<Jane>", Trust.VERIFIED, 14),
    "0" * 64, "1" * 64,
)  # fmt: skip


def strict(card: dict[str, Any]) -> str:
    card_v1.Card.from_json(json.dumps(card), ignore_unknown_fields=False)
    return json.dumps(card, ensure_ascii=False)


@pytest.mark.parametrize("account", [None, AccountStatus.CONNECTED, AccountStatus.RECONNECT])
def test_the_home_card_says_where_background_work_stands(account: AccountStatus | None) -> None:
    shown = strict(home_card(HomeView("plan-1", "Northwind <Bank>", HEALTH, account, "sam@vendor.io"), URLS))
    assert '"subtitle": "Northwind <Bank>"' in shown  # a header is plain text: shown as typed, never markup
    assert "50% (1 of 2)" in shown
    assert "2, 9 days in all" in shown
    assert {None: "Connect", "connected": "sam@vendor.io", "reconnect needed": "Reconnect"}[account] in shown


def test_a_customer_domain_moved_after_verification_heads_the_sellers_home_card() -> None:
    moved = "The customer domain changed from acme.com to <evil>.example after acme.com had verified"
    view = HomeView("plan-1", "Deal", HEALTH, None, "sam@vendor.io", warning=moved)
    card = home_card(view, URLS)
    strict(card)
    first = card["sections"][0]
    assert first["header"] == "Look into this"
    assert first["widgets"][0]["textParagraph"]["text"] == f"⚠ {escape(moved)}."
    calm = home_card(HomeView("plan-1", "Deal", HEALTH, None, "sam@vendor.io"), URLS)
    assert "Look into this" not in json.dumps(calm)


def test_a_home_card_without_a_connect_link_says_what_the_administrator_sets() -> None:
    shown = strict(
        home_card(HomeView("plan-1", "Deal", HEALTH, None, "sam@vendor.io"), {**URLS, "connect": ""})
    )
    assert "MUTUALPLAN_SECRET_KEY" in shown


def test_the_gallery_access_and_error_cards_parse() -> None:
    gallery = strict(gallery_card([TemplateChoice("a", "A <b>", "For <i>", 12)], date(2027, 6, 1), URLS))
    assert '"text": "A <b> (12 steps)"' in gallery  # a dropdown item is plain text, shown as it is
    assert '"text": "For &lt;i&gt;"' in gallery  # decorated text is card HTML: escaped
    assert '"valueMsEpoch": "1811808000000"' in gallery
    assert "this spreadsheet only" in strict(access_card(URLS))
    assert "Try again" in strict(error_card("<Broken>", "Do this", URLS["home"]))


def test_findings_are_grouped_by_severity_then_row_and_a_clean_plan_says_so() -> None:
    rows = healthy_rows()
    rows[1]["Customer owner"] = "Legal"
    shown = strict(findings_card(review(sheet(rows), TODAY), URLS))
    assert "To fix" in shown
    assert "Row 14 · Business case approved by the CFO" in shown
    clean = strict(findings_card(review(sheet(healthy_rows()), TODAY, risks=risks_sheet()), URLS))
    assert "Every row has a named owner" in clean


def test_activity_ask_and_reminders_cards_parse_in_each_state() -> None:
    assert "Nothing recorded yet" in strict(activity_card([], URLS))
    activity = strict(activity_card([EVENT], URLS))
    assert '"header": "22 Nov 2026"' in activity  # grouped by day
    assert '"topLabel": "09:30 UTC · M03"' in activity
    assert "&lt;Jane&gt; confirmed 1 Dec 2026 – 8 Dec 2026" in activity  # card text: escaped
    assert "materialIcon" not in activity
    assert "Every open step" in strict(ask_card(AskPreview((), "", ""), URLS))
    soon = Unconfirmed(14, "Kickoff", date(2026, 12, 8), "Jane")
    asked = strict(ask_card(AskPreview((soon,), "", "Confirm?"), URLS))
    assert "name one on the Stakeholders tab" in asked
    assert '"selected": false' in strict(reminders_card(ReminderSettings(5, digest=False), URLS))


@pytest.mark.parametrize(
    ("days", "text"),
    [(None, "no go-live date in the plan"), (0, "today"), (1, "in 1 day"), (-3, "3 days ago")],
)
def test_countdowns_read_as_words(days: int | None, text: str) -> None:
    assert days_text(days, "go-live") == text


def test_formatted_text_is_escaped_labels_stay_plain_and_icons_are_known_icons() -> None:
    built = fact("<Label>", "<b>value</b> & more", "STAR", bottom="<bottom>")
    decorated = built["decoratedText"]
    assert decorated["text"] == "&lt;b&gt;value&lt;/b&gt; &amp; more"  # formatted text: escaped
    assert (decorated["topLabel"], decorated["bottomLabel"]) == ("<Label>", "<bottom>")  # plain: as typed
    assert decorated["startIcon"] == {"knownIcon": "STAR"}
    card_v1.Card.from_json(json.dumps({"sections": [{"widgets": [built]}]}), ignore_unknown_fields=False)
