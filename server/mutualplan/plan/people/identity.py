"""Who is who across a plan: each side's email domains, and one identity per person."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from mutualplan.plan.people.parties import Party, PartyKind, is_personal_email
from mutualplan.plan.sheet.cells import domains
from mutualplan.plan.sheet.model import Head, Owner, PlanRow, Side, Stakeholder, side_of_domain
from mutualplan.plan.sheet.text import clean
from mutualplan.plan.sheet.vocabulary import Column

OWNER_SIDES = {
    Column.CUSTOMER_OWNER: Side.CUSTOMER,
    Column.VENDOR_OWNER: Side.VENDOR,
    Column.OWNER: Side.UNKNOWN,
}
PartiesByColumn = Mapping[Column, tuple[Party, ...]]
# The owner shapes a Stakeholders entry overrides: a person may be named like a team ("Jordan Legal").
EVIDENCE_DECIDES = frozenset({PartyKind.TEAM, PartyKind.UNSURE})


@dataclass(slots=True)
class Directory:
    """The plan's people: names that have an email somewhere, and each side's domains."""

    emails: dict[str, str]
    customer_domains: frozenset[str]
    vendor_domains: frozenset[str]
    listed: dict[str, str] = field(default_factory=dict)  # a Stakeholders name → that person's own email
    _resolved: dict[Party, Party] = field(default_factory=dict)

    @classmethod
    def of(
        cls, head: Head, rows: Iterable[PartiesByColumn], stakeholders: Iterable[Stakeholder] = ()
    ) -> Directory:
        """The directory of a plan, from its head, every row's parties by column, and its Stakeholders
        tab (a name listed there with a person's own email is a person, whatever its shape)."""
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
        listed = {
            clean(person.name).casefold(): person.email
            for person in stakeholders
            if person.name and is_personal_email(person.email)
        }
        return cls(emails, customer, vendor, listed)

    def resolve(self, party: Party) -> Party:
        """The party with the email their name has elsewhere in the plan, if any; a name of a team's or
        an unknown shape that the Stakeholders tab lists with a person's own email is that person."""
        if party.email or not ((party.is_person and party.name) or party.kind in EVIDENCE_DECIDES):
            return party
        resolved = self._resolved.get(party)
        if resolved is None:
            resolved = self._resolved[party] = self._resolved_now(party)
        return resolved

    def _resolved_now(self, party: Party) -> Party:
        if party.is_person and party.name:
            email = self.emails.get(party.name.casefold()) or self.listed.get(party.name.casefold())
            return replace(party, email=email) if email else party
        email = self.listed.get(party.text.casefold())
        return replace(party, kind=PartyKind.PERSON, name=party.text, email=email) if email else party

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
