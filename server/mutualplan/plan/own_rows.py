"""A customer person's own steps, and where each stands with them: what their side of the sidebar shows."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from mutualplan.plan.model import Side
from mutualplan.plan.snapshot import RowState, Snapshot
from mutualplan.plan.vocabulary import Status


class OwnRow(NamedTuple):
    """One open step a person owns, and its confirmation as they should read it."""

    row_id: str
    step: str
    due: date | None
    state: str


def own_rows(snapshot: Snapshot, email: str) -> tuple[OwnRow, ...]:
    """The open steps a customer person owns, soonest first, each with its confirmation's state."""
    me = email.casefold()
    mine = [
        row
        for row in snapshot.rows
        if row.status != Status.DONE.value
        and any(o.side is Side.CUSTOMER and (o.email or "").casefold() == me for o in row.owners)
    ]
    mine.sort(key=lambda row: (row.due or date.max, row.sheet_row))
    return tuple(OwnRow(row.id, row.step, row.due, _state(row, me)) for row in mine)


def _state(row: RowState, me: str) -> str:
    record = row.confirmation
    if row.verified and record is not None:
        return "confirmed by you" if record.email.casefold() == me else f"confirmed by {record.by}"
    if row.voided is not None:
        whose = "your" if row.voided.email.casefold() == me else f"{row.voided.confirmer}'s"
        return f"{whose} confirmation was voided: {row.voided.mover} moved the dates — confirm again"
    if record is not None and (record.start, record.due) == (row.start, row.due):
        return "ticked for you in the sheet — verify it from your page"
    return "not confirmed yet"
