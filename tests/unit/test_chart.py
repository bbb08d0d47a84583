"""The timeline laid out once, drawn twice: the wide SVG for a browser, the compact PNG for a card or an
email, legible at the sidebar's width."""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files
from io import BytesIO
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageColor, ImageFont

from mutualplan.app.picture import fitted, timeline_png
from mutualplan.plan.history.diff import diff
from mutualplan.plan.history.past import ConfirmedDates, Slip
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.pictures.chart import (
    COLOURS,
    COMPACT,
    INK,
    WIDE,
    Chart,
    Rule,
    chart_of,
    state_of,
    text_width,
)
from mutualplan.plan.sheet.grid import CellValue
from mutualplan.plan.sheet.parse import parse
from mutualplan.web.timeline import timeline_svg
from tests.support import HEAD, TODAY, Row, confirmers_ticked, healthy_rows, sheet

FONT = files("mutualplan.app") / "fonts" / "DejaVuSans.ttf"


def snapshot_of(rows: list[Row], head: dict[str, CellValue] | None = None) -> Snapshot:
    plan = parse(sheet(rows, {**HEAD, **(head or {})})).plan
    return diff(None, plan, confirmers_ticked(plan)).snapshot


def many_rows(count: int) -> list[Row]:
    """The healthy plan's first row, repeated a day apart."""
    first = healthy_rows()[0]
    rows = []
    for index in range(count):
        due = date(2026, 11, 27) + timedelta(days=index)
        rows.append({**first, "ID": f"S{index + 1}", "Start": due.isoformat(), "Due": due.isoformat()})
    return rows


def inside(chart: Chart) -> bool:
    """Every text and swatch of the chart lies inside the picture."""
    width = chart.size.width
    rules = all(
        rule.label_x - text_width(rule.text, chart.size) / 2 >= 0
        and rule.label_x + text_width(rule.text, chart.size) / 2 <= width
        for rule in chart.rules
    )
    bars = all(0 <= bar.left <= bar.right <= width for bar in chart.bars)
    labels = all(6 + text_width(bar.label, chart.size) <= width for bar in chart.bars)
    legend = all(
        key.x + text_width(key.state, chart.size) + chart.size.font * 1.6 <= width for key in chart.legend
    )
    ticks = all(
        tick.label_x - text_width(tick.text, chart.size) / 2 >= 0
        and tick.label_x + text_width(tick.text, chart.size) / 2 <= width
        for tick in chart.ticks
    )
    gates = all(bar.gate_x + chart.bar_height / 2 <= width for bar in chart.bars if bar.gate_x is not None)
    return rules and bars and labels and legend and ticks and gates and chart.legend[-1].y < chart.height


def no_label_touches_another_rule(chart: Chart) -> bool:
    """No label overlaps another label on its line, nor a rule's dashed line (which runs down from its
    own label to the rows)."""

    def extent(rule: Rule) -> tuple[float, float]:
        half = text_width(rule.text, chart.size) / 2
        return rule.label_x - half, rule.label_x + half

    for rule in chart.rules:
        left, right = extent(rule)
        for other in chart.rules:
            if other is rule:
                continue
            if other.label_y == rule.label_y and not (extent(other)[1] < left or right < extent(other)[0]):
                return False
            if other.label_y < rule.label_y and not other.beyond and left <= other.x <= right:
                return False
    return True


@pytest.mark.parametrize("deadline", ["2027-02-09", "2027-02-20", "2027-03-31"])
def test_a_deadline_near_the_go_live_is_labelled_clear_of_the_go_lives_line(deadline: str) -> None:
    chart = chart_of(snapshot_of(healthy_rows(), {"External deadline": deadline}), TODAY, size=WIDE)
    assert len(chart.rules) == 4
    assert no_label_touches_another_rule(chart)
    assert inside(chart)


def test_the_wide_chart_shows_every_dated_step_and_marks_today_signature_go_live_and_deadline() -> None:
    chart = chart_of(snapshot_of(healthy_rows(), {"External deadline": "2027-03-31"}), TODAY, size=WIDE)
    assert [bar.label.split(" · ")[0] for bar in chart.bars] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert [rule.text for rule in chart.rules] == [
        "today 22 Nov 2026", "signature 15 Dec 2026", "go-live 2 Feb 2027", "deadline 31 Mar 2027"
    ]  # fmt: skip
    xs = [rule.x for rule in chart.rules]
    assert xs == sorted(xs)
    assert no_label_touches_another_rule(chart)
    assert chart.top > max(rule.label_y for rule in chart.rules)
    assert not any(rule.beyond for rule in chart.rules)
    assert chart.more == 0
    assert inside(chart)


def test_the_compact_chart_shows_the_next_open_steps_and_counts_the_rest() -> None:
    rows = many_rows(12)
    rows[0]["Status"] = "Done"
    chart = chart_of(snapshot_of(rows), TODAY, size=COMPACT)
    assert [bar.label.split(" · ")[0] for bar in chart.bars] == ["S2", "S3", "S4", "S5", "S6", "S7", "S8"]
    assert chart.more == 5
    go_live = chart.rules[-1]
    assert (go_live.text, go_live.beyond) == ("go-live 2 Feb 2027", False)  # the picture reaches it
    assert all(bar.right <= go_live.x + 1 for bar in chart.bars)
    assert inside(chart)
    assert no_label_touches_another_rule(chart)


