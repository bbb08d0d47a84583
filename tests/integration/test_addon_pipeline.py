"""The sidebar's Pipeline card: the deals the opener may see, each opening its spreadsheet; sharing with a
colleague at the owner's domain, and stopping it, from the card; nothing for anyone else."""

from __future__ import annotations

from typing import Any

from mutualplan.app.pipeline import Place
from tests.integration.addon_world import SELLER, World, answer, notification, only_card, stamped, texts

LEAD = "lea@vendor.io"


def deal_texts(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The card's deal rows: each a decorated text that opens a spreadsheet."""
    return [
        widget["decoratedText"]
        for section in card["sections"]
        for widget in section["widgets"]
        if "openLink" in widget.get("decoratedText", {}).get("onClick", {})
    ]


def test_the_home_card_and_the_gallery_open_the_pipeline(there: World) -> None:
    there.spreadsheet()
    gallery = texts(only_card(answer(there, "/addon/home")))
    assert "Pipeline: all your deals" in gallery
    stamped(there)
    assert "Pipeline: all your deals" in texts(only_card(answer(there, "/addon/home")))


def test_the_seller_sees_their_deal_which_opens_its_spreadsheet(there: World) -> None:
    stamped(there)
    card = only_card(answer(there, "/addon/pipeline"))
    (deal,) = deal_texts(card)
    assert "At risk</b></font> · Northwind — MAP<br>" in deal["text"]  # with the first reason why
    assert deal["onClick"]["openLink"]["url"] == "https://docs.google.com/spreadsheets/d/sheet-1/edit"
    assert deal["topLabel"] == "signature not supported · nothing due in 30 days"
    assert "1 deal:" in texts(card)


def test_a_colleague_sees_nothing_until_shared_with_and_nothing_again_once_stopped(there: World) -> None:
    stamped(there)
    assert deal_texts(only_card(answer(there, "/addon/pipeline", user=LEAD))) == []
    shared = answer(there, "/addon/pipeline/share", form={"share_with": [LEAD]})
    assert notification(shared) == f"{LEAD} now sees your plans' health in their pipeline."
    assert f"shared with {LEAD}" in texts(only_card(shared))
    seen = only_card(answer(there, "/addon/pipeline", user=LEAD))
    (deal,) = deal_texts(seen)
    assert SELLER in deal["topLabel"]
    assert f"Shared with you by {SELLER}" in texts(seen)
    assert [view.place for view in there.store.pipeline_views_by(LEAD)] == [Place.CARD.value]
    stopped = answer(there, "/addon/pipeline/stop", parameters={"viewer": LEAD})
    assert notification(stopped) == f"{LEAD} no longer sees your plans."
    assert deal_texts(only_card(answer(there, "/addon/pipeline", user=LEAD))) == []


def test_sharing_outside_the_owners_domain_is_refused_and_shares_nothing(there: World) -> None:
    stamped(there)
    refused = answer(there, "/addon/pipeline/share", form={"share_with": ["jane@northwind.com"]})
    assert notification(refused).startswith("your plans' health can be shared only with people at vendor.io")
    assert there.store.shared_with(SELLER) == []
    assert deal_texts(only_card(answer(there, "/addon/pipeline", user="jane@northwind.com"))) == []


def test_the_pipeline_card_holds_no_buyers_link(there: World) -> None:
    stamped(there)
    answer(there, "/addon/pipeline/share", form={"share_with": [LEAD]})
    shown = texts(only_card(answer(there, "/addon/pipeline", user=LEAD)))
    assert "/confirm" not in shown
    assert "northwind.com" not in shown
