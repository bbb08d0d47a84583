"""The pure diff of a sync: the last snapshot and the plan now → events, the next snapshot, write-back.

Rows are matched by ID. A row whose ID was deleted takes back the vanished ID of a step with the same
name; rows with no ID or a duplicated one get fresh IDs, written back. A tick of Customer confirmed is
verified only when the platform knows exactly who ticked and they are a customer person; a tick naming
a customer person is otherwise a claim, recorded with what Drive showed as a hint, never as the
confirmer — nothing is written into Confirmed by on a guess. A tick naming nobody, or a vendor, is
reported, never counted, and looked at again every sync. A confirmation, verified or claimed, covers
the exact Start and Due it was given for: moving either voids it (and the box is unticked).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain

from mutualplan.plan.history.confirmation import refusal_of, rejection_of
from mutualplan.plan.history.events import TICKED_BY, Event, EventKind, Trust, Via, drive_hint, rejection_text
from mutualplan.plan.history.past import ConfirmedDates, Voided
from mutualplan.plan.history.snapshot import (
    Person,
    RiskState,
    RowState,
    Snapshot,
    date_text,
    head_texts,
    row_state,
)
from mutualplan.plan.people.confirmers import address_key
from mutualplan.plan.people.parties import Party, PartyKind
from mutualplan.plan.people.pinning import pin
from mutualplan.plan.sheet.model import Plan, PlanRow, Side
from mutualplan.plan.sheet.stakeholders import champion_of
from mutualplan.plan.sheet.vocabulary import Column

ID_PREFIX = "M"
OWNER_COLUMNS = (Column.CUSTOMER_OWNER, Column.VENDOR_OWNER, Column.OWNER)
_NUMBERED = re.compile(r"(\d+)$")


@dataclass(frozen=True, slots=True)
class Editors:
    """Who edited, as the platform tells: per cell where it knows (the local workbook), else the
    spreadsheet's last editor (Drive's lastModifyingUser), which proves nothing about any one cell."""

    cells: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (0-based row, col) → email
    last: str | None = None
    per_cell: bool = False  # the platform names every cell's editor: a cell not in cells is the app's

    def of(self, row: PlanRow, plan: Plan, column: Column) -> tuple[str, str]:
        """Who edited a row's cell, when the platform knows exactly; else "" and Drive's hint."""
        col = plan.columns.get(column)
        exact = self.cells.get((row.sheet_row - 1, col)) if col is not None else None
        return (exact, "") if exact else ("", drive_hint(self.last))

    def of_head(self, plan: Plan, label: str) -> tuple[str, str]:
        """Who edited a head value (Signed off by, Go-live …), as exactly as the platform tells."""
        place = next((cell for name, cell in plan.head.cells.items() if name.value == label), None)
        exact = self.cells.get((place[0] - 1, place[1] - 1)) if place is not None else None
        return (exact, "") if exact else ("", drive_hint(self.last))


@dataclass(frozen=True, slots=True)
class WriteBack:
    """What the sync writes into the sheet, by 1-based sheet row."""

    ids: tuple[tuple[int, str], ...] = ()
    unticks: tuple[tuple[int, str], ...] = ()  # (row, note): voided confirmations
    notes: tuple[tuple[int, str], ...] = ()  # (row, note) on Customer confirmed: ticks not counted
    confirmed_by: tuple[tuple[int, str], ...] = ()  # (row, person): who confirmed, where blank
    verified: tuple[tuple[int, str, str], ...] = ()  # (row, person, note): confirmed through their link

    def __bool__(self) -> bool:
        return bool(self.ids or self.unticks or self.notes or self.confirmed_by or self.verified)


@dataclass(frozen=True, slots=True)
class Diff:
    """What one sync found."""

    events: tuple[Event, ...]
    snapshot: Snapshot
    write_back: WriteBack


def diff(previous: Snapshot | None, plan: Plan, editors: Editors, on: date | None = None) -> Diff:
    """The events between the last snapshot (None: the first sync, a baseline) and the plan now (its
    Stakeholders tab settles who is on which side, and who the champion is); on is the day of this sync,
    kept with each confirmation it records."""
    base = previous or Snapshot()
    by_id = {row.id: row for row in base.rows}
    ids = assign_ids(plan.rows, base, by_id)
    events: list[Event] = []
    states: list[RowState] = []
    back = _Back()
    for row, row_id in zip(plan.rows, ids, strict=True):
        if row.id != row_id:
            back.ids.append((row.sheet_row, row_id))
        before = by_id.get(row_id)
        now = row_state(row, row_id, plan.person_sides)
        if before is None and previous is not None:
            events.append(Event(EventKind.ROW_ADDED, row_id, new=row.step, sheet_row=row.sheet_row))
        if before is not None:
            events += _row_changes(before, now, row, plan, editors)
        now, found = _confirmation(before, now, row, plan, editors, back, date_text(on))
        events += found
        if before is not None and before.proposal is not None and before.due == now.due:
            now = now._replace(proposal=before.proposal)  # open until the due date moves
        states.append(now)
    current = set(ids)
    events += [
        Event(EventKind.ROW_REMOVED, gone.id, old=gone.step, sheet_row=gone.sheet_row)
        for gone in base.rows
        if gone.id not in current
    ]
    head = head_texts(plan)
    if previous is not None:
        events += [
            Event(EventKind.HEAD_CHANGED, None, name, was, head.get(name, ""), who, note=hint)
            for name in sorted(previous.head.keys() | head.keys())
            if (was := previous.head.get(name, "")) != head.get(name, "")
            for who, hint in (_named(editors.of_head(plan, name), plan),)
        ]
    champion = champion_of(plan.stakeholders)
    known = Person(champion.name, champion.email, Side.CUSTOMER) if champion else None
    risks = tuple(map(RiskState.of, plan.risks))
    listed = frozenset(address_key(person.email) for person in plan.stakeholders if person.email)
    pinned, states, moved = pin(base, plan.confirmers.customer_domains, states)
    events += moved
    dates = plan.go_live, plan.target_signature
    snapshot = Snapshot(tuple(states), head, *dates, known, risks, plan.confirmers, listed, pinned)
    return Diff(tuple(events), snapshot, back.freeze())


@dataclass(slots=True)
class _Back:
    ids: list[tuple[int, str]] = field(default_factory=list)
    unticks: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    confirmed_by: list[tuple[int, str]] = field(default_factory=list)

    def freeze(self) -> WriteBack:
        return WriteBack(tuple(self.ids), tuple(self.unticks), tuple(self.notes), tuple(self.confirmed_by))


def assign_ids(
    rows: Sequence[PlanRow], base: Snapshot, by_id: Mapping[str, RowState] | None = None
) -> list[str]:
    """Each row's ID: its own when unique; a deleted ID given back by step name; else a fresh one."""
    by_id = {row.id: row for row in base.rows} if by_id is None else by_id
    keepers: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.id is None:
            continue
        held = keepers.get(row.id)
        before = by_id.get(row.id)
        # Of two rows showing one ID, the one that is still the same step keeps it.
        if held is None or (
            before
            and _same_step(rows[index].step, before.step)
            and not _same_step(rows[held].step, before.step)
        ):
            keepers[row.id] = index
    ids: list[str | None] = [None] * len(rows)
    for row_id, index in keepers.items():
        ids[index] = row_id
    vanished: dict[str, str] = {}
    for state in base.rows:
        if state.id not in keepers:
            vanished.setdefault(state.step.casefold().strip(), state.id)
    taken = set(keepers) | {state.id for state in base.rows}
    numbers = (int(match.group(1)) for row_id in taken if (match := _NUMBERED.search(row_id)))
    counter = max(numbers, default=0)
    for index, row in enumerate(rows):
        if ids[index] is not None:
            continue
        reclaimed = vanished.pop(row.step.casefold().strip(), None)
        if reclaimed is None:
            counter += 1
            reclaimed = f"{ID_PREFIX}{counter:02d}"
        ids[index] = reclaimed
    return [row_id for row_id in ids if row_id is not None]


