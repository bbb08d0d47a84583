"""The plan's timeline as SVG, for a browser: the Chart drawn as text, every text from a cell escaped."""

from __future__ import annotations

from html import escape

from mutualplan.plan.chart import COLOURS, INK, MORE_INK, Chart


def timeline_svg(chart: Chart) -> str:
    """A laid-out timeline as an SVG document."""
    width, height, font = chart.size.width, chart.height, chart.size.font
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{font}" role="img">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
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
    for bar in chart.bars:
        parts.append(f'<text x="6" y="{bar.label_y:.1f}" fill="{INK}">{escape(bar.label)}</text>')
        parts.append(
            f'<rect x="{bar.left:.1f}" y="{bar.top:.1f}" width="{bar.right - bar.left:.1f}" '
            f'height="{chart.bar_height}" rx="3" fill="{COLOURS[bar.state]}" data-state="{bar.state}">'
            f"<title>{escape(bar.hint)}</title></rect>"
        )
    if chart.more:
        parts.append(f'<text x="6" y="{chart.more_y:.1f}" fill="{MORE_INK}">+{chart.more} more</text>')
    for key in chart.legend:
        parts.append(
            f'<rect x="{key.x:.1f}" y="{key.y:.1f}" width="{font}" height="{font}" rx="2" '
            f'fill="{COLOURS[key.state]}"/><text x="{key.x + font * 1.6:.1f}" y="{key.y + font * 0.9:.1f}" '
            f'fill="{INK}">{key.state}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
