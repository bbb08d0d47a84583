"""What a sync writes into the sheet: fresh IDs, unticked voided confirmations, notes, and Log lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mutualplan.plan.checks.sentences import sentence
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.diff import WriteBack
from mutualplan.plan.history.events import Event
from mutualplan.plan.sheet.layout import Kind, SetCell, SetRows, Value, Write
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.vocabulary import Column


def write_back(back: WriteBack, plan: Plan, tab: str) -> list[Write]:
    """The plan tab's writes: IDs filled, voided boxes unticked with a note, ticks not counted noted."""
    columns = plan.columns
    writes: list[Write] = []

    def put(row: int, column: Column, value: Value, note: str | None = None) -> None:
        col = columns.get(column)
        if col is not None:
            writes.append(SetCell(tab, row - 1, col, value, note))

    for row, row_id in back.ids:
        put(row, Column.ID, Value(Kind.TEXT, row_id))
    for row, note in back.unticks:
        put(row, Column.CONFIRMED, Value(Kind.BOOL, False), note)
        put(row, Column.CONFIRMED_BY, Value(Kind.PERSON, None))
    for row, note in back.notes:
        put(row, Column.CONFIRMED, Value(Kind.BOOL, True), note)
    for row, person in back.confirmed_by:
        put(row, Column.CONFIRMED_BY, Value(Kind.PERSON, person))
    for row, person, note in back.verified:
        put(row, Column.CONFIRMED, Value(Kind.BOOL, True), note)
        put(row, Column.CONFIRMED_BY, Value(Kind.PERSON, person))
    return writes


def log_lines(events: Sequence[Event], first_seq: int, at: datetime, tab: str) -> list[Write]:
    """The Log tab's lines for events numbered from first_seq: event N on row N+1, so that writing
    them again changes nothing."""
    if not events:
        return []
    return [SetRows(tab, first_seq, 0, tuple(log_line(event, at) for event in events))]


def stored_log_lines(stored: Sequence[StoredEvent], tab: str) -> list[Write]:
    """The Log tab's lines for stored events, numbered in a row (event N on row N+1), each at its time."""
    if not stored:
        return []
    return [SetRows(tab, stored[0].seq, 0, tuple(log_line(item.event, item.at) for item in stored))]


def log_line(event: Event, at: datetime) -> tuple[Value, ...]:
    """When, Who, Row, Event, Old, New, Trust — every one written as text."""
    where = event.row or "plan"
    if event.row and event.sheet_row:
        where = f"{event.row} (row {event.sheet_row})"
    texts = (
        when_text(at), event.who_shown, where, sentence(event), event.old, event.new,
        event.trust.value if event.trust else "",
    )  # fmt: skip
    return tuple(Value(Kind.TEXT, text or None) for text in texts)


def when_text(moment: datetime) -> str:
    """A moment as the Log shows it, in UTC."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")
