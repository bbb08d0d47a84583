"""What the store keeps of a plan between syncs: each row's state by ID, and the head."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from mutualplan.plan.dates import DateReading
from mutualplan.plan.history import ConfirmedDates, History, Slip
from mutualplan.plan.model import Plan, PlanRow, Side
from mutualplan.plan.people import Party
from mutualplan.plan.vocabulary import HeadField


@dataclass(frozen=True, slots=True)
class Person:
    """An owner as the store remembers them: enough to write to them and to know their side."""

    name: str
    email: str | None
    side: Side
    is_person: bool = True


@dataclass(frozen=True, slots=True)
class RowState:
    """One step as it stood after a sync."""

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
    confirmation: ConfirmedDates | None = None  # the dates a customer-side person confirmed
    not_customer: bool = False  # ticked by someone not on the customer side: reported, not counted

    @property
    def owners_text(self) -> str:
        """The owners as one line, customer side first."""
        return ", ".join(_person_text(person) for person in self.owners)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A plan's rows and head as of one sync; the base the next sync's diff starts from."""

    rows: tuple[RowState, ...] = ()
    head: Mapping[str, str] = field(default_factory=dict)
    go_live: date | None = None
    target_signature: date | None = None
    champion: Person | None = None  # the customer's champion, from the Stakeholders tab

    def row(self, row_id: str) -> RowState | None:
        """The row with this ID."""
        return next((row for row in self.rows if row.id == row_id), None)

    def history(self, slips: tuple[Slip, ...] = ()) -> History:
        """What validation needs to know of the past: confirmations, and ticks not counted."""
        return History(
            confirmations={row.id: row.confirmation for row in self.rows if row.confirmation},
            slips=slips,
            not_customer=frozenset(row.id for row in self.rows if row.not_customer),
        )

    def to_json(self) -> str:
        """The snapshot as JSON text (dates ISO)."""
        return json.dumps(asdict(self), default=_iso, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        """A snapshot back from its JSON text."""
        data = json.loads(text)
        champion = data.get("champion")
        return cls(
            rows=tuple(_row_state(item) for item in data["rows"]),
            head=data["head"],
            go_live=_day(data["go_live"]),
            target_signature=_day(data["target_signature"]),
            champion=_person(champion) if champion else None,
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


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_SIDES = {side.value: side for side in Side}


def _person(data: dict[str, Any]) -> Person:
    return Person(data["name"], data["email"], _SIDES[data["side"]], data["is_person"])


def _row_state(data: dict[str, Any]) -> RowState:
    # Built field by field, not through replace(): a reminders run reads thousands of snapshots.
    confirmed = data["confirmation"]
    confirmation = (
        ConfirmedDates(_day(confirmed["start"]), _day(confirmed["due"]), confirmed["by"], confirmed["trust"])
        if confirmed
        else None
    )
    return RowState(
        data["id"],
        data["sheet_row"],
        data["step"],
        data["track"],
        tuple(_person(owner) for owner in data["owners"]),
        _day(data["start"]),
        _day(data["due"]),
        data["evidence"],
        data["status"],
        data["gate"],
        data["ticked"],
        tuple(data["confirmed_by"]),
        confirmation,
        data["not_customer"],
    )
