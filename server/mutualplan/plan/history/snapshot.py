"""What the store keeps of a plan between syncs: each row's state by ID, and the head."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass, field
from datetime import date
from typing import Any, NamedTuple

from mutualplan.plan.dates.reading import DateReading
from mutualplan.plan.history.events import Rejection
from mutualplan.plan.history.past import ConfirmedDates, History, Proposal, Slip, Voided
from mutualplan.plan.people.confirmers import Confirmers, domain_of
from mutualplan.plan.people.parties import Party
from mutualplan.plan.sheet.cells import domains
from mutualplan.plan.sheet.model import Plan, PlanRow, Risk, Side, is_signature_step
from mutualplan.plan.sheet.vocabulary import HeadField, Status, Track


class Person(NamedTuple):
    """An owner as the store remembers them: enough to write to them and to know their side. (A NamedTuple:
    a sync builds one per owner of every row, and a frozen dataclass costs three times as much.)"""

    name: str
    email: str | None
    side: Side
    is_person: bool = True


class RowState(NamedTuple):
    """One step as it stood after a sync. (A NamedTuple, changed with _replace: a sync builds one per row,
    and reading a stored snapshot builds them all; a frozen dataclass costs several times as much.)"""

    id: str
    sheet_row: int
    step: str
    track: str = ""
    owners: tuple[Person, ...] = ()
    start: date | None = None
    due: date | None = None
    evidence: str = ""
    status: str = ""
    gate: bool = False
    ticked: bool = False  # the Customer confirmed box, as the sheet shows it after the sync
    confirmed_by: tuple[str, ...] = ()  # the people the Confirmed-by cell names, by key
    confirmation: ConfirmedDates | None = None  # the dates a customer-side person confirmed, or is claimed to
    rejected: str = ""  # a Rejection: ticked, but no customer confirmation (re-examined every sync)
    proposal: Proposal | None = None  # another due date the customer proposed, until it is settled
    voided: Voided | None = None  # the confirmation the dates moved away from, until confirmed again
    suspended: ConfirmedDates | None = None  # a confirmation from a domain the plan moved away from (pinning)
    depends_on: tuple[str, ...] = ()  # the Depends on cell's references (IDs or step names), as written

    @property
    def is_customer_internal(self) -> bool:
        """A customer owner and no vendor owner: a step inside the customer."""
        customer = False
        for owner in self.owners:
            if owner.side is Side.VENDOR:
                return False
            customer = customer or owner.side is Side.CUSTOMER
        return customer

    @property
    def is_signature(self) -> bool:
        """The step that signs the deal (is_signature_step)."""
        return is_signature_step(_TRACKS.get(self.track), self.step)

    @property
    def is_done(self) -> bool:
        """True when the status says Done."""
        return self.status == _DONE

    @property
    def verified(self) -> bool:
        """Whether the customer verifiably confirmed the row's current dates."""
        record = self.confirmation
        return record is not None and record.verified and (record.start, record.due) == (self.start, self.due)

    @property
    def owners_text(self) -> str:
        """The owners as one line, customer side first."""
        return ", ".join(_person_text(person) for person in self.owners)


