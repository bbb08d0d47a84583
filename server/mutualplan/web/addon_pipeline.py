"""The sidebar's Pipeline: the card, sharing, and stopping a share."""

from __future__ import annotations

from mutualplan.app import pipeline_weekly, sidebar_pipeline
from mutualplan.web.addon import Answer, addon, card_answers, event, opening, the_pipeline
from mutualplan.web.cards import notify, update
from mutualplan.web.context import services
from mutualplan.web.pipeline_cards import SHARE_FIELD

__all__ = ["addon"]  # the add-on's blueprint, with these buttons registered on it


@addon.post("/pipeline", endpoint="pipeline")
@card_answers
def pipeline() -> Answer:
    """Every deal the person who opened the sidebar may see, what needs attention first."""
    return update(the_pipeline(event()))


@addon.post("/pipeline/share", endpoint="share_pipeline")
@card_answers
def share_pipeline() -> Answer:
    """Share the opener's plans' health with a colleague at their domain, then show the card again."""
    current = event()
    said = sidebar_pipeline.share(services(), opening(current), current.text(SHARE_FIELD))
    return notify(said, the_pipeline(current))


@addon.post("/pipeline/stop", endpoint="stop_sharing")
@card_answers
def stop_sharing() -> Answer:
    """Stop sharing with one person, at once."""
    current = event()
    said = sidebar_pipeline.stop(services(), opening(current), current.parameters.get("viewer", ""))
    return notify(said, the_pipeline(current))


@addon.post("/pipeline/make", endpoint="make_pipeline")
@card_answers
def make_pipeline() -> Answer:
    """Make the opened spreadsheet the opener's Pipeline spreadsheet: written now, refreshed weekly."""
    current = event()
    said = pipeline_weekly.make_pipeline_sheet(services(), opening(current))
    return notify(said, the_pipeline(current))
