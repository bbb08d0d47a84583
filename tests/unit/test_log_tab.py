"""The Log tab checked against the audit log: every line once, then only the lines after those seen
right, while those still are."""

from __future__ import annotations

from datetime import UTC, datetime

from mutualplan.plan.history.audit import GENESIS, StoredEvent, chain
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.log_tab import NOTHING_SEEN, check_log, still_seen
from mutualplan.plan.history.write_back import log_line
from mutualplan.plan.sheet.grid import Cell, Grid

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def stored(count: int) -> list[StoredEvent]:
    moved = Event(EventKind.STATUS_CHANGED, "M01", "status", "Not started", "In progress", "sam@vendor.io")
    return chain(GENESIS, 1, AT, [(f"k{n}", moved) for n in range(count)])


def log_of(events: list[StoredEvent]) -> list[list[Cell]]:
    header = [Cell(text) for text in ("When", "Who", "Row", "Event", "Old", "New", "Trust")]
    return [header, *([Cell(value.value) for value in log_line(item.event, item.at)] for item in events)]


def test_a_whole_log_checks_right_and_is_then_seen() -> None:
    events = stored(5)
    found = check_log(Grid(rows=log_of(events)), NOTHING_SEEN, events)
    assert (found.edited, found.seen.rows) == ((), 5)
    assert still_seen(Grid(rows=log_of(events)), found.seen)


def test_an_edit_to_a_line_seen_before_unseats_the_digest_and_a_whole_check_finds_it() -> None:
    events = stored(5)
    seen = check_log(Grid(rows=log_of(events)), NOTHING_SEEN, events).seen
    rows = log_of(events)
    rows[2][3] = Cell("Nothing happened")
    grid = Grid(rows=rows)
    assert not still_seen(grid, seen)
    (edited,) = check_log(grid, NOTHING_SEEN, events).edited
    assert edited[0].seq == 2
    assert "Nothing happened" in edited[1]


def test_only_the_lines_after_those_seen_are_checked_and_a_missing_one_is_edited() -> None:
    events = stored(6)
    seen = check_log(Grid(rows=log_of(events[:4])), NOTHING_SEEN, events[:4]).seen
    rows = log_of(events)[:6]  # event 6's line is gone from the sheet
    found = check_log(Grid(rows=rows), seen, events[4:])
    assert [item.seq for item, _ in found.edited] == [6]
    assert found.seen.rows == 6
