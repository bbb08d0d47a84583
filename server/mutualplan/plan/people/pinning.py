"""The customer domain is pinned by the first verification: the seller cannot make a domain they control
the customer's and confirm from it unseen.

Once someone at the plan's customer domains has verified, those domains are pinned. A later change of
the customer domain voids nothing silently: it is recorded (`customer_domain_moved`), the snapshot
flags it for the home card and the digest, and the confirmations from the old domains are suspended
(they stop counting) until someone at the new domains verifies. Then the new domains are pinned, and a
suspended confirmation whose dates still stand counts again."""

from __future__ import annotations

from collections.abc import Sequence

from mutualplan.plan.history.events import Event, EventKind, Trust
from mutualplan.plan.history.past import ConfirmedDates
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.people.confirmers import domain_of


def pin(
    base: Snapshot, current: frozenset[str], states: Sequence[RowState]
) -> tuple[frozenset[str], list[RowState], list[Event]]:
    """The pinned domains after this sync (from the last snapshot's), the rows with old-domain
    confirmations suspended (or restored), and the event that records a move, once."""
    pinned, before = base.pinned, {row.id: row for row in base.rows}
    carried = [_carried(state, before.get(state.id)) for state in states]
    if not pinned or pinned == current or _verified_at(carried, current):
        if not _verified_at(carried, current):
            return pinned, carried, []  # nobody verified yet: nothing to pin
        return current, [_restored(state) for state in carried], []
    suspended = [_suspended(state, current) for state in carried]
    if pinned != base.confirmers.customer_domains:  # the move was recorded when it was first seen
        return pinned, suspended, []
    old, new = ", ".join(sorted(pinned)), ", ".join(sorted(current))
    note = f"confirmations from {old} stop counting until someone at {new or 'the new domain'} verifies"
    moved = Event(EventKind.CUSTOMER_DOMAIN_MOVED, None, "Customer domain", old, new, note=note)
    return pinned, suspended, [moved]


def _carried(state: RowState, before: RowState | None) -> RowState:
    """A row keeps its suspended confirmation from sync to sync (the sheet knows nothing of it)."""
    if before is None or before.suspended is None or state.suspended is not None:
        return state
    return state._replace(suspended=before.suspended)


def _verified_at(states: Sequence[RowState], domains: frozenset[str]) -> bool:
    records = [state.confirmation for state in states if state.confirmation is not None]
    return any(_counts(record) and domain_of(record.email) in domains for record in records)


def _counts(record: ConfirmedDates | None) -> bool:
    return record is not None and record.trust == Trust.VERIFIED.value and bool(record.email)


def _suspended(state: RowState, current: frozenset[str]) -> RowState:
    record = state.confirmation
    if not _counts(record) or record is None or domain_of(record.email) in current:
        return state
    return state._replace(confirmation=None, suspended=record)


def _restored(state: RowState) -> RowState:
    record = state.suspended
    if record is None:
        return state
    if state.confirmation is None and (record.start, record.due) == (state.start, state.due):
        return state._replace(confirmation=record, suspended=None)
    return state._replace(suspended=None)
