"""What the store knows of a plan's past: confirmed dates and slips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from mutualplan.plan.dates.reading import format_day, format_range, plausible


@dataclass(frozen=True, slots=True)
class ConfirmedDates:
    """The start and due a customer-side person confirmed for a row — or is claimed to have confirmed,
    until they verify it (only a verified confirmation counts)."""

    start: date | None
    due: date | None
    by: str = ""  # "Name <email>", as the audit log names them
    trust: str = ""  # a Trust value
    email: str = ""
    on: str = ""  # the day it was given, ISO (blank in snapshots stored before it was kept)

    @property
    def when(self) -> str:
        """ " on 30 Nov 2026", or "" when the day is not known."""
        return f" on {format_day(date.fromisoformat(self.on))}" if self.on else ""

    @property
    def verified(self) -> bool:
        """Whether it counts: the person proved who they are."""
        return self.trust == "verified"


@dataclass(frozen=True, slots=True)
class Voided:
    """A confirmation the dates moved away from: who had confirmed which dates, what they became, and
    who moved them. Kept until the customer confirms the row again, so the sheet, the sidebar and the
    confirmer can be told."""

    by: str  # the confirmer, "Name <email>"
    email: str
    old: str  # the confirmed dates, "2027-01-04 → 2027-01-18"
    new: str  # the dates now
    moved_by: str

    @property
    def confirmer(self) -> str:
        """The confirmer's name (their email when the log has no name)."""
        return self.by.partition(" <")[0] or self.email or "the customer"

    @property
    def mover(self) -> str:
        """Who moved the dates, by name where known: "someone" when the platform could not tell."""
        unknown = not self.moved_by or self.moved_by.startswith("unknown")
        if unknown:
            return "someone" + self.moved_by.removeprefix("unknown")
        return self.moved_by.partition(" <")[0] or self.moved_by

    @property
    def old_dates(self) -> str:
        """The dates that were confirmed, as people read them: "4 Jan 2027 – 18 Jan 2027"."""
        return format_range(self.old)

    @property
    def new_dates(self) -> str:
        """The dates now, as people read them."""
        return format_range(self.new)

    @property
    def note(self) -> str:
        """What the sheet says of it: whose it was, the dates it was for, and who moved them."""
        return (
            f"Confirmation voided: {self.confirmer} confirmed {self.old_dates}; {self.mover} moved them to "
            f"{self.new_dates} — ask {self.confirmer} again"
        )


@dataclass(frozen=True, slots=True)
class Proposal:
    """Another due date a customer-side person proposed for a row: it moves nothing until accepted."""

    due: date
    reason: str
    by: str
    email: str


@dataclass(frozen=True, slots=True)
class Slip:
    """A due date that moved later."""

    row_id: str
    old: date
    new: date

    @property
    def days(self) -> int:
        """How many days later the new date is."""
        return (self.new - self.old).days

    def counts(self, today: date) -> bool:
        """Whether the slip is one to count: both dates can be meant (a typo such as year 0304 is not
        a slip of 600,000 days)."""
        return plausible(self.old, today) and plausible(self.new, today)


@dataclass(frozen=True, slots=True)
class History:
    """Confirmations (verified or claimed) by row ID, the ticks not counted and why, and every slip."""

    confirmations: Mapping[str, ConfirmedDates] = field(default_factory=dict)
    slips: Sequence[Slip] = ()
    rejected: Mapping[str, str] = field(default_factory=dict)  # row ID → a Rejection: a tick not counted
    voided: Mapping[str, Voided] = field(default_factory=dict)  # row ID → the confirmation a move voided
