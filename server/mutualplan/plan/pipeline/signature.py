"""Signature supported: does the forecast close date rest on the buyer's word, or on the seller's hope?

It does when the signature step, every step it depends on (through their own dependencies), and every
customer-internal step due before it are confirmed by the customer, verified, at their current dates.
A Done step counts only as confirmed: marking a step Done is the seller's word, not the buyer's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.sheet.text import label_key


@dataclass(frozen=True, slots=True)
class SignatureSupport:
    """Whether the signature is supported, and if not, the steps it waits on, each with why."""

    supported: bool
    signature: RowState | None = None
    unsupported: tuple[tuple[RowState, str], ...] = ()  # (step, "not confirmed" | "past signature" …)

    @property
    def why_not(self) -> str:
        """What keeps it unsupported, as a manager reads it ("" when supported)."""
        if self.supported:
            return ""
        if self.signature is None:
            return "the plan has no dated signature step"
        return "; ".join(f"{row.step} ({why})" for row, why in self.unsupported)


def signature_support(snapshot: Snapshot) -> SignatureSupport:
    """Whether the signature rests on the buyer's verified word (see the module's docstring)."""
    signature = _signature_row(snapshot)
    if signature is None or signature.due is None:
        return SignatureSupport(False, signature)
    needed = {row.id: row for row in _dependencies(snapshot, signature)}
    needed.update(
        (row.id, row)
        for row in snapshot.rows
        if row.is_customer_internal and row.due is not None and row.due <= signature.due
    )
    needed[signature.id] = signature
    unsupported = tuple(
        (row, why) for row in sorted(needed.values(), key=_by_due) if (why := _why_not(row, signature))
    )
    return SignatureSupport(not unsupported, signature, unsupported)


def _signature_row(snapshot: Snapshot) -> RowState | None:
    """The signature step: the one due on the target signature, else the last one (a plan may split
    signing into steps, the countersignature last)."""
    signing = [row for row in snapshot.rows if row.is_signature]
    on_target = [row for row in signing if row.due is not None and row.due == snapshot.target_signature]
    chosen = on_target or signing
    return chosen[-1] if chosen else None


def _dependencies(snapshot: Snapshot, start: RowState) -> Iterator[RowState]:
    """The steps a step depends on, through their own dependencies (a reference is an ID or a step)."""
    by_key: dict[str, RowState] = {}
    for row in reversed(snapshot.rows):
        by_key[label_key(row.step)] = row
    for row in reversed(snapshot.rows):
        by_key[label_key(row.id)] = row
    seen, waiting = {start.id}, list(start.depends_on)
    while waiting:
        found = by_key.get(label_key(waiting.pop()))
        if found is not None and found.id not in seen:
            seen.add(found.id)
            waiting.extend(found.depends_on)
            yield found


def _why_not(row: RowState, signature: RowState) -> str:
    assert signature.due is not None
    if row.due is None:
        return "no date"
    if row is not signature and row.due > signature.due:
        return "past signature"
    if not row.verified:
        return "moved since confirmed" if row.voided else "not confirmed"
    return ""


def _by_due(row: RowState) -> tuple[bool, int, int]:
    return (row.due is None, row.due.toordinal() if row.due else 0, row.sheet_row)
