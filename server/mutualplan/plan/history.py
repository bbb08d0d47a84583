"""What the store knows of a plan's past: confirmed dates and slips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ConfirmedDates:
    """The start and due a customer-side person confirmed for a row."""

    start: date | None
    due: date | None
    by: str = ""
    trust: str = ""


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


@dataclass(frozen=True, slots=True)
class History:
    """Confirmations by row ID, the rows whose tick is not a customer's, and every slip so far."""

    confirmations: Mapping[str, ConfirmedDates] = field(default_factory=dict)
    slips: Sequence[Slip] = ()
    not_customer: frozenset[str] = frozenset()  # row IDs ticked by someone not on the customer side
