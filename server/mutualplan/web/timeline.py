"""The plan as a picture: each step a bar from start to due, coloured by its state, with today and the
go-live marked. Pure: a snapshot in, SVG text out; every text from a cell escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from mutualplan.plan.dates import format_day
from mutualplan.plan.history import Slip
from mutualplan.plan.snapshot import RowState, Snapshot
from mutualplan.plan.vocabulary import Status

WIDTH, LABEL, ROW, TOP = 720, 250, 22, 34
COLOURS = {
    "overdue": "#d93025",
    "slipped": "#f29900",
    "confirmed": "#188038",
    "unconfirmed": "#9aa0a6",
    "done": "#1a73e8",
}
STATES = ("confirmed", "unconfirmed", "slipped", "overdue", "done")


def state_of(row: RowState, today: date, slipped: set[str]) -> str:
    """A step's state as the picture tells it: overdue, then slipped, then confirmed or not."""
    if row.status == Status.DONE.value:
        return "done"
    if row.due and row.due < today:
        return "overdue"
    if row.id in slipped:
        return "slipped"
    return "confirmed" if row.confirmation else "unconfirmed"


def timeline_svg(snapshot: Snapshot, today: date, slips: Sequence[Slip] = ()) -> str:
    """The plan's timeline as an SVG document."""
    rows = sorted(
        (row for row in snapshot.rows if row.due), key=lambda row: (row.due or today, row.sheet_row)
    )
    days = [day for row in rows for day in (row.start, row.due) if day] + [today]
    if snapshot.go_live:
        days.append(snapshot.go_live)
    first, last = min(days), max(days) + timedelta(days=1)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return LABEL + (WIDTH - LABEL - 10) * (day - first).days / span

    slipped = {slip.row_id for slip in slips}
    height = TOP + ROW * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11" role="img">',
        f"<title>Plan timeline, backward from go-live {escape(_day(snapshot.go_live))}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
    ]
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        state = state_of(row, today, slipped)
        due = row.due or today
        start = row.start or due
        label = row.step if len(row.step) <= 38 else row.step[:37] + "…"
        parts.append(f'<text x="6" y="{y + 14}" fill="#202124">{escape(row.id)} · {escape(label)}</text>')
        left, right = x(start), max(x(due + timedelta(days=1)), x(start) + 3)
        parts.append(
            f'<rect x="{left:.1f}" y="{y + 4}" width="{right - left:.1f}" height="13" rx="3" '
            f'fill="{COLOURS[state]}" data-state="{state}"><title>{escape(row.step)}: '
            f"{escape(format_day(due))} ({state})</title></rect>"
        )
    bottom = TOP + ROW * len(rows)
    for day, colour, name in ((today, "#202124", "today"), (snapshot.go_live, "#1a73e8", "go-live")):
        if day:
            parts.append(
                f'<line x1="{x(day):.1f}" y1="{TOP - 8}" x2="{x(day):.1f}" y2="{bottom}" stroke="{colour}" '
                f'stroke-dasharray="4 3"/><text x="{x(day):.1f}" y="{TOP - 12}" text-anchor="middle" '
                f'fill="{colour}">{name} {escape(format_day(day))}</text>'
            )
    for index, state in enumerate(STATES):
        left = 6 + index * 120
        parts.append(
            f'<rect x="{left}" y="{bottom + 16}" width="12" height="12" rx="2" fill="{COLOURS[state]}"/>'
            f'<text x="{left + 18}" y="{bottom + 26}" fill="#202124">{state}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _day(day: date | None) -> str:
    return format_day(day) if day else ""
