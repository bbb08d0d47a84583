"""Who is who across a plan: each side's email domains, and one identity per person."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mutualplan.plan.cells import domains
from mutualplan.plan.model import Owner, Plan, PlanRow, Side
from mutualplan.plan.people import Party
from mutualplan.plan.text import clean
from mutualplan.plan.vocabulary import Column


def resolve_people(plan: Plan) -> Plan:
    """The plan with each side's domains known, bare names given the email they
    have elsewhere in the plan, and plain Owner-column owners given a side."""
    known = _known_emails(plan.rows)
    rows = tuple(_with_emails(row, known) for row in plan.rows) if known else plan.rows
    customer = domains(plan.head.customer_domain) or _commonest_domain(rows, Column.CUSTOMER_OWNER)
    vendor = domains(plan.head.vendor_domain) or (_commonest_domain(rows, Column.VENDOR_OWNER) - customer)
    plan = replace(plan, rows=rows, customer_domains=customer, vendor_domains=vendor)
    if Column.OWNER in plan.columns:
        plan = replace(plan, rows=tuple(_side_plain_owners(plan, row) for row in rows))
    return plan


def _name_key(party: Party) -> str:
    return clean(party.name or "").casefold()


def _parties(row: PlanRow) -> list[Party]:
    return [owner.party for owner in row.owners] + list(row.confirmed_by)


def _known_emails(rows: tuple[PlanRow, ...]) -> dict[str, str]:
    """Name → email, for names that appear with exactly one email."""
    emails: dict[str, set[str]] = {}
    for row in rows:
        for party in _parties(row):
            if party.email and party.name:
                emails.setdefault(_name_key(party), set()).add(party.email)
    return {name: next(iter(found)) for name, found in emails.items() if len(found) == 1}


def _with_emails(row: PlanRow, known: dict[str, str]) -> PlanRow:
    def attach(party: Party) -> Party:
        if party.email or not party.is_person:
            return party
        email = known.get(_name_key(party))
        return replace(party, email=email) if email else party

    if not any(not party.email and _name_key(party) in known for party in _parties(row)):
        return row
    return replace(
        row,
        owners=tuple(replace(owner, party=attach(owner.party)) for owner in row.owners),
        confirmed_by=tuple(attach(party) for party in row.confirmed_by),
    )


def _commonest_domain(rows: tuple[PlanRow, ...], column: Column) -> frozenset[str]:
    counts = Counter(
        owner.party.domain
        for row in rows
        for owner in row.owners
        if owner.column is column and owner.party.domain
    )
    return frozenset({counts.most_common(1)[0][0]}) if counts else frozenset()


def _side_plain_owners(plan: Plan, row: PlanRow) -> PlanRow:
    """Owners from a plain Owner column take the side of their email's domain."""
    if not any(owner.column is Column.OWNER for owner in row.owners):
        return row
    owners = tuple(_sided(plan, owner) if owner.column is Column.OWNER else owner for owner in row.owners)
    return replace(row, owners=owners)


def _sided(plan: Plan, owner: Owner) -> Owner:
    side = plan.side_of_domain(owner.party.domain)
    return owner if side is Side.UNKNOWN else replace(owner, side=side)
