"""Whether a row's dates count as confirmed by the customer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.events import Rejection
from mutualplan.plan.history.past import ConfirmedDates, History
from mutualplan.plan.people.parties import Party
from mutualplan.plan.sheet.model import Plan, PlanRow, Side
from mutualplan.plan.sheet.stakeholders import side_in


class Confirmation(StrEnum):
    """The state of a row's customer confirmation: only CONFIRMED counts."""

    CONFIRMED = "confirmed"  # verified (or, in a file with no history, named in the sheet)
    CLAIMED = "claimed"  # the sheet names a customer person: waiting for them to verify
    UNCONFIRMED = "unconfirmed"
    STALE = "stale"  # the dates moved after they were confirmed
    REJECTED = "rejected"  # ticked, but naming nobody or someone not on the customer side


def side_of(party: Party, plan: Plan) -> Side:
    """A person's side: by email domain, else the Stakeholders tab, else the owner column they stand in."""
    by_domain = plan.side_of_domain(party.domain)
    if by_domain is not Side.UNKNOWN:
        return by_domain
    listed = side_in(plan.stakeholders, party.email, party.name)
    return listed if listed is not Side.UNKNOWN else plan.person_sides.get(party.key, Side.UNKNOWN)


def refusal_of(party: Party, plan: Plan) -> Rejection | None:
    """Why a person may not confirm for the customer; None when they may. An address must be at one of
    the customer's domains (plan.confirmers); a name with no address anywhere in the plan goes by its
    side — it can be claimed, never verified, since no link can reach it."""
    if party.email:
        return plan.confirmers.refusal(party.email)
    side = side_of(party, plan)
    if side is Side.CUSTOMER:
        return None
    return Rejection.VENDOR if side is Side.VENDOR else Rejection.SIDE_UNKNOWN


def confirmation_of(row: PlanRow, plan: Plan, history: History | None) -> Confirmation:
    """Whether the customer confirmed this row's current dates. With history (a plan the server follows)
    only a verified confirmation counts; a file has no one to verify against, so there the sheet's own
    tick naming a customer-side person counts."""
    if not row.confirmed:
        return Confirmation.UNCONFIRMED
    if history is None:
        return Confirmation.CONFIRMED if rejection_of(row, plan) is None else Confirmation.REJECTED
    if row.id is not None and row.id in history.rejected:
        return Confirmation.REJECTED
    record = confirmed_dates(row, history)
    if record is None:
        return Confirmation.CLAIMED  # ticked since the last sync: not verified yet
    if (record.start, record.due) != (row.start.value, row.due.value):
        return Confirmation.STALE
    return Confirmation.CONFIRMED if record.verified else Confirmation.CLAIMED


def rejection_of(row: PlanRow, plan: Plan) -> Rejection | None:
    """Why the sheet's own Confirmed by is no customer confirmation; None when it names a customer person."""
    named = [party for party in row.confirmed_by if party.is_person]
    if not named:
        return Rejection.NOBODY
    reasons = [refusal_of(party, plan) for party in named]
    if None in reasons:
        return None
    return Rejection.VENDOR if Rejection.VENDOR in reasons else reasons[0]


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
        "Confirm them, or propose other dates, from your personal confirmation link.",
    )
