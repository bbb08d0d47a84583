"""The Pipeline card parses strictly, escapes what people typed, colours each status, and stays light."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

from PIL import Image

from mutualplan.app.pipeline import Deal, Pipeline
from mutualplan.app.pipeline_picture import MARGIN, PICTURE_ALT, ROW, WIDTH, pipeline_png
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.sidebar_pipeline import PipelineCardView
from mutualplan.plan.pipeline import DealStatus, Trend, score_week
from mutualplan.web.pipeline_cards import SHOWN_DEALS, pipeline_card
from tests.deals import MONDAY, signed_plan, weekly_plan
from tests.unit.test_cards import URLS, strict

VIEWER = "sam@vendor.io"


def deal(index: int, title: str = "", owner: str = VIEWER) -> Deal:
    record = PlanRecord(
        f"p{index}", f"s{index}", WorkbookKind.GOOGLE, owner, title or f"Deal {index}", datetime.now(UTC)
    )
    first = score_week(weekly_plan(), (), MONDAY)
    later = score_week(weekly_plan(), (), MONDAY + timedelta(weeks=1), first)
    return Deal(record, (first, later))


def view(*deals: Deal, shared: tuple[str, ...] = (), others: tuple[str, ...] = ()) -> PipelineCardView:
    opens = {
        item.record.id: f"https://docs.google.com/spreadsheets/d/{item.record.spreadsheet_id}/edit"
        for item in deals
    }
    return PipelineCardView(Pipeline(VIEWER, deals), opens, shared, others)


def test_a_deal_shows_its_status_signature_rate_trend_milestone_and_slips_and_opens_its_sheet() -> None:
    shown = strict(pipeline_card(view(deal(1)), URLS))
    assert "On track</b></font> · Deal 1" in shown
    assert "signature not supported · 80% confirmed ↓" in shown
    assert "next: Contract signed, 5 Apr 2027 (not confirmed) · 0 slips this week" in shown
    assert "https://docs.google.com/spreadsheets/d/s1/edit" in shown


def test_a_typed_title_is_escaped_and_anothers_deal_names_its_owner() -> None:
    shown = strict(pipeline_card(view(deal(1, "<b>Acme</b> & co", owner="lea@vendor.io")), URLS))
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; co" in shown
    assert "<b>Acme</b>" not in shown
    assert "· lea@vendor.io" in shown


def test_a_long_pipeline_shows_the_first_deals_and_says_how_many_more() -> None:
    shown = strict(pipeline_card(view(*(deal(index) for index in range(SHOWN_DEALS + 7))), URLS))
    assert f"Deal {SHOWN_DEALS - 1}" in shown
    assert "and 7 more" in shown


def test_sharing_both_ways_is_shown_with_a_button_to_stop_each() -> None:
    shown = strict(pipeline_card(view(shared=("lea@vendor.io",), others=("max@vendor.io",)), URLS))
    assert "Stop sharing with lea@vendor.io" in shown
    assert "Shared with you by max@vendor.io" in shown
    assert "No deals yet" in shown


def test_a_provisional_deal_says_its_figures_are_todays() -> None:
    record = PlanRecord("p1", "s1", WorkbookKind.GOOGLE, VIEWER, "Fresh", datetime.now(UTC))
    score = score_week(signed_plan(date(2027, 3, 22)), (), MONDAY)
    fresh = Deal(record, (score,), provisional=True)
    assert "today's figures" in strict(pipeline_card(view(fresh), URLS))


def test_the_pipeline_picture_draws_a_row_a_deal_at_the_sidebars_width() -> None:
    trend = deal(1).trend
    rows = [("Deal 1", DealStatus.STALLED, trend), ("Deal 2", DealStatus.ON_TRACK, trend)]
    picture = Image.open(BytesIO(pipeline_png(rows)))
    assert picture.format == "PNG"
    assert picture.size == (WIDTH, 2 * ROW + MARGIN)
    gaps = Trend((MONDAY, MONDAY + timedelta(weeks=1)), (None, None))  # nothing fell due: no line, no crash
    quiet = Image.open(BytesIO(pipeline_png([("Quiet", DealStatus.ON_TRACK, gaps)])))
    assert quiet.size == (WIDTH, ROW + MARGIN)
    assert Image.open(BytesIO(pipeline_png([]))).size == (WIDTH, MARGIN)  # no deal: a blank strip


def test_a_card_with_a_picture_shows_it_with_words_for_who_cannot_see_it() -> None:
    shown = view(deal(1))
    pictured = PipelineCardView(shown.pipeline, shown.opens, (), (), "https://mp.example/pipeline.png?t=x")
    images = [
        widget["image"]
        for section in pipeline_card(pictured, URLS)["sections"]
        for widget in section["widgets"]
        if "image" in widget
    ]
    assert images == [{"imageUrl": "https://mp.example/pipeline.png?t=x", "altText": PICTURE_ALT}]
    assert "image" not in strict(pipeline_card(shown, URLS))  # no secret key to seal a link with: no picture
