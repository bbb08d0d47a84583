"""Who is who across a plan: each side's email domains, and one identity per person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from mutualplan.plan.cells import domains
from mutualplan.plan.model import Head, Owner, PlanRow, Side, side_of_domain
from mutualplan.plan.people import Party
from mutualplan.plan.vocabulary import Column

OWNER_SIDES = {
    Column.CUSTOMER_OWNER: Side.CUSTOMER,
    Column.VENDOR_OWNER: Side.VENDOR,
    Column.OWNER: Side.UNKNOWN,
}
PartiesByColumn = Mapping[Column, tuple[Party, ...]]


@dataclass(slots=True)
class Directory:
    """The plan's people: names that have an email somewhere, and each side's domains."""

    emails: dict[str, str]
    customer_domains: frozenset[str]
    vendor_domains: frozenset[str]
    _resolved: dict[Party, Party] = field(default_factory=dict)

    @classmethod
    def of(cls, head: Head, rows: Iterable[PartiesByColumn]) -> Directory:
        """The directory of a plan, from its head and every row's parties by column."""
        found: dict[str, dict[str, str]] = {}  # name → casefolded email → as first written
        domain_counts = {Column.CUSTOMER_OWNER: Counter[str](), Column.VENDOR_OWNER: Counter[str]()}
        for parties in rows:
            for column, named in parties.items():
                for party in named:
                    if party.email and party.name:
                        found.setdefault(party.name.casefold(), {}).setdefault(
                            party.email.casefold(), party.email
                        )
                    if party.domain and column in domain_counts:
                        domain_counts[column][party.domain] += 1
        customer = domains(head.customer_domain) or _commonest(domain_counts[Column.CUSTOMER_OWNER])
        vendor = domains(head.vendor_domain) or _commonest(domain_counts[Column.VENDOR_OWNER]) - customer
        emails = {name: next(iter(seen.values())) for name, seen in found.items() if len(seen) == 1}
        return cls(emails, customer, vendor)

    def resolve(self, party: Party) -> Party:
        """The party with the email their name has elsewhere in the plan, if any."""
        if party.email or not party.is_person or not party.name:
            return party
        resolved = self._resolved.get(party)
        if resolved is None:
            email = self.emails.get(party.name.casefold())
            resolved = self._resolved[party] = replace(party, email=email) if email else party
        return resolved

    def side_of_domain(self, domain: str | None) -> Side:
        """Which side an email domain belongs to, as far as the plan tells."""
        return side_of_domain(domain, self.customer_domains, self.vendor_domains)

    def owners(self, parties: PartiesByColumn) -> tuple[Owner, ...]:
        """A row's owners; a plain Owner column takes each person's side from their domain."""
        owners = []
        for column, side in OWNER_SIDES.items():
            for party in parties.get(column, ()):
                party = self.resolve(party)
                owner_side = self.side_of_domain(party.domain) if side is Side.UNKNOWN else side
                owners.append(Owner(party, owner_side, column))
        return tuple(owners)


def person_sides(rows: Iterable[PlanRow]) -> dict[str, Side]:
    """Person key → side, from the sided owner columns; someone on both is unknown."""
    sides: dict[str, Side] = {}
    for row in rows:
        for owner in row.owners:
            if owner.side is Side.UNKNOWN or not owner.party.is_person:
                continue
            seen = sides.setdefault(owner.party.key, owner.side)
            if seen is not owner.side:
                sides[owner.party.key] = Side.UNKNOWN
    return sides


def _commonest(counts: Counter[str]) -> frozenset[str]:
    return frozenset({counts.most_common(1)[0][0]}) if counts else frozenset()
