"""The Log tab is the people's copy of the audit log: a line edited by hand is found, written back from
the store, and the edit recorded (one event a sync, naming the rows).

Checking every line at every sync would cost a long-lived plan thousands of sentences a sync. So each
check leaves a chained digest of the lines it found right (LogSeen); the next sync hashes the sheet's
first lines, and when they are still what was seen, checks only the lines after them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.history.events import Event, EventKind, drive_hint
from mutualplan.plan.history.write_back import log_line, stored_log_lines
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import Cell, Grid
from mutualplan.plan.sheet.layout import Write

ROWS_NAMED = 10  # the restore event names this many rows, then counts the rest
SHOWN_CHARS = 200  # of the edited text the event keeps
WIDTH = 7  # When, Who, Row, Event, Old, New, Trust


@dataclass(frozen=True, slots=True)
class LogSeen:
    """How many of the Log's lines (event 1 to rows) a check found right, and their chained digest."""

    rows: int = 0
    digest: str = ""


NOTHING_SEEN = LogSeen()


@dataclass(frozen=True, slots=True)
class LogCheck:
    """What a check found: the lines edited (each with what the sheet shows), and what it saw right."""

    edited: tuple[tuple[StoredEvent, str], ...]
    seen: LogSeen


def check_log(grid: Grid, seen: LogSeen, unseen: Sequence[StoredEvent]) -> LogCheck:
    """Check the lines after those seen right (the events unseen, from seen.rows + 1 on), once the
    sheet's first seen.rows lines still hash to the digest seen; the caller passes every event when
    seen is LogSeen() (the first check, or lines seen before were edited)."""
    digest, edited = seen.digest, []
    for item in unseen:
        expected = _expected(item)
        shown = _shown(grid, item.seq)
        if shown != expected:
            edited.append((item, " | ".join(text for text in shown if text)[:SHOWN_CHARS]))
        digest = _chained(digest, expected)
    return LogCheck(tuple(edited), LogSeen(seen.rows + len(unseen), digest))


def still_seen(grid: Grid, seen: LogSeen) -> bool:
    """Whether the sheet's first lines are still those a check found right."""
    digest = ""
    for seq in range(1, seen.rows + 1):
        digest = _chained(digest, _shown(grid, seq))
    return digest == seen.digest


def _expected(item: StoredEvent) -> tuple[str, ...]:
    return tuple(
        value.value if isinstance(value.value, str) else "" for value in log_line(item.event, item.at)
    )


def _shown(grid: Grid, seq: int) -> tuple[str, ...]:
    """Event seq's line as the sheet shows it (row seq + 1), as text."""
    cells: Sequence[Cell] = grid.rows[seq] if seq < len(grid.rows) else ()
    texts = [cell.value if isinstance(cell.value, str) else cell_text(cell) for cell in cells[:WIDTH]]
    return (*texts, *[""] * (WIDTH - len(texts)))


def _chained(digest: str, texts: tuple[str, ...]) -> str:
    return hashlib.sha256("\x1f".join((digest, *texts)).encode()).hexdigest()


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
    rows = [item.seq + 1 for item, _ in by_hand]
    named = ", ".join(str(row) for row in rows[:ROWS_NAMED])
    more = f" and {len(rows) - ROWS_NAMED} more" if len(rows) > ROWS_NAMED else ""
    field = f"Log row {named}" if len(rows) == 1 else f"Log rows {named}{more}"
    by = {editors.cells[place] for place in editors.cells if place[0] + 1 in rows}
    who = by.pop() if len(by) == 1 else ""
    note = "" if who else drive_hint(editors.last)
    return writes, Event(EventKind.LOG_RESTORED, None, field, by_hand[0][1], "", who, note=note)
