"""The Log tab is the people's copy of the audit log: a line edited by hand is found, written back from
the store, and the edit recorded (one event a sync, naming the rows)."""

from __future__ import annotations

from collections.abc import Sequence

from mutualplan.plan.audit import StoredEvent
from mutualplan.plan.cells import cell_text
from mutualplan.plan.diff import Editors
from mutualplan.plan.events import Event, EventKind, drive_hint
from mutualplan.plan.grid import Grid
from mutualplan.plan.layout import Write
from mutualplan.plan.text import clean
from mutualplan.plan.write_back import log_line, stored_log_lines

ROWS_NAMED = 10  # the restore event names this many rows, then counts the rest
SHOWN_CHARS = 200  # of the edited text the event keeps


def edited_lines(grid: Grid, stored: Sequence[StoredEvent]) -> list[tuple[StoredEvent, str]]:
    """The stored events whose Log line (event N on row N+1) reads otherwise in the sheet, each with the
    text the sheet shows in its place."""
    rows = grid.rows
    edited = []
    for item in stored:
        line = log_line(item.event, item.at)
        expected = [clean(value.value) if isinstance(value.value, str) else "" for value in line]
        cells = rows[item.seq] if item.seq < len(rows) else []
        shown = [cell_text(cell) for cell in cells[: len(expected)]]
        shown += [""] * (len(expected) - len(shown))
        if shown != expected:
            edited.append((item, " | ".join(text for text in shown if text)[:SHOWN_CHARS]))
    return edited


def restore(
    edited: Sequence[tuple[StoredEvent, str]], tab: str, editors: Editors
) -> tuple[list[Write], Event | None]:
    """The writes that put the edited lines back, and the event that records the edit: none for lines no
    person touched, where the platform knows each cell's editor (a sync that lost a race wrote them)."""
    if not edited:
        return [], None
    writes = [write for item, _ in edited for write in stored_log_lines([item], tab)]
    touched = {row for row, _ in editors.cells}
    by_hand = [(item, shown) for item, shown in edited if not editors.per_cell or item.seq in touched]
    if not by_hand:
        return writes, None
    edited = by_hand
    rows = [item.seq + 1 for item, _ in edited]
    named = ", ".join(str(row) for row in rows[:ROWS_NAMED])
    more = f" and {len(rows) - ROWS_NAMED} more" if len(rows) > ROWS_NAMED else ""
    field = f"Log row {named}" if len(rows) == 1 else f"Log rows {named}{more}"
    by = {editors.cells[place] for place in editors.cells if place[0] + 1 in rows}
    who = by.pop() if len(by) == 1 else ""
    note = "" if who else drive_hint(editors.last)
    return writes, Event(EventKind.LOG_RESTORED, None, field, edited[0][1], "", who, note=note)
