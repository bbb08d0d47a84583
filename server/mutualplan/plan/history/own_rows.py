"""Where each row's confirmation stands (the grid's badges), and a customer person's own steps as their
side of the sidebar shows them."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.events import rejection_text
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.vocabulary import Status


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
    """Where a row stands, said to the person who owns it."""
    found = standing(row)
    mine = row.confirmation is not None and row.confirmation.email.casefold() == me
    if found is None or found.kind == "rejected":
        return "not confirmed yet"
    if found.kind == "verified" and mine and row.confirmation is not None:
        return f"confirmed by you{row.confirmation.when}"
    if found.kind == "claimed" and mine:
        return "ticked for you in the sheet — verify it from your page"
    if found.kind == "voided" and row.voided is not None and row.voided.email.casefold() == me:
        return f"your confirmation was voided: {row.voided.mover} moved the dates — confirm again"
    return found.text


class Standing(NamedTuple):
    """Where a row's customer confirmation stands: a few words the grid shows at a glance, and the
    whole of it for a closer look."""

    kind: str  # verified, claimed, voided, rejected
    text: str
    short: str


def standing(row: RowState) -> Standing | None:
    """A row's confirmation: verified (who, when), claimed (waiting for whom), voided (the dates it was
    for, and who moved them), or a tick not counted (why); None when the row was never confirmed."""
    record = row.confirmation
    if row.proposal is not None:  # the customer asked for another date: the seller's move
        proposal = row.proposal
        by = proposal.by.partition(" <")[0] or proposal.email
        said = f"{by} proposes {format_day(proposal.due)} instead: {proposal.reason} — answer in the sidebar"
        return Standing("proposed", said, f"proposed {format_day(proposal.due)}")
    if record is not None and (record.start, record.due) == (row.start, row.due):
        who = record.by.partition(" <")[0] or record.email or "the customer"
        if record.verified:
            return Standing("verified", f"✓ {who}{record.when}", f"✓ {who}")
        return Standing("claimed", f"claimed for {who}: waiting for them to verify", f"claimed: {who}")
    if row.voided is not None:
        gone = row.voided
        said = f"voided: {gone.old_dates} moved to {gone.new_dates} by {gone.mover}"
        return Standing("voided", said, f"voided by {gone.mover}")
    if row.rejected:
        why = rejection_text(row.rejected, ", ".join(row.confirmed_by))
        return Standing("rejected", f"not counted: {why}", "not counted")
    return None
