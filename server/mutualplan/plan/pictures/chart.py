"""The plan's timeline laid out once, for every picture of it: each step a bar from start to due, coloured
by where its confirmation stands (a gate marked ◆, a slipped step's old due date ghosted), on a month
axis, with today, the target signature, the go-live and the external deadline marked. The SVG a browser
shows and the PNG a card or an email shows draw the same Chart; only the drawing differs.

Two sizes: WIDE, a label column beside every step (a browser page); COMPACT, for the sidebar's ~300 px
width (drawn at twice that for sharp screens): the steps nearest today only, each label above its bar,
in type that stays legible when Google scales the picture down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mutualplan.plan.dates.reading import format_day, plausible
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.sheet.text import plural
from mutualplan.plan.sheet.vocabulary import HeadField, Status

COLOURS = {
    "overdue": "#d93025",
    "unconfirmed": "#9aa0a6",
    "claimed": "#f9ab00",
    "confirmed": "#188038",
    "done": "#1a73e8",
}
STATES = tuple(COLOURS)
INK, GO_LIVE_INK, MORE_INK, AXIS_INK = "#202124", "#1a73e8", "#5f6368", "#dadce0"
SIGNATURE_INK, DEADLINE_INK = "#9334e6", "#d93025"
GHOST = "slipped from"  # the legend's name for an old due date, ghosted
GATE = "gate"


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
    hint: str  # "Security review: 3 Nov 2026 (confirmed, slipped 7 days from 27 Oct 2026)"
    gate_x: float | None = None  # a go/no-go decision: marked ◆ here, past its due date
    ghost: tuple[float, float] | None = None  # where the bar ran before its due date slipped


@dataclass(frozen=True, slots=True)
class Tick:
    """The first of a month on the axis: a faint line down the rows, and the month's name below them."""

    x: float
    text: str
    label_x: float  # the name's centre, kept inside the picture


@dataclass(frozen=True, slots=True)
class Rule:
    """A day marked across the chart (today, the go-live), its label centred above it on a line of its
    own, kept inside the picture."""

    x: float
    text: str
    colour: str
    label_x: float
    label_y: float
    beyond: bool = False  # past the chart's right edge (a typo's far date): no line
    line: int = 0  # which line of labels above the rows it sits on, from the top


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
    ticks: tuple[Tick, ...] = ()
    axis_y: float = 0  # the baseline of the months' names, below the rows (and "+N more")

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


def state_of(row: RowState, today: date) -> str:
    """A step's state as the picture tells it: done, overdue, then confirmed (verified), claimed (a tick
    waiting for its person to verify it) or unconfirmed."""
    if row.status == Status.DONE.value:
        return "done"
    if row.due and row.due < today:
        return "overdue"
    if row.verified:
        return "confirmed"
    record = row.confirmation
    return "claimed" if record and (record.start, record.due) == (row.start, row.due) else "unconfirmed"


ONE_DAY = timedelta(days=1)


def _shifted(day: date, by: timedelta) -> date:
    """A day moved, held at the calendar's ends (a typo's 9999-12-31 has no day after it)."""
    try:
        return day + by
    except OverflowError:
        return date.max if by > timedelta(0) else date.min


def chart_of(snapshot: Snapshot, today: date, slips: Sequence[Slip] = (), size: Size = WIDE) -> Chart:
    """The plan's timeline laid out at one size."""
    rows = sorted(
        (row for row in snapshot.rows if row.due), key=lambda row: (row.due or today, row.sheet_row)
    )
    shown = _nearest(rows, today, size.most_rows)
    days = [day for row in shown for day in (row.start, row.due) if day and plausible(day, today)] + [today]
    go_live, deadline = snapshot.go_live, _head_day(snapshot, HeadField.EXTERNAL_DEADLINE)
    # Every picture spans from today to the go-live (and the signature, and the deadline): a compact one
    # shows the steps nearest today on the whole road to the go-live.
    days += [day for day in (snapshot.target_signature, go_live, deadline) if day and plausible(day, today)]
    first, last = min(days), max(days) + timedelta(days=1)
    span = max((last - first).days, 1)
    left_edge, right_edge = size.label_width + 6, size.width - 10 - round(size.font * 1.3)  # room for a ◆

    def x(day: date) -> float:  # a typo's date stays at the edge: it never stretches the axis
        return left_edge + (right_edge - left_edge) * (min(max(day, first), last) - first).days / span

    first_due = _first_dues(slips, today)
    marked = [
        (day, colour, name)
        for day, colour, name in (
            (today, INK, "today"),
            (snapshot.target_signature, SIGNATURE_INK, "signature"),
            (go_live, GO_LIVE_INK, "go-live"),
            (deadline, DEADLINE_INK, "deadline"),
        )
        if day and plausible(day, today) and (name == "today" or day >= first)
    ]
    rules = _rules(
        [
            (x(min(day, last)), f"{name} {format_day(day)}", colour, day >= last)
            for day, colour, name in marked
        ],
        size,
    )
    top = round(size.font * (1.6 + 1.2 * (1 + max((rule.line for rule in rules), default=-1))))
    bars = []
    for index, row in enumerate(shown):
        state = state_of(row, today)
        due = row.due or today
        start = row.start or due
        label = f"{row.id} · {_cut(row.step, size.label_chars)}"
        left, right = x(start), max(x(_shifted(due, ONE_DAY)), x(start) + 3)
        row_top = top + index * size.row
        if size.label_width:  # the label beside the bar
            label_y, bar_top = row_top + size.font * 1.3, row_top + (size.row - round(size.font * 1.2)) / 2
        else:  # the label above it
            label_y, bar_top = row_top + size.font, row_top + size.font * 1.35
        old = first_due.get(row.id)
        ghost, slipped = None, ""
        if old is not None and old < due:
            was = _shifted(old, start - due)
            ghost = (x(was), max(x(_shifted(old, ONE_DAY)), x(was) + 3))
            slipped = f", slipped {plural((due - old).days, 'day')} from {format_day(old)}"
        hint = f"{row.step}: {format_day(due)} ({state}{slipped}{', a gate' if row.gate else ''})"
        gate_x = min(right + size.font * 0.7, size.width - size.font * 0.6) if row.gate else None
        bars.append(Bar(label, label_y, bar_top, left, right, state, hint, gate_x, ghost))
    more = len(rows) - len(shown)
    axis_y = top + size.row * len(bars) + size.font * (2.4 if more else 1.2)
    ticks = _ticks(first, last, x, size)
    legend = _legend(size, axis_y + size.font * (1.0 if ticks else 0))
    height = int(max(key.y for key in legend) + size.font * 1.8)
    title = f"Plan timeline, backward from go-live {format_day(go_live) if go_live else ''}".strip()
    return Chart(size, height, title, top, tuple(bars), rules, legend, more, ticks, axis_y)


