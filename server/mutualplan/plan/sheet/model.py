"""The plan as the domain sees it: a head, rows, and where each came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from mutualplan.plan.dates.reading import BLANK_DATE, DateReading
from mutualplan.plan.people.confirmers import Confirmers
from mutualplan.plan.people.parties import Party
from mutualplan.plan.sheet.grid import a1
from mutualplan.plan.sheet.vocabulary import Column, HeadField, Status, Track

_SIGNATURE_STEP = re.compile(
    r"\b(sign(?![- ]?off)|signing|signature|countersign\w*|(contract|agreement|order form|msa|po|order)s?"
    r" (is |are )?(signed|executed))\b",
    re.IGNORECASE,
)


def is_signature_step(track: Track | None, step: str) -> bool:
    """Whether a step signs the deal: on the Signature track, or, where no track says, named so
    ("Signing", "Order form and PO executed")."""
    if track is not None:
        return track is Track.SIGNATURE
    return _SIGNATURE_STEP.search(step) is not None


class Side(StrEnum):
    """Which side of the deal a person is on."""

    CUSTOMER = "customer"
    VENDOR = "vendor"
    UNKNOWN = "unknown"


# Owner, PlanRow (and Finding) are NamedTuples, not frozen dataclasses: one is
# built per row, and a frozen dataclass's __init__ costs three times as much.
class Owner(NamedTuple):
    """A party named as owner of a row, with the side and column it stood in."""

    party: Party
    side: Side
    column: Column


class PlanRow(NamedTuple):
    """One step of the plan, read from one sheet row."""

    sheet_row: int
    step: str
    id: str | None = None
    track: Track | None = None
    track_text: str = ""
    owners: tuple[Owner, ...] = ()
    start: DateReading = BLANK_DATE
    due: DateReading = BLANK_DATE
    evidence: str = ""
    evidence_link: str | None = None
    status: Status | None = None
    status_text: str = ""
    gate: bool = False
    depends_on: tuple[str, ...] = ()
    confirmed: bool = False
    confirmed_by: tuple[Party, ...] = ()
    notes: str = ""

    @property
    def is_done(self) -> bool:
        """True when the status says Done."""
        return self.status is Status.DONE

    def owners_on(self, side: Side) -> tuple[Party, ...]:
        """The parties named as owners on one side."""
        return tuple(owner.party for owner in self.owners if owner.side is side)

    @property
    def owner_sides(self) -> frozenset[Side]:
        """The sides the row's owners stand on."""
        return frozenset(owner.side for owner in self.owners)

    @property
    def is_signature(self) -> bool:
        """The step that signs the deal (is_signature_step)."""
        return is_signature_step(self.track, self.step)

    @property
    def is_customer_internal(self) -> bool:
        """A customer owner and no vendor owner: a step inside the customer."""
        sides = self.owner_sides
        return Side.CUSTOMER in sides and Side.VENDOR not in sides


@dataclass(frozen=True, slots=True)
class Head:
    """The head block: what the plan is for and the dates it hangs from."""

    deal: str = ""
    customer: str = ""
    customer_domain: str = ""
    vendor_domain: str = ""
    outcome: str = ""
    go_live: DateReading = BLANK_DATE
    external_deadline: DateReading = BLANK_DATE
    target_signature: DateReading = BLANK_DATE
    signed_off_by: tuple[Party, ...] = ()
    signed_off_on: DateReading = BLANK_DATE
    cells: Mapping[HeadField, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """A person on the Stakeholders tab."""

    name: str
    email: str
    side: Side
    role: str


CLOSED_RISK_WORDS = frozenset({"done", "closed", "mitigated", "resolved", "retired"})


@dataclass(frozen=True, slots=True)
class Risk:
    """A risk on the Risks tab: what may go wrong, who mitigates it, how, and by when."""

    sheet_row: int
    risk: str
    owner: str = ""
    mitigation: str = ""
    due: DateReading = BLANK_DATE
    status: str = ""

    @property
    def is_open(self) -> bool:
        """False once its status says it is mitigated or closed."""
        return self.status.casefold().strip() not in CLOSED_RISK_WORDS


@dataclass(frozen=True, slots=True)
class Plan:
    """A Mutual Action Plan read from a sheet."""

    head: Head
    rows: tuple[PlanRow, ...]
    columns: Mapping[Column, int]
    header_row: int
    customer_domains: frozenset[str] = frozenset()
    vendor_domains: frozenset[str] = frozenset()
    # Person key → the side their owner column puts them on (unknown when on both).
    person_sides: Mapping[str, Side] = field(default_factory=dict)
    stakeholders: tuple[Stakeholder, ...] = ()  # from the Stakeholders tab, when it was read
    risks: tuple[Risk, ...] = ()  # from the Risks tab, when it was read
    # Whose address speaks for the customer: its domains from parse, its look-alikes from the app's screen.
    confirmers: Confirmers = field(default_factory=Confirmers)

    @property
    def go_live(self) -> date | None:
        """The customer's go-live date, when it can be read."""
        return self.head.go_live.value

    @property
    def target_signature(self) -> date | None:
        """The target signature date, when it can be read."""
        return self.head.target_signature.value

    def cell(self, row: PlanRow, column: Column) -> str | None:
        """The A1 name of a row's cell in a column, when the sheet has that column."""
        index = self.columns.get(column)
        return None if index is None else a1(row.sheet_row, index + 1)

    def head_cell(self, name: HeadField) -> tuple[int | None, str | None]:
        """The sheet row and A1 name of a head value, when the head has it."""
        place = self.head.cells.get(name)
        if place is None:
            return None, None
        return place[0], a1(*place)

    def side_of_domain(self, domain: str | None) -> Side:
        """Which side an email domain belongs to, as far as the plan tells."""
        return side_of_domain(domain, self.customer_domains, self.vendor_domains)


def side_of_domain(domain: str | None, customer: frozenset[str], vendor: frozenset[str]) -> Side:
    """Which side an email domain belongs to, given each side's domains."""
    if domain in customer:
        return Side.CUSTOMER
    if domain in vendor:
        return Side.VENDOR
    return Side.UNKNOWN
