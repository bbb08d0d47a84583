"""What a sync records: events, each with who and how far to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Trust(StrEnum):
    """How sure we are who confirmed (DESIGN.md, "Who confirmed"). Only verified confirmations count."""

    VERIFIED = "verified"  # they proved who they are: their link, their own sidebar, the per-cell editor
    CLAIMED = "claimed"  # a tick in the sheet naming them: waiting for them to verify
    # Words of events recorded before claims existed; the audit chain keeps them, and they read as claims.
    ATTESTED = "attested"
    UNKNOWN = "unknown"

    @property
    def counts(self) -> bool:
        """Whether a confirmation of this trust counts in the figures and reminders."""
        return self is Trust.VERIFIED


class Via(StrEnum):
    """The channel a confirmation came through."""

    LINK = "link"  # the person's own confirmation link
    CELL = "cell"  # the embedded workbook's per-cell editor
    SHEET = "sheet"  # a tick in a Google Sheet: a claim


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
    DATE_PROPOSED = "date_proposed"
    PROPOSAL_DECLINED = "proposal_declined"  # the seller kept the date, with a reason for the proposer
    LINK_SHOWN = "link_shown"  # a person's link shown to an operator: it confirms only as a claim
    LOG_RESTORED = "log_restored"  # a Log tab line edited by hand, written back from the store
    HISTORY_LOST = "history_lost"  # the spreadsheet carried a longer history than the store holds
    CUSTOMER_DOMAIN_MOVED = "customer_domain_moved"  # changed after people at it verified (plan.pinning)
    CRM_CLOSE_DATE_SET = "crm_close_date_set"  # the seller set the CRM's close date to the plan's signature


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
    via: str = ""  # for a confirmation: the channel it came through (a Via)
    note: str = ""  # a claim's hint ("Drive last showed X editing"), a proposal's reason

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
        if self.kind is EventKind.CONFIRMED and self.trust and not self.trust.counts:
            return f"Claimed {self.new} for {self.who} — waiting for them to verify"
        if self.kind is EventKind.CONFIRMATION_REJECTED:
            return f"Not counted: {rejection_text(self.field, self.who)}"
        if self.kind is EventKind.LOG_RESTORED:
            return f"{self.field} edited by {self.who_shown} and restored"
        text = DESCRIPTIONS[self.kind].format(field=self.field, old=self.old, new=self.new, who=self.who)
        return f"{text} ({self.note})" if self.note and self.kind is EventKind.DATE_PROPOSED else text

    @property
    def who_shown(self) -> str:
        """Who, as the Log tab shows it: the person who acted when we know it, else what Drive showed."""
        unproven = self.kind is EventKind.CONFIRMATION_REJECTED or (
            self.kind is EventKind.CONFIRMED and self.trust is not None and not self.trust.counts
        )
        if self.who and not unproven:
            return self.who
        if self.note.startswith(TICKED_BY):  # the embedded workbook saw exactly who ticked
            return self.note.removeprefix(TICKED_BY)
        seen = drive_editor(self.note)
        return f"unknown (Drive showed {seen})" if seen else "unknown"


_HINT = "Drive last showed {} editing"
TICKED_BY = "ticked by "  # a claim's note where the per-cell editor is known, but is not the person named


def drive_hint(email: str | None) -> str:
    """What Drive's last-editor field says, kept as a hint, never as who acted."""
    return _HINT.format(email) if email else ""


def drive_editor(note: str) -> str:
    """The editor a Drive hint names ("" when the note is no hint)."""
    head, _, tail = _HINT.partition("{}")
    return note.removeprefix(head).removesuffix(tail) if note.startswith(head) and note.endswith(tail) else ""


class Rejection(StrEnum):
    """Why a tick of Customer confirmed is no customer confirmation (the values older events stored)."""

    NOBODY = "nobody"
    VENDOR = "vendor"
    SIDE_UNKNOWN = "unknown"
    OUTSIDE = "outside"  # an address not at the customer's domain: naming them makes nobody a customer
    FREEMAIL = "freemail"  # an address anyone can make
    LOOKALIKE = "lookalike"  # an address made to look like another (mixed scripts, a confusable skeleton)


def rejection_text(reason: str, who: str) -> str:
    """Why a tick is not counted, in words that say what to fix."""
    named = who if who and who != "nobody named" else ""  # "nobody named": how older events said it
    if reason in OUTSIDE_TEXTS and named:
        return f"{named} {OUTSIDE_TEXTS[reason]} — only a person at the customer's own domain can confirm"
    if reason == Rejection.VENDOR and named:
        return f"{named} is on the vendor side — only the customer can confirm"
    if reason == Rejection.SIDE_UNKNOWN and named:
        return (
            f"{named} is not known to be on the customer side — list them as Customer on the Stakeholders tab"
        )
    return "Customer confirmed is ticked but Confirmed by is blank — name the customer person who confirmed"


OUTSIDE_TEXTS: dict[str, str] = {
    Rejection.OUTSIDE.value: "is not at the customer's domain",
    Rejection.FREEMAIL.value: "has a freemail address, which anyone can make",
    Rejection.LOOKALIKE.value: "has an address made to look like another person's",
}

DESCRIPTIONS = {
    EventKind.CONFIRMED: "Confirmed {new} by {who}",
    EventKind.CONFIRMATION_VOIDED: "Confirmation voided: {field}",
    EventKind.CONFIRMATION_REJECTED: "Not counted",
    EventKind.DATE_MOVED: "{field} moved",
    EventKind.OWNER_CHANGED: "{field} changed",
    EventKind.EVIDENCE_ADDED: "Exit evidence added",
    EventKind.STATUS_CHANGED: "Status changed",
    EventKind.ROW_ADDED: "Step added",
    EventKind.ROW_REMOVED: "Step removed",
    EventKind.HEAD_CHANGED: "{field} changed",
    EventKind.DATE_PROPOSED: "{who} proposed {field} {new} instead of {old}",
    EventKind.PROPOSAL_DECLINED: "{who} declined the proposed {field} {old}",
    EventKind.LINK_SHOWN: "Link of {new} shown to operator {who}",
    EventKind.LOG_RESTORED: "{field} restored",
    EventKind.HISTORY_LOST: "History lost: the spreadsheet saw {old} events, the store had {new}",
    EventKind.CUSTOMER_DOMAIN_MOVED: "Customer domain moved from {old} to {new} after verification",
    EventKind.CRM_CLOSE_DATE_SET: "{who} set the {field} from {old} to {new}",
}