@given(st.text(min_size=1, max_size=300).filter(lambda text: text.strip()))
def test_any_step_name_is_drawn_inside_the_compact_picture(step: str) -> None:
    rows = healthy_rows()
    rows[2]["Step"] = step
    chart = chart_of(snapshot_of(rows), TODAY, size=COMPACT)
    assert inside(chart)
    font = ImageFont.truetype(BytesIO(FONT.read_bytes()), COMPACT.font)
    for bar in chart.bars:
        assert 6 + font.getlength(fitted(bar.label, font, COMPACT.width - 12)) <= COMPACT.width - 6


def test_the_png_is_twice_the_sidebars_width_in_type_legible_when_scaled_to_it() -> None:
    rows = healthy_rows()
    rows[1]["Step"] = "Générale: Überprüfung – ß <script>"
    chart = chart_of(snapshot_of(rows), TODAY, size=COMPACT)
    with Image.open(BytesIO(timeline_png(chart))) as drawn:
        assert (drawn.format, drawn.size) == ("PNG", (600, chart.height))
        shown = {colour for _, colour in drawn.convert("RGB").getcolors(maxcolors=100_000) or ()}
    assert len(shown) > 10  # drawn, not a blank page
    inks = {COLOURS[bar.state] for bar in chart.bars} | {INK}
    assert {ImageColor.getrgb(ink) for ink in inks} <= shown  # the chart's palette keeps every ink exact
    assert COMPACT.font / 2 >= 11  # px at 300 px wide


def test_the_svg_escapes_cell_text_and_tells_each_bar_state() -> None:
    rows = healthy_rows()
    rows[1]["Step"] = "<script>alert(1)</script>"
    svg = timeline_svg(chart_of(snapshot_of(rows), TODAY, size=WIDE))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count('data-state="confirmed"') == 6


def test_the_axis_names_each_month_once_in_order_and_the_year_at_its_start_and_in_january() -> None:
    chart = chart_of(snapshot_of(healthy_rows()), TODAY, size=WIDE)
    assert [tick.text for tick in chart.ticks] == ["Dec 2026", "Jan 2027", "Feb"]
    xs = [tick.x for tick in chart.ticks]
    assert xs == sorted(xs)
    assert chart.bottom < chart.axis_y < chart.legend[0].y
    compact = chart_of(snapshot_of(many_rows(12)), TODAY, size=COMPACT)
    gaps = [b.x - a.x for a, b in pairwise(compact.ticks)]
    assert all(gap >= text_width("Sep 2027", COMPACT) for gap in gaps)  # names never touch


def test_a_long_plan_names_every_other_month_or_fewer_so_that_the_names_fit() -> None:
    rows = healthy_rows()
    rows[5]["Due"] = "2028-06-30"  # a year and a half of plan
    ticks = chart_of(snapshot_of(rows, {"Go-live": "2028-07-01"}), TODAY, size=COMPACT).ticks
    assert 2 <= len(ticks) < 19
    gaps = [b.x - a.x for a, b in pairwise(ticks)]
    assert all(gap >= text_width("Sep 2027", COMPACT) for gap in gaps)


def test_confirmed_claimed_unconfirmed_overdue_and_done_are_told_apart() -> None:
    snapshot = snapshot_of(healthy_rows())
    first = snapshot.rows[0]
    claimed = first._replace(confirmation=ConfirmedDates(first.start, first.due, "Jane", "claimed"))
    assert state_of(first, TODAY) == "confirmed"
    assert state_of(claimed, TODAY) == "claimed"
    assert state_of(first._replace(confirmation=None), TODAY) == "unconfirmed"
    assert state_of(first, date(2026, 12, 1)) == "overdue"
    assert state_of(first._replace(status="Done"), date(2026, 12, 1)) == "done"


def test_a_slipped_step_keeps_its_state_and_shows_its_old_date_ghosted_and_gates_are_marked() -> None:
    slips = (
        Slip("S2", date(2026, 11, 27), date(2026, 12, 4)),
        Slip("S3", date(304, 1, 1), date(2026, 12, 4)),
    )
    chart = chart_of(snapshot_of(healthy_rows()), TODAY, slips, size=WIDE)
    slipped, typo = chart.bars[1], chart.bars[2]
    assert slipped.state == "confirmed"  # slipped says nothing of its confirmation
    assert slipped.ghost is not None
    assert slipped.ghost[1] < slipped.right  # the old due date, before the new one
    assert "slipped 7 days from 27 Nov 2026" in slipped.hint
    assert typo.ghost is None  # a typo's date is no date anyone meant
    assert [bar.gate_x is not None for bar in chart.bars] == [False, True, False, False, True, False]
    svg = timeline_svg(chart)
    assert svg.count("data-gate") == 2 + 1  # two gates, and the legend's
    assert svg.count("data-ghost") == 1 + 1
    assert svg.count("data-tick") == len(chart.ticks)
