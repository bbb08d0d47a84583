"""The timeline laid out once, drawn twice: the wide SVG for a browser, the compact PNG for a card or an
email, legible at the sidebar's width."""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files
from io import BytesIO

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFont

from mutualplan.app.picture import fitted, timeline_png
from mutualplan.plan.chart import COMPACT, WIDE, Chart, chart_of, text_width
from mutualplan.plan.diff import diff
from mutualplan.plan.parse import parse
from mutualplan.plan.snapshot import Snapshot
from mutualplan.web.timeline import timeline_svg
from tests.support import TODAY, Row, confirmers_ticked, healthy_rows, sheet

FONT = files("mutualplan.app") / "fonts" / "DejaVuSans.ttf"


def snapshot_of(rows: list[Row]) -> Snapshot:
    plan = parse(sheet(rows)).plan
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
    return rules and bars and labels and legend and chart.legend[-1].y < chart.height


def test_the_wide_chart_shows_every_dated_step_and_marks_today_and_the_go_live() -> None:
    chart = chart_of(snapshot_of(healthy_rows()), TODAY, size=WIDE)
    assert [bar.label.split(" · ")[0] for bar in chart.bars] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert [rule.text for rule in chart.rules] == ["today 22 Nov 2026", "go-live 2 Feb 2027"]
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
    assert (go_live.text, go_live.beyond) == ("go-live 2 Feb 2027 →", True)  # past the steps shown
    assert inside(chart)


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
        assert len(drawn.getcolors(maxcolors=100_000) or ()) > 10  # drawn, not a blank page
    assert COMPACT.font / 2 >= 11  # px at 300 px wide


def test_the_svg_escapes_cell_text_and_tells_each_bar_state() -> None:
    rows = healthy_rows()
    rows[1]["Step"] = "<script>alert(1)</script>"
    svg = timeline_svg(chart_of(snapshot_of(rows), TODAY, size=WIDE))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count('data-state="confirmed"') == 6
