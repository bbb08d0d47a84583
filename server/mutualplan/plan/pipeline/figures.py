"""A deal's health figures as they stood on one day: what a weekly score keeps."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Figures(NamedTuple):
    """A deal's health as it stood on one day (MAP_METHOD's figures and review questions). (A NamedTuple:
    a pipeline reads thousands back at once, and a frozen dataclass of thirty fields costs several times
    as much to build.)"""

    confirmation_rate_30d: float | None  # verified only; None when nothing falls due in 30 days
    dates_next_30d: int
    confirmed_next_30d: int
    confirmed_share_future: float | None  # of every open step dated from today on, the share confirmed
    customer_owners: int
    single_threaded: bool
    slips_total: int
    slip_days_total: int
    slips_this_week: int
    slip_days_this_week: int
    overdue_open: int
    days_to_signature: int | None
    days_to_go_live: int | None
    target_signature: date | None
    go_live: date | None
    risks_past_date: int
    proposals_waiting: int
    next_milestone: str
    next_milestone_due: date | None
    next_milestone_confirmed: bool
    assumed_internal: tuple[str, ...]  # review question 2: customer-internal steps not confirmed
    must_be_true: tuple[str, ...]  # review question 3: "Step (why)", due in the 3 weeks before signature
    signature_supported: bool
    signature_waits_on: str  # what keeps the signature unsupported, "" when it is supported
    signature_steps_late: tuple[str, ...]  # steps the signature depends on, overdue or past signature
    done_steps: int  # these three tell a week with activity from a quiet one
    confirmed_steps: int
    dates_key: str
    quiet_weeks: int  # weeks in a row with nothing confirmed, done or moved while steps sat overdue
    unconfirmed_weeks: int  # weeks in a row with dates in the next 30 days and none of them confirmed

    @property
    def confirmation_percent(self) -> str:
        """The 30-day confirmation rate as people read it: "67%", or "–" with nothing due."""
        rate = self.confirmation_rate_30d
        return "–" if rate is None else f"{round(rate * 100)}%"