class RiskState(NamedTuple):
    """A risk from the Risks tab as the store remembers it, for the weekly countdown."""

    risk: str
    owner: str = ""
    mitigation: str = ""
    due: date | None = None
    open: bool = True

    @classmethod
    def of(cls, risk: Risk) -> RiskState:
        """A risk as read from the sheet, as the store remembers it."""
        return cls(risk.risk, risk.owner, risk.mitigation, risk.due.value, risk.is_open)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A plan's rows and head as of one sync; the base the next sync's diff starts from."""

    rows: tuple[RowState, ...] = ()
    head: Mapping[str, str] = field(default_factory=dict)
    go_live: date | None = None
    target_signature: date | None = None
    champion: Person | None = None  # the customer's champion, from the Stakeholders tab
    risks: tuple[RiskState, ...] = ()  # from the Risks tab
    confirmers: Confirmers = field(default_factory=Confirmers)  # whose address speaks for the customer
    listed: frozenset[str] = frozenset()  # the addresses on the Stakeholders tab, by address_key
    pinned: frozenset[str] = frozenset()  # the customer domains as of the first verification (pinning)

    @property
    def domain_moved(self) -> str:
        """What to say when the customer domain changed after someone at it verified ("" when not)."""
        current = self.confirmers.customer_domains
        if not self.pinned or self.pinned == current:
            return ""
        old, new = ", ".join(sorted(self.pinned)), ", ".join(sorted(current)) or "no domain"
        return (
            f"The customer domain changed from {old} to {new} after people at {old} had verified dates: "
            f"their confirmations no longer count until someone at {new} verifies"
        )

    def may_mail(self, seller: str) -> Callable[[str], bool]:
        """Whom mutualplan may mail about the plan (an address as the planner keeps it, in lower case):
        at the customer's domain, the vendor's (the head's, or the seller's own), or listed on the
        Stakeholders tab. Anyone else a cell names is an outside address, which no editor can turn the
        seller's mail onto."""
        vendor = domains(self.head.get(HeadField.VENDOR_DOMAIN.value, ""))
        ours = frozenset({*self.confirmers.customer_domains, *vendor, domain_of(seller)})
        return lambda email: email.rpartition("@")[2] in ours or email in self.listed

    def row(self, row_id: str) -> RowState | None:
        """The row with this ID."""
        return next((row for row in self.rows if row.id == row_id), None)

    def customer_people(self) -> dict[str, str]:
        """The customer's people the plan names (owners, the champion, verified confirmers): email → name."""
        found: dict[str, str] = {}
        for row in self.rows:
            for owner in row.owners:
                if owner.side is Side.CUSTOMER and owner.is_person and owner.email:
                    found.setdefault(owner.email.casefold(), owner.name)
            record = row.confirmation
            if record is not None and record.verified and record.email:
                found.setdefault(record.email.casefold(), record.by.partition(" <")[0])
        if self.champion is not None and self.champion.email:
            found[self.champion.email.casefold()] = self.champion.name
        return found

    def name_of(self, email: str) -> str:
        """The name the plan gives a person at this address, on either side; "" when it gives none."""
        key = email.casefold()
        for row in self.rows:
            for owner in row.owners:
                if owner.is_person and owner.name and owner.email and owner.email.casefold() == key:
                    return owner.name
        return self.customer_people().get(key, "")

    def may_confirm(self, email: str) -> bool:
        """Whether this address speaks for the customer: at the customer's domain, no look-alike."""
        return self.confirmers.may_confirm(email)

    def confirming_people(self) -> dict[str, str]:
        """The customer people who may confirm (each may be sent their own link): email → name."""
        return {email: name for email, name in self.customer_people().items() if self.may_confirm(email)}

    def side_of(self, email: str) -> Side:
        """Which side an address is on: by the head's domains, else by the people the plan names."""
        domain = email.rpartition("@")[2].casefold()
        for label, side in (
            (HeadField.CUSTOMER_DOMAIN, Side.CUSTOMER),
            (HeadField.VENDOR_DOMAIN, Side.VENDOR),
        ):
            if domain and self.head.get(label.value, "").lstrip("@").strip().casefold() == domain:
                return side
        if email.casefold() in self.customer_people():
            return Side.CUSTOMER
        vendors = {
            o.email.casefold() for row in self.rows for o in row.owners if o.side is Side.VENDOR and o.email
        }
        return Side.VENDOR if email.casefold() in vendors else Side.UNKNOWN

    def history(self, slips: tuple[Slip, ...] = ()) -> History:
        """What validation needs to know of the past: confirmations, and ticks not counted."""
        return History(
            confirmations={row.id: row.confirmation for row in self.rows if row.confirmation},
            slips=slips,
            rejected={row.id: row.rejected for row in self.rows if row.rejected},
            voided={row.id: row.voided for row in self.rows if row.voided},
        )

    def to_json(self) -> str:
        """The snapshot as JSON text: a row a list, in RowState's field order (dates ISO)."""
        data = {
            "format": FORMAT,
            "rows": [_row_list(row) for row in self.rows],
            "head": dict(self.head),
            "go_live": date_text(self.go_live),
            "target_signature": date_text(self.target_signature),
            "champion": self.champion,  # a NamedTuple: a JSON list
            "risks": [[*risk[:3], date_text(risk.due), risk.open] for risk in self.risks],
            "confirmers": self.confirmers.as_json(),
            "listed": sorted(self.listed),
            "pinned": sorted(self.pinned),
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """A snapshot back from its JSON text (also one stored before rows were lists)."""
        data = json.loads(text)
        listed = data.get("format") == FORMAT
        champion = data.get("champion")
        head = data["head"]
        confirmers = data.get("confirmers")
        people: dict[tuple[Any, ...], Person] = {}  # the plan's owners, each built once (rows repeat them)
        return cls(
            rows=tuple(_row_of_list(item, people) if listed else _row_of_dict(item) for item in data["rows"]),
            head=head,
            go_live=_day(data["go_live"]),
            target_signature=_day(data["target_signature"]),
            champion=(_person_of_list(champion) if listed else _person(champion)) if champion else None,
            risks=tuple(
                RiskState(risk, owner, mitigation, _day(due), is_open)
                for risk, owner, mitigation, due, is_open in data.get("risks", ())
            ),
            confirmers=Confirmers.from_json(confirmers) if confirmers else _head_confirmers(head),
            listed=frozenset(data.get("listed", ())),
            pinned=frozenset(data.get("pinned", ())),
        )


def _head_confirmers(head: Mapping[str, str]) -> Confirmers:
    """The rule of a snapshot stored before it kept one: the head's domains."""
    return Confirmers.of(
        domains(head.get(HeadField.CUSTOMER_DOMAIN.value, "")),
        domains(head.get(HeadField.VENDOR_DOMAIN.value, "")),
    )


def row_state(row: PlanRow, row_id: str, sides: Mapping[str, Side]) -> RowState:
    """A parsed row as the store remembers it (without confirmation: the diff decides that)."""
    return RowState(
        id=row_id,
        sheet_row=row.sheet_row,
        step=row.step,
        track=row.track.value if row.track else row.track_text,
        owners=tuple(person_of(owner.party, owner.side) for owner in row.owners),
        start=row.start.value,
        due=row.due.value,
        evidence=row.evidence,
        status=row.status.value if row.status else row.status_text,
        gate=row.gate,
        ticked=row.confirmed,
        confirmed_by=tuple(party.key for party in row.confirmed_by if party.is_person),
        depends_on=row.depends_on,
    )


def person_of(party: Party, side: Side) -> Person:
    """A party as the store remembers them."""
    return Person(party.name or party.text, party.email, side, party.is_person)


def head_texts(plan: Plan) -> dict[str, str]:
    """The head block as text, by label; dates ISO so that a re-formatted date is no change."""
    head = plan.head
    dates: dict[HeadField, DateReading] = {
        HeadField.GO_LIVE: head.go_live,
        HeadField.EXTERNAL_DEADLINE: head.external_deadline,
        HeadField.TARGET_SIGNATURE: head.target_signature,
        HeadField.SIGNED_OFF_ON: head.signed_off_on,
    }
    texts = {
        HeadField.DEAL: head.deal,
        HeadField.CUSTOMER: head.customer,
        HeadField.CUSTOMER_DOMAIN: head.customer_domain,
        HeadField.VENDOR_DOMAIN: head.vendor_domain,
        HeadField.OUTCOME: head.outcome,
        HeadField.SIGNED_OFF_BY: ", ".join(party.label for party in head.signed_off_by),
    }
    texts.update({name: _reading_text(reading) for name, reading in dates.items()})
    return {name.value: text for name, text in texts.items() if text}


def date_text(day: date | None) -> str:
    """A date as the events write it: ISO, or blank."""
    return day.isoformat() if day else ""


def _reading_text(reading: DateReading) -> str:
    return reading.value.isoformat() if reading.value else reading.text


def _person_text(person: Person) -> str:
    if person.email and person.name and person.name != person.email:
        return f"{person.name} <{person.email}>"
    return person.email or person.name


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_DAY = date.fromisoformat
FORMAT = 2  # rows as lists; a snapshot without "format" has rows as objects (stored before 2026-11-29)
_SIDES = {side.value: side for side in Side}
_TRACKS = {track.value: track for track in Track}
_DONE = Status.DONE.value
_ROW_FIELDS = len(RowState._fields)


def _person_of_list(data: list[Any]) -> Person:
    return Person(data[0], data[1], _SIDES[data[2]], data[3])


def _confirmation_list(record: ConfirmedDates | None) -> list[Any] | None:
    if record is None:
        return None
    return [date_text(record.start), date_text(record.due), record.by, record.trust, record.email, record.on]


def _proposal_list(proposal: Proposal | None) -> list[Any] | None:
    if proposal is None:
        return None
    return [proposal.due.isoformat(), proposal.reason, proposal.by, proposal.email]


def _row_list(row: RowState) -> list[Any]:
    # The row's own fields in order; its owners (NamedTuples, sides being str) go to JSON as they are.
    data: list[Any] = list(row)
    data[5], data[6] = date_text(row.start), date_text(row.due)
    data[12], data[14] = _confirmation_list(row.confirmation), _proposal_list(row.proposal)
    data[15] = list(astuple(row.voided)) if row.voided else None
    data[16] = _confirmation_list(row.suspended)
    return data


def _row_of_list(data: list[Any], people: dict[tuple[Any, ...], Person]) -> RowState:
    # Built field by field, not through replace(): a reminders run reads thousands of snapshots.
    if len(data) < _ROW_FIELDS:
        data += [None] * (_ROW_FIELDS - len(data))  # a row stored before its later fields
    start, due, confirmed, proposed, voided, suspended = (
        data[5],
        data[6],
        data[12],
        data[14],
        data[15],
        data[16],
    )
    owners = []
    for owner in data[4]:
        key = tuple(owner)
        person = people.get(key)
        if person is None:
            person = people[key] = Person(owner[0], owner[1], _SIDES[owner[2]], owner[3])
        owners.append(person)
    data[4] = tuple(owners)
    data[5] = _DAY(start) if start else None
    data[6] = _DAY(due) if due else None
    data[11] = tuple(data[11])
    data[17] = tuple(data[17] or ())
    if confirmed:
        data[12] = ConfirmedDates(_day(confirmed[0]), _day(confirmed[1]), *confirmed[2:])
    if proposed:
        data[14] = Proposal(_DAY(proposed[0]), *proposed[1:])
    if voided:
        data[15] = Voided(*voided)
    if suspended:
        data[16] = ConfirmedDates(_day(suspended[0]), _day(suspended[1]), *suspended[2:])
    return RowState._make(data)


def _person(data: dict[str, Any]) -> Person:
    return Person(data["name"], data["email"], _SIDES[data["side"]], data["is_person"])


def _row_of_dict(data: dict[str, Any]) -> RowState:
    """A row as snapshots stored it before rows were lists: its tick "not customer" had no reason."""
    confirmed = data["confirmation"]
    confirmation = (
        ConfirmedDates(_day(confirmed["start"]), _day(confirmed["due"]), confirmed["by"], confirmed["trust"])
        if confirmed
        else None
    )
    return RowState(
        data["id"], data["sheet_row"], data["step"], data["track"],
        tuple(_person(owner) for owner in data["owners"]), _day(data["start"]), _day(data["due"]),
        data["evidence"], data["status"], data["gate"], data["ticked"], tuple(data["confirmed_by"]),
        confirmation, Rejection.SIDE_UNKNOWN.value if data["not_customer"] else "",
    )  # fmt: skip
