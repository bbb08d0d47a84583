"""The Pipeline's picture: each deal's confirmation rate over the weeks, one sparkline a row, at the
sidebar's width (as the timeline's, drawn twice as large and shown at half size), for the Pipeline card
and the manager digest."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from itertools import pairwise

from PIL import Image, ImageDraw

from mutualplan.app.picture import fitted, font_of
from mutualplan.app.pipeline import Deal
from mutualplan.plan.pipeline import DealStatus, Trend
from mutualplan.plan.pipeline.status import STATUS_RULE

WIDTH, ROW, FONT, MARGIN = 600, 56, 22, 10
LABEL_WIDTH = 300  # the deal's name; the sparkline takes the rest, its last rate written at its end
INK, MUTED, LINE, RULE = "#202124", "#5f6368", "#1a73e8", "#dadce0"
PICTURE_ALT = "Each deal's share of the next 30 days' dates confirmed by the customer, week by week"
STATUS_INKS = {DealStatus.STALLED: "#b3261e", DealStatus.AT_RISK: "#b06000", DealStatus.ON_TRACK: "#137333"}


def deals_png(deals: Sequence[Deal]) -> bytes:
    """The deals' picture, in their order."""
    return pipeline_png([(deal.record.title, deal.score.status, deal.trend) for deal in deals])


def pipeline_png(rows: Sequence[tuple[str, DealStatus, Trend]]) -> bytes:
    """A sparkline a deal: its name in its status's ink, its confirmation rate over the weeks (a gap where
    nothing fell due), the at-risk line dashed, and the last rate written at the end."""
    font, small = font_of(FONT), font_of(FONT - 4)
    image = Image.new("RGB", (WIDTH, len(rows) * ROW + MARGIN), "#ffffff")
    draw = ImageDraw.Draw(image)
    left, right = LABEL_WIDTH + MARGIN, WIDTH - 70
    for index, (title, status, trend) in enumerate(rows):
        top = index * ROW + MARGIN
        bottom = top + ROW - 14
        draw.text(
            (MARGIN, top + ROW / 2),
            fitted(title, font, LABEL_WIDTH - MARGIN),
            fill=STATUS_INKS[status],
            font=font,
            anchor="lm",
        )
        threshold = bottom - STATUS_RULE.at_risk_confirmation_rate * (bottom - top)
        for x in range(left, right, 9):
            draw.line((x, threshold, min(x + 4, right), threshold), fill=RULE, width=2)
        rates = trend.rates
        step = (right - left) / max(1, len(rates) - 1)
        points = [
            (left + i * step, bottom - rate * (bottom - top)) if rate is not None else None
            for i, rate in enumerate(rates)
        ]
        for first, second in pairwise(points):
            if first is not None and second is not None:
                draw.line((first, second), fill=LINE, width=3)
        for point in points:
            if point is not None:
                draw.ellipse((point[0] - 3, point[1] - 3, point[0] + 3, point[1] + 3), fill=LINE)
        last = next((rate for rate in reversed(rates) if rate is not None), None)
        shown = "–" if last is None else f"{round(last * 100)}%"
        draw.text(
            (WIDTH - MARGIN, top + ROW / 2),
            shown,
            fill=MUTED if last is None else INK,
            font=small,
            anchor="rm",
        )
    out = BytesIO()
    image.quantize(colors=32, dither=Image.Dither.NONE).save(out, format="PNG", compress_level=3)
    return out.getvalue()
