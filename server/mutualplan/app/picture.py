"""The plan's timeline as PNG, where no browser draws SVG: a card's image and the digest email.
Pillow draws the Chart in memory, in DejaVu Sans shipped with the package (Pillow's own font has no
accented letters, and a server may have no fonts at all); only the font is read, once."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from mutualplan.app.timeline import Timeline
from mutualplan.plan.chart import COLOURS, COMPACT, INK, MORE_INK, Chart, chart_of


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return (files("mutualplan.app") / "fonts" / "DejaVuSans.ttf").read_bytes()


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BytesIO(_font_bytes()), size)


def compact_png(timeline: Timeline) -> bytes:
    """A plan's timeline at the sidebar's width, as a card or an email shows it."""
    return timeline_png(chart_of(timeline.snapshot, timeline.today, timeline.slips, COMPACT))


def timeline_png(chart: Chart) -> bytes:
    """A laid-out timeline as a PNG picture."""
    size = chart.size
    font = _font(size.font)
    image = Image.new("RGB", (size.width, chart.height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for rule in chart.rules:
        if not rule.beyond:
            _dashed(draw, rule.x, rule.label_y + 4, chart.bottom, rule.colour)
        draw.text((rule.label_x, rule.label_y), rule.text, fill=rule.colour, font=font, anchor="ms")
    for bar in chart.bars:
        label = fitted(bar.label, font, size.width - 12)
        draw.text((6, bar.label_y), label, fill=INK, font=font, anchor="ls")
        draw.rounded_rectangle(
            (bar.left, bar.top, bar.right, bar.top + chart.bar_height), radius=3, fill=COLOURS[bar.state]
        )
    if chart.more:
        draw.text((6, chart.more_y), f"+{chart.more} more", fill=MORE_INK, font=font, anchor="ls")
    for key in chart.legend:
        draw.rounded_rectangle(
            (key.x, key.y, key.x + size.font, key.y + size.font), radius=2, fill=COLOURS[key.state]
        )
        draw.text(
            (key.x + size.font * 1.6, key.y + size.font * 0.9), key.state, fill=INK, font=font, anchor="ls"
        )
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def fitted(text: str, font: ImageFont.FreeTypeFont, room: float) -> str:
    """The text, cut short with "…" where the font draws it wider than the room."""
    if font.getlength(text) <= room:
        return text
    while text and font.getlength(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _dashed(draw: ImageDraw.ImageDraw, x: float, top: float, bottom: float, colour: str) -> None:
    y = top
    while y < bottom:
        draw.line((x, y, x, min(y + 4, bottom)), fill=colour, width=2)
        y += 7
