"""A plan's reminder settings: who is nudged, how many days ahead, the weekly digest."""

from __future__ import annotations

from dataclasses import dataclass

MAX_DAYS_AHEAD = 30


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """What the seller chose in the sidebar's Reminders card."""

    days_ahead: int = 3  # `upcoming` reminders this many days before a due date
    owners: bool = True  # remind row owners before, on and after due dates
    champion: bool = True  # ask the champion weekly to confirm the next 30 days' dates
    digest: bool = True  # the weekly countdown to the seller and the champion

    def __post_init__(self) -> None:
        if not 0 <= self.days_ahead <= MAX_DAYS_AHEAD:
            raise ValueError(f"days ahead is a number from 0 to {MAX_DAYS_AHEAD}")
