"""What a sync records: events, each with who and how far to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Trust(StrEnum):
    """How sure we are who confirmed (DESIGN.md, "Who confirmed")."""

    VERIFIED = "verified"  # the platform's editor identity is the person named
    ATTESTED = "attested"  # only the Confirmed-by cell names them
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    """The kinds of change a sync records."""

    CONFIRMED = "confirmed"
    CONFIRMATION_VOIDED = "confirmation_voided"
    CONFIRMATION_REJECTED = "confirmation_rejected"
    DATE_MOVED = "date_moved"
    OWNER_CHANGED = "owner_changed"
    EVIDENCE_ADDED = "evidence_added"
    STATUS_CHANGED = "status_changed"
    ROW_ADDED = "row_added"
    ROW_REMOVED = "row_removed"
    HEAD_CHANGED = "head_changed"


@dataclass(frozen=True, slots=True)
class Event:
    """One change of a plan; `field` says which part of the row or head changed."""

    kind: EventKind
    row: str | None = None  # the row's ID; None for the head
    field: str = ""
    old: str = ""
    new: str = ""
    who: str = ""
    trust: Trust | None = None
    sheet_row: int | None = None

    @property
    def slip_days(self) -> int | None:
        """Days a due date moved later (a slip); None for anything else."""
        if self.kind is not EventKind.DATE_MOVED or self.field != "due" or not self.old or not self.new:
            return None
        days = (date.fromisoformat(self.new) - date.fromisoformat(self.old)).days
        return days if days > 0 else None

    def key(self, base_version: int) -> str:
        """The event's identity within a sync from a given snapshot: storing it twice is refused."""
        return f"v{base_version}:{self.kind.value}:{self.row or '-'}:{self.field}"

    def describe(self) -> str:
        """The event in words, for the Log tab and the sidebar's Activity."""
        return DESCRIPTIONS[self.kind].format(field=self.field, old=self.old, new=self.new, who=self.who)


DESCRIPTIONS = {
    EventKind.CONFIRMED: "Confirmed {new} by {who}",
    EventKind.CONFIRMATION_VOIDED: "Confirmation voided: {field}",
    EventKind.CONFIRMATION_REJECTED: "Not a customer confirmation: {who} is not on the customer side",
    EventKind.DATE_MOVED: "{field} moved",
    EventKind.OWNER_CHANGED: "{field} changed",
    EventKind.EVIDENCE_ADDED: "Exit evidence added",
    EventKind.STATUS_CHANGED: "Status changed",
    EventKind.ROW_ADDED: "Step added",
    EventKind.ROW_REMOVED: "Step removed",
    EventKind.HEAD_CHANGED: "{field} changed",
}
