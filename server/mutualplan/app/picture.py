"""The plan's timeline as PNG, where no browser draws SVG: a card's image and the digest email.
Pillow draws the Chart in memory, in DejaVu Sans shipped with the package (Pillow's own font has no
accented letters, and a server may have no fonts at all); only the font is read, once."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from io import BytesIO

from PIL import Image, ImageColor, ImageDraw, ImageFont

from mutualplan.app.timeline import Timeline
from mutualplan.plan.pictures.chart import (
    AXIS_INK,
    COLOURS,
    COMPACT,
    DEADLINE_INK,
    GATE,
    GHOST,
    GO_LIVE_INK,
    INK,
    MORE_INK,
    SIGNATURE_INK,
    Chart,
    Key,
    Size,
    chart_of,
)


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return (files("mutualplan.app") / "fonts" / "DejaVuSans.ttf").read_bytes()


@lru_cache(maxsize=8)
def font_of(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at a size in px."""
    return ImageFont.truetype(BytesIO(_font_bytes()), size)


@lru_cache(maxsize=1)
def mark_png() -> bytes:
    """mutualplan's mark, for a browser's tab: a tick on the blue of the sidebar's buttons, 64 px square."""
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 63, 63), radius=14, fill="#1a73e8")
    draw.line(((16, 33), (28, 45), (49, 20)), fill="#ffffff", width=8, joint="curve")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


BLENDS = 20  # shades of each ink toward the white page: its anti-aliased edges


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """The timeline's palette: each ink the chart draws with, exact, and its blends toward white."""
    inks = {ImageColor.getrgb(ink)[:3] for ink in (*COLOURS.values(), INK, GO_LIVE_INK, MORE_INK, AXIS_INK,
                                                    SIGNATURE_INK, DEADLINE_INK)}  # fmt: skip
    shades = sorted(
        {
            tuple(round(part + (255 - part) * step / BLENDS) for part in ink)
            for ink in inks
            for step in range(BLENDS + 1)
        }
    )
    palette = Image.new("P", (1, 1))
    palette.putpalette([part for shade in shades for part in shade])
    return palette


def compact_png(timeline: Timeline) -> bytes:
    """A plan's timeline at the sidebar's width, as a card or an email shows it."""
    return timeline_png(chart_of(timeline.snapshot, timeline.today, timeline.slips, COMPACT))


def timeline_png(chart: Chart) -> bytes:
    """A laid-out timeline as a PNG picture."""
    size = chart.size
    font = font_of(size.font)
    image = Image.new("RGB", (size.width, chart.height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for tick in chart.ticks:
        draw.line((tick.x, chart.top, tick.x, chart.bottom), fill=AXIS_INK, width=1)
        draw.text((tick.label_x, chart.axis_y), tick.text, fill=MORE_INK, font=font, anchor="ms")
    for rule in chart.rules:
        if not rule.beyond:
            _dashed(draw, rule.x, rule.label_y + 4, chart.bottom, rule.colour)
        draw.text((rule.label_x, rule.label_y), rule.text, fill=rule.colour, font=font, anchor="ms")
    height = chart.bar_height
    for bar in chart.bars:
        label = fitted(bar.label, font, size.width - 12)
        draw.text((6, bar.label_y), label, fill=INK, font=font, anchor="ls")
        if bar.ghost:
            draw.rounded_rectangle(
                (bar.ghost[0], bar.top, bar.ghost[1], bar.top + height), 3, outline=MORE_INK
            )
        draw.rounded_rectangle(
            (bar.left, bar.top, bar.right, bar.top + height), radius=3, fill=COLOURS[bar.state]
        )
        if bar.gate_x is not None:
            _diamond(draw, bar.gate_x, bar.top + height / 2, height / 2)
    if chart.more:
        draw.text((6, chart.more_y), f"+{chart.more} more", fill=MORE_INK, font=font, anchor="ls")
    top = int(min(key.y for key in chart.legend)) - LEGEND_MARGIN
    image.paste(_legend(size, tuple(replace(key, y=key.y - top) for key in chart.legend)), (0, top))
    out = BytesIO()
    # Every Monday's digests draw one a plan: mapped onto the chart's own palette (its inks exact, their
    # anti-aliased edges the nearest shade) the PNG takes a seventh of the time a palette made per picture
    # does, and a third of the full-colour bytes in each message.
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG", compress_level=3)
    return out.getvalue()


LEGEND_MARGIN = 2  # px of white above the legend's first swatch


@lru_cache(maxsize=16)
def _legend(size: Size, keys: tuple[Key, ...]) -> Image.Image:
    """The legend, drawn once for every picture of a size (keys placed from the strip's own top)."""
    strip = Image.new("RGB", (size.width, int(max(key.y for key in keys) + size.font * 1.8)), "#ffffff")
    draw, font = ImageDraw.Draw(strip), font_of(size.font)
    for key in keys:
        box = (key.x, key.y, key.x + size.font, key.y + size.font)
        if key.state == GHOST:
            draw.rounded_rectangle(box, radius=2, outline=MORE_INK)
        elif key.state == GATE:
            _diamond(draw, key.x + size.font / 2, key.y + size.font / 2, size.font / 2)
        else:
            draw.rounded_rectangle(box, radius=2, fill=COLOURS[key.state])
        draw.text(
            (key.x + size.font * 1.6, key.y + size.font * 0.9), key.state, fill=INK, font=font, anchor="ls"
        )
    return strip


def _diamond(draw: ImageDraw.ImageDraw, x: float, y: float, half: float) -> None:
    draw.polygon(((x, y - half), (x + half, y), (x, y + half), (x - half, y)), fill=INK)


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
