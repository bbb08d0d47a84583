"""The plan's timeline as SVG, for a browser: the Chart drawn as text, every text from a cell escaped."""

from __future__ import annotations

from html import escape

from mutualplan.plan.pictures.chart import AXIS_INK, COLOURS, GATE, GHOST, INK, MORE_INK, Chart


def timeline_svg(chart: Chart) -> str:
    """A laid-out timeline as an SVG document."""
    width, height, font = chart.size.width, chart.height, chart.size.font
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{font}" role="img">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for tick in chart.ticks:
        parts.append(
            f'<line x1="{tick.x:.1f}" y1="{chart.top}" x2="{tick.x:.1f}" y2="{chart.bottom}" '
            f'stroke="{AXIS_INK}"/><text x="{tick.label_x:.1f}" y="{chart.axis_y:.1f}" text-anchor="middle" '
            f'fill="{MORE_INK}" data-tick="">{escape(tick.text)}</text>'
        )
    for rule in chart.rules:
        if not rule.beyond:
            parts.append(
                f'<line x1="{rule.x:.1f}" y1="{rule.label_y + 4:.1f}" x2="{rule.x:.1f}" y2="{chart.bottom}" '
                f'stroke="{rule.colour}" stroke-dasharray="4 3"/>'
            )
        parts.append(
            f'<text x="{rule.label_x:.1f}" y="{rule.label_y:.1f}" text-anchor="middle" '
            f'fill="{rule.colour}">{escape(rule.text)}</text>'
        )
    bar_height = chart.bar_height
    for bar in chart.bars:
        parts.append(f'<text x="6" y="{bar.label_y:.1f}" fill="{INK}">{escape(bar.label)}</text>')
        if bar.ghost:
            parts.append(_ghost(bar.ghost[0], bar.top, bar.ghost[1] - bar.ghost[0], bar_height))
        parts.append(
            f'<rect x="{bar.left:.1f}" y="{bar.top:.1f}" width="{bar.right - bar.left:.1f}" '
            f'height="{bar_height}" rx="3" fill="{COLOURS[bar.state]}" data-state="{bar.state}">'
            f"<title>{escape(bar.hint)}</title></rect>"
        )
        if bar.gate_x is not None:
            parts.append(_diamond(bar.gate_x, bar.top + bar_height / 2, bar_height / 2))
    if chart.more:
        parts.append(f'<text x="6" y="{chart.more_y:.1f}" fill="{MORE_INK}">+{chart.more} more</text>')
    for key in chart.legend:
        if key.state == GHOST:
            parts.append(_ghost(key.x, key.y, font, font))
        elif key.state == GATE:
            parts.append(_diamond(key.x + font / 2, key.y + font / 2, font / 2))
        else:
            parts.append(
                f'<rect x="{key.x:.1f}" y="{key.y:.1f}" width="{font}" height="{font}" rx="2" '
                f'fill="{COLOURS[key.state]}"/>'
            )
        parts.append(
            f'<text x="{key.x + font * 1.6:.1f}" y="{key.y + font * 0.9:.1f}" fill="{INK}">{key.state}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _ghost(x: float, y: float, width: float, height: float) -> str:
    """Where a slipped step was due: an outline, dashed."""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" rx="3" fill="none" '
        f'stroke="{MORE_INK}" stroke-dasharray="3 2" data-ghost=""/>'
    )


def _diamond(x: float, y: float, half: float) -> str:
    """A gate: a diamond at the step's due date."""
    points = f"{x:.1f},{y - half:.1f} {x + half:.1f},{y:.1f} {x:.1f},{y + half:.1f} {x - half:.1f},{y:.1f}"
    return f'<polygon points="{points}" fill="{INK}" data-gate=""/>'
