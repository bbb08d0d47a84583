"""Whether a row's dates count as confirmed by the customer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from mutualplan.plan.dates import format_day
from mutualplan.plan.history import ConfirmedDates, History
from mutualplan.plan.model import Plan, PlanRow, Side
from mutualplan.plan.people import Party
from mutualplan.plan.stakeholders import Stakeholder, side_in


class Confirmation(StrEnum):
    """The state of a row's customer confirmation."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    STALE = "stale"
    NOT_CUSTOMER = "not customer"


def side_of(party: Party, plan: Plan, stakeholders: Sequence[Stakeholder] = ()) -> Side:
    """A person's side: by email domain, else the Stakeholders tab, else the owner column they stand in."""
    by_domain = plan.side_of_domain(party.domain)
    if by_domain is not Side.UNKNOWN:
        return by_domain
    listed = side_in(stakeholders, party.email, party.name)
    return listed if listed is not Side.UNKNOWN else plan.person_sides.get(party.key, Side.UNKNOWN)


def confirmation_of(row: PlanRow, plan: Plan, history: History | None) -> Confirmation:
    """Whether the customer confirmed this row's current dates."""
    if not row.confirmed:
        return Confirmation.UNCONFIRMED
    by_sides = {side_of(party, plan) for party in row.confirmed_by}
    rejected = history is not None and row.id in history.not_customer
    if rejected or (Side.VENDOR in by_sides and Side.CUSTOMER not in by_sides):
        return Confirmation.NOT_CUSTOMER
    record = confirmed_dates(row, history)
    if record is not None and (record.start, record.due) != (row.start.value, row.due.value):
        return Confirmation.STALE
    return Confirmation.CONFIRMED


def confirmed_dates(row: PlanRow, history: History | None) -> ConfirmedDates | None:
    """The dates on record as confirmed for this row, when history knows them."""
    if history is None or row.id is None:
        return None
    return history.confirmations.get(row.id)


def unconfirmed_within(plan: Plan, today: date, history: History | None, days: int = 30) -> list[PlanRow]:
    """The open steps due in the next days whose dates the customer has not confirmed, soonest first."""
    end = today + timedelta(days=days)
    due_soon = [
        row for row in plan.rows if not row.is_done and row.due.value and today <= row.due.value <= end
    ]
    unconfirmed = [
        row for row in due_soon if confirmation_of(row, plan, history) is not Confirmation.CONFIRMED
    ]
    return sorted(unconfirmed, key=lambda row: (row.due.value or today, row.sheet_row))


def confirm_request_lines(dated: Sequence[tuple[date, str]]) -> tuple[str, ...]:
    """What the champion is asked, for (due, step) pairs (MAP_METHOD: silence is not agreement). The
    sidebar shows these words, and the confirm_request reminder sends them."""
    return (
        "Can you confirm these dates work on your side — and add the internal steps we're missing?",
        "",
        *(f"• {format_day(due)}: {step}" for due, step in dated),
        "",
        "Tick Customer confirmed on each row in the plan once they do.",
    )