def _first_dues(slips: Sequence[Slip], today: date) -> dict[str, date]:
    """Each slipped step's first due date on record (a typo's date is no date anyone meant)."""
    found: dict[str, date] = {}
    for slip in slips:
        if slip.counts(today):
            found.setdefault(slip.row_id, slip.old)
    return found


def _head_day(snapshot: Snapshot, name: HeadField) -> date | None:
    try:
        return date.fromisoformat(snapshot.head.get(name.value, ""))
    except ValueError:
        return None


def _ticks(first: date, last: date, x: Callable[[date], float], size: Size) -> tuple[Tick, ...]:
    """The firsts of the months on the axis, every month or fewer so that the names never touch; a
    month is named with its year in January and at the first tick."""
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    room = text_width("Sep 2027", size) + size.font
    spacing = (x(months[1]) - x(months[0])) if len(months) > 1 else room
    every = max(1, -(-int(room) // max(int(spacing), 1)))
    ticks = []
    for index, day in enumerate(months[::every]):
        text = f"{day:%b %Y}" if index == 0 or day.month == 1 else f"{day:%b}"
        half = text_width(text, size) / 2
        ticks.append(Tick(x(day), text, min(max(x(day), half + 4), size.width - half - 4)))
    return tuple(ticks)


def text_width(text: str, size: Size) -> float:
    """About how wide a text is drawn in the chart's sans-serif type."""
    return len(text) * size.font * 0.6


def _rules(marks: Sequence[tuple[float, str, str, bool]], size: Size) -> tuple[Rule, ...]:
    """The marked days' labels, each on the highest line where it touches no other label and no other
    rule's line (a rule's line runs down from its own label): centred on its day, else beside it. The
    latest day is placed first, or the earliest when that leaves every label clear."""
    tries = [_placed(sorted(marks, key=lambda mark: order * mark[0]), size) for order in (-1, 1)]
    rules, _ = next((found for found in tries if found[1]), tries[0])
    texts = [text for _, text, _, _ in marks]
    return tuple(sorted(rules, key=lambda rule: texts.index(rule.text.removesuffix(" →"))))


def _placed(marks: Sequence[tuple[float, str, str, bool]], size: Size) -> tuple[list[Rule], bool]:
    """The labels placed in this order, and whether every one found a clear spot."""
    placed: list[Rule] = []
    clear = True
    for x, text, colour, beyond in marks:
        text = f"{text} →" if beyond else text
        half = text_width(text, size) / 2
        centres = [min(max(at, half + 4), size.width - half - 4) for at in (x, x + half + 5, x - half - 5)]
        spots = [
            (line, centre)
            for line in range(len(marks))
            for centre in centres
            if not any(
                _in_the_way(other, line, centre - half - 3, centre + half + 3, x, size) for other in placed
            )
        ]
        clear = clear and bool(spots)
        line, label_x = spots[0] if spots else (len(placed), centres[0])  # days a pixel apart: a line apart
        placed.append(Rule(x, text, colour, label_x, size.font * (1.1 + line * 1.2), beyond, line))
    return placed, clear


def _in_the_way(other: Rule, line: int, left: float, right: float, x: float, size: Size) -> bool:
    """Whether a label on this line (from left to right, its rule at x) would touch another rule."""
    half = text_width(other.text, size) / 2 + 3
    if other.line == line:
        return left < other.label_x + half and other.label_x - half < right
    if other.line < line:  # the other's line passes down through this label
        return not other.beyond and left <= other.x <= right
    return other.label_x - half <= x <= other.label_x + half  # this rule's line would cross its label


def _legend(size: Size, y: float) -> tuple[Key, ...]:
    """The states' swatches in a row (and the ghost of a slipped date, and a gate), wrapping to the next
    line at the picture's edge."""
    keys, x = [], 6.0
    for state in (*STATES, GHOST, GATE):
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
