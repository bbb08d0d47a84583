"""Whether a row's dates count as confirmed by the customer."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from mutualplan.plan.history import ConfirmedDates, History
from mutualplan.plan.model import Plan, PlanRow, Side
from mutualplan.plan.people import Party


class Confirmation(StrEnum):
    """The state of a row's customer confirmation."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    STALE = "stale"
    NOT_CUSTOMER = "not customer"


def known_sides(plan: Plan) -> dict[str, Side]:
    """Person key → side, from the sided owner columns; someone on both is unknown."""
    sides: dict[str, Side] = {}
    for row in plan.rows:
        for owner in row.owners:
            if owner.side is Side.UNKNOWN or not owner.party.is_person:
                continue
            seen = sides.setdefault(owner.party.key, owner.side)
            if seen is not owner.side:
                sides[owner.party.key] = Side.UNKNOWN
    return sides


def side_of(party: Party, plan: Plan, sides: Mapping[str, Side]) -> Side:
    """A person's side: by email domain, else by the owner column they stand in."""
    by_domain = plan.side_of_domain(party.domain)
    return by_domain if by_domain is not Side.UNKNOWN else sides.get(party.key, Side.UNKNOWN)


def confirmation_of(
    row: PlanRow, plan: Plan, sides: Mapping[str, Side], history: History | None
) -> Confirmation:
    """Whether the customer confirmed this row's current dates."""
    if not row.confirmed:
        return Confirmation.UNCONFIRMED
    by_sides = {side_of(party, plan, sides) for party in row.confirmed_by}
    if Side.VENDOR in by_sides and Side.CUSTOMER not in by_sides:
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