def _same_step(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def _row_changes(before: RowState, now: RowState, row: PlanRow, plan: Plan, editors: Editors) -> list[Event]:
    """What changed in a row, each change with who made it (when the platform knows)."""
    changes: list[tuple[EventKind, str, str, str, tuple[Column, ...]]] = []  # most rows did not change
    if before.start != now.start:
        changes.append(
            (EventKind.DATE_MOVED, "start", date_text(before.start), date_text(now.start), (Column.START,))
        )
    if before.due != now.due:
        changes.append(
            (EventKind.DATE_MOVED, "due", date_text(before.due), date_text(now.due), (Column.DUE,))
        )
    if before.owners != now.owners and before.owners_text != now.owners_text:
        changes.append(
            (EventKind.OWNER_CHANGED, "owners", before.owners_text, now.owners_text, OWNER_COLUMNS)
        )
    if now.evidence and now.evidence != before.evidence:
        changes.append(
            (EventKind.EVIDENCE_ADDED, "evidence", before.evidence, now.evidence, (Column.EVIDENCE,))
        )
    if before.status != now.status:
        changes.append((EventKind.STATUS_CHANGED, "status", before.status, now.status, (Column.STATUS,)))
    events = []
    for kind, name, old, new, columns in changes:
        found = [_named(editors.of(row, plan, column), plan) for column in columns]
        who, hint = next((item for item in found if item[0]), found[0])
        events.append(Event(kind, now.id, name, old, new, who, None, now.sheet_row, note=hint))
    return events


def _confirmation(
    before: RowState | None,
    now: RowState,
    row: PlanRow,
    plan: Plan,
    editors: Editors,
    back: _Back,
    on: str,
) -> tuple[RowState, list[Event]]:
    """The row's confirmation after this sync, and the events that decided it."""
    events = []
    record = before.confirmation if before else None
    rejected = before.rejected if before else ""
    gone = before.voided if before else None
    at = now.sheet_row
    if record is not None and (record.start, record.due) != (now.start, now.due):
        old, new = _dates(record.start, record.due), _dates(now.start, now.due)
        mover, hint = _named(editors.of(row, plan, Column.DUE), plan)
        voided = replace(
            Event(EventKind.CONFIRMATION_VOIDED, now.id, "dates moved", old, new, mover, None, at), note=hint
        )
        events.append(voided)
        gone = Voided(record.by, record.email, old, new, voided.who_shown)
        record = None
        if now.ticked:
            back.unticks.append((at, gone.note))
            now = now._replace(ticked=False, confirmed_by=())
    elif record is not None and not now.ticked:
        who, hint = _named(editors.of(row, plan, Column.CONFIRMED), plan)
        voided = Event(
            EventKind.CONFIRMATION_VOIDED, now.id, "unticked", _dates(now.start, now.due), "", who, None, at
        )
        events.append(replace(voided, note=hint))
        record = None
    if not now.ticked:
        rejected = ""
    elif record is None and (
        before is None or not before.ticked or before.confirmed_by != now.confirmed_by or rejected
    ):
        found = decide(row, plan, editors)
        name = who_text(found.who)
        if found.trust is not None:
            events.append(
                Event(
                    EventKind.CONFIRMED,
                    now.id,
                    "dates",
                    "",
                    _dates(now.start, now.due),
                    name,
                    found.trust,
                    at,
                    found.via,
                    found.hint,
                )
            )
            email = found.who.email or "" if found.who else ""
            record = ConfirmedDates(now.start, now.due, name, found.trust.value, email, on)
            rejected, gone = "", None
            if found.fill:
                back.confirmed_by.append((at, name))
        else:
            same = before is not None and (before.rejected, before.confirmed_by) == (
                found.reason,
                now.confirmed_by,
            )
            if not same:  # looked at again every sync; reported once for one reason and one name
                refused = Event(
                    EventKind.CONFIRMATION_REJECTED,
                    now.id,
                    found.reason,
                    "",
                    _dates(now.start, now.due),
                    name,
                    None,
                    at,
                )
                events.append(replace(refused, note=found.hint))
                why = rejection_text(found.reason, name)
                back.notes.append((at, f"Not counted as a customer confirmation: {why}"))
            rejected = found.reason
    if record is None and not rejected and gone is None:
        return now, events  # what row_state built already says so
    return now._replace(confirmation=record, rejected=rejected, voided=gone), events


@dataclass(frozen=True, slots=True)
class Decision:
    """Who a tick of Customer confirmed is from, and how sure that is (no trust: not counted, and why)."""

    who: Party | None
    trust: Trust | None
    via: str = ""
    reason: str = ""  # a Rejection, when trust is None
    hint: str = ""  # what the platform showed, when it proves nothing
    fill: bool = False  # write the confirmer into a blank Confirmed by: they are known, not guessed


def decide(row: PlanRow, plan: Plan, editors: Editors) -> Decision:
    """A tick's trust: verified when the platform knows exactly who ticked (the embedded workbook's
    per-cell editor) and they are a customer person the cell names (or it names nobody); claimed when
    the sheet names a customer person but nobody proved it was them; otherwise not counted."""
    exact, hint = editors.of(row, plan, Column.CONFIRMED)
    named = [party for party in row.confirmed_by if party.is_person]
    if exact:
        editor = next((p for p in named if p.email and p.email.casefold() == exact.casefold()), None)
        ticker = editor or _party(exact, plan)
        if refusal_of(ticker, plan) is None and (editor is not None or not named):
            return Decision(ticker, Trust.VERIFIED, Via.CELL, fill=not named)
        hint = f"{TICKED_BY}{exact}"
    reason = rejection_of(row, plan)
    if reason is None:
        claimed = next(p for p in named if refusal_of(p, plan) is None)
        return Decision(claimed, Trust.CLAIMED, Via.SHEET, hint=hint)
    return Decision(named[0] if named else None, None, reason=reason.value, hint=hint)


def who_text(party: Party | None) -> str:
    """A person as the audit log names them: "Name <email>", the email, or the name."""
    if party is None:
        return ""
    if party.name and party.email:
        return f"{party.name} <{party.email}>"
    return party.email or party.name or party.text


def _named(editor: tuple[str, str], plan: Plan) -> tuple[str, str]:
    """An editor the platform named exactly, as "Name <email>" when the plan knows their name."""
    email, hint = editor
    return (_party(email, plan).text if email else "", hint)


def _party(email: str, plan: Plan) -> Party:
    """The person at an address, by the name the plan knows them by (Stakeholders, else an owner cell),
    so that what is written for them reads as the rows already do: "Jane Doe <jane@acme.com>"."""
    key = address_key(email)
    people = plan.stakeholders
    listed = (person.name for person in people if person.email and address_key(person.email) == key)
    parties = (owner.party for row in plan.rows for owner in row.owners)
    owning = (party.name for party in parties if party.email and address_key(party.email) == key)
    name = next((found for found in chain(listed, owning) if found), None)
    return Party(f"{name} <{email}>" if name else email, PartyKind.PERSON, name, email)


def _dates(start: date | None, due: date | None) -> str:
    return f"{date_text(start) or '…'} → {date_text(due) or '…'}"
