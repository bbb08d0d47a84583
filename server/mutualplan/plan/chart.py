"""The plan's timeline laid out once, for every picture of it: each step a bar from start to due, coloured
by its state, with today and the go-live marked. The SVG a browser shows and the PNG a card or an email
shows draw the same Chart; only the drawing differs.

Two sizes: WIDE, a label column beside every step (a browser page); COMPACT, for the sidebar's ~300 px
width (drawn at twice that for sharp screens): the steps nearest today only, each label above its bar,
in type that stays legible when Google scales the picture down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mutualplan.plan.dates import format_day, plausible
from mutualplan.plan.history import Slip
from mutualplan.plan.snapshot import RowState, Snapshot
from mutualplan.plan.vocabulary import Status

COLOURS = {
    "overdue": "#d93025",
    "slipped": "#f29900",
    "confirmed": "#188038",
    "unconfirmed": "#9aa0a6",
    "done": "#1a73e8",
}
STATES = tuple(COLOURS)
INK, GO_LIVE_INK, MORE_INK = "#202124", "#1a73e8", "#5f6368"


@dataclass(frozen=True, slots=True)
class Size:
    """How big a chart is drawn: its width, its type, and how many steps it shows at most."""

    width: int
    font: int  # px
    row: int  # px from one step to the next
    label_width: int  # px of the label column; 0 puts each label above its bar
    most_rows: int | None
    label_chars: int


WIDE = Size(width=720, font=11, row=22, label_width=250, most_rows=None, label_chars=38)
COMPACT = Size(width=600, font=24, row=62, label_width=0, most_rows=7, label_chars=32)


@dataclass(frozen=True, slots=True)
class Bar:
    """One step: its label, where its bar runs, and its state."""

    label: str
    label_y: float  # the label's baseline
    top: float  # the bar's top
    left: float
    right: float
    state: str
    hint: str  # "Security review: 3 Nov 2026 (slipped)"


@dataclass(frozen=True, slots=True)
class Rule:
    """A day marked across the chart (today, the go-live), its label centred above it on a line of its
    own, kept inside the picture."""

    x: float
    text: str
    colour: str
    label_x: float
    label_y: float
    beyond: bool = False  # past the chart's right edge (a compact chart ends before the go-live): no line


@dataclass(frozen=True, slots=True)
class Key:
    """One entry of the legend: a swatch and its state's name."""

    x: float
    y: float
    state: str


@dataclass(frozen=True, slots=True)
class Chart:
    """A whole picture, in pixels: everything a drawing needs and nothing it must compute."""

    size: Size
    height: int
    title: str
    top: int  # where the first row starts, below the rules' labels
    bars: tuple[Bar, ...]
    rules: tuple[Rule, ...]
    legend: tuple[Key, ...]
    more: int  # steps left out of a compact chart

    @property
    def bottom(self) -> int:
        """Where the rows end."""
        return self.top + self.size.row * len(self.bars)

    @property
    def bar_height(self) -> int:
        """How tall every bar is."""
        return round(self.size.font * 1.2)

    @property
    def more_y(self) -> float:
        """The baseline of "+N more", below the rows."""
        return self.bottom + self.size.font * 1.2


def state_of(row: RowState, today: date, slipped: set[str]) -> str:
    """A step's state as the picture tells it: done, overdue, then slipped, then confirmed or not."""
    if row.status == Status.DONE.value:
        return "done"
    if row.due and row.due < today:
        return "overdue"
    if row.id in slipped:
        return "slipped"
    return "confirmed" if row.confirmation else "unconfirmed"


def chart_of(snapshot: Snapshot, today: date, slips: Sequence[Slip] = (), size: Size = WIDE) -> Chart:
    """The plan's timeline laid out at one size."""
    rows = sorted(
        (row for row in snapshot.rows if row.due), key=lambda row: (row.due or today, row.sheet_row)
    )
    shown = _nearest(rows, today, size.most_rows)
    days = [day for row in shown for day in (row.start, row.due) if day and plausible(day, today)] + [today]
    go_live = snapshot.go_live
    if go_live and plausible(go_live, today) and len(shown) == len(rows):  # some steps: those steps only
        days.append(go_live)
    first, last = min(days), max(days) + timedelta(days=1)
    span = max((last - first).days, 1)
    left_edge, right_edge = size.label_width + 6, size.width - 10

    def x(day: date) -> float:  # a typo's date stays at the edge: it never stretches the axis
        return left_edge + (right_edge - left_edge) * (min(max(day, first), last) - first).days / span

    slipped = {slip.row_id for slip in slips}
    top = size.font * 3
    bars = []
    for index, row in enumerate(shown):
        state = state_of(row, today, slipped)
        due = row.due or today
        start = row.start or due
        label = f"{row.id} · {_cut(row.step, size.label_chars)}"
        left, right = x(start), max(x(due + timedelta(days=1)), x(start) + 3)
        row_top = top + index * size.row
        if size.label_width:  # the label beside the bar
            label_y, bar_top = row_top + size.font * 1.3, row_top + (size.row - round(size.font * 1.2)) / 2
        else:  # the label above it
            label_y, bar_top = row_top + size.font, row_top + size.font * 1.35
        hint = f"{row.step}: {format_day(due)} ({state})"
        bars.append(Bar(label, label_y, bar_top, left, right, state, hint))
    marked = [
        (day, colour, name)
        for day, colour, name in ((today, INK, "today"), (snapshot.go_live, GO_LIVE_INK, "go-live"))
        if day
    ]
    rules = tuple(
        _rule(x(min(day, last)), f"{name} {format_day(day)}", colour, size, line, beyond=day >= last)
        for line, (day, colour, name) in enumerate(marked)
    )
    bottom = top + size.row * len(bars) + (size.font * 2 if len(rows) > len(shown) else 0)
    legend = _legend(size, bottom + size.font)
    height = int(max(key.y for key in legend) + size.font * 1.8)
    title = f"Plan timeline, backward from go-live {format_day(go_live) if go_live else ''}".strip()
    return Chart(size, height, title, top, tuple(bars), rules, legend, len(rows) - len(shown))


def text_width(text: str, size: Size) -> float:
    """About how wide a text is drawn in the chart's sans-serif type."""
    return len(text) * size.font * 0.6


def _rule(x: float, text: str, colour: str, size: Size, line: int, beyond: bool) -> Rule:
    text = f"{text} →" if beyond else text
    half = text_width(text, size) / 2
    label_x = min(max(x, half + 4), size.width - half - 4)
    return Rule(x, text, colour, label_x, size.font * (1.1 + line * 1.2), beyond)


def _legend(size: Size, y: float) -> tuple[Key, ...]:
    """The states' swatches in a row, wrapping to the next line at the picture's edge."""
    keys, x = [], 6.0
    for state in STATES:
        wide = size.font * 1.6 + text_width(state, size) + size.font
        if x + wide > size.width and x > 6:
            x, y = 6.0, y + size.font * 1.6
        keys.append(Key(x, y, state))
        x += wide
    return tuple(keys)


def _nearest(rows: list[RowState], today: date, most: int | None) -> list[RowState]:
    """The steps a chart has room for, in date order: what is open, overdue first, then what comes next."""
    if most is None or len(rows) <= most:
        return rows
    open_rows = [row for row in rows if row.status != Status.DONE.value]
    ahead = open_rows[:most] if open_rows else rows[-most:]
    return sorted(ahead, key=lambda row: (row.due or today, row.sheet_row))


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
