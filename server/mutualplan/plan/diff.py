"""The pure diff of a sync: the last snapshot and the plan now → events, the next snapshot, write-back.

Rows are matched by ID. A row whose ID was deleted takes back the vanished ID of a step with the same
name; rows with no ID or a duplicated one get fresh IDs, written back. A confirmation is the tick of
Customer confirmed by a customer-side person and covers the exact Start and Due it was given for:
moving either voids it (and the box is unticked). A tick by anyone else is reported, never counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from mutualplan.plan.confirmation import side_of
from mutualplan.plan.events import Event, EventKind, Trust
from mutualplan.plan.history import ConfirmedDates
from mutualplan.plan.model import Plan, PlanRow, Side
from mutualplan.plan.people import Party, PartyKind
from mutualplan.plan.snapshot import Person, RowState, Snapshot, date_text, head_texts, row_state
from mutualplan.plan.stakeholders import Stakeholder, champion_of
from mutualplan.plan.vocabulary import Column

ID_PREFIX = "M"
_NUMBERED = re.compile(r"(\d+)$")


@dataclass(frozen=True, slots=True)
class Editors:
    """Who edited, as the platform tells: per cell where it knows (the local workbook), else the
    spreadsheet's last editor (Drive's lastModifyingUser)."""

    cells: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (0-based row, col) → email
    last: str | None = None


@dataclass(frozen=True, slots=True)
class WriteBack:
    """What the sync writes into the sheet, by 1-based sheet row."""

    ids: tuple[tuple[int, str], ...] = ()
    unticks: tuple[tuple[int, str], ...] = ()  # (row, note): voided confirmations
    notes: tuple[tuple[int, str], ...] = ()  # (row, note) on Customer confirmed: ticks not counted
    confirmed_by: tuple[tuple[int, str], ...] = ()  # (row, person): who confirmed, where blank

    def __bool__(self) -> bool:
        return bool(self.ids or self.unticks or self.notes or self.confirmed_by)


@dataclass(frozen=True, slots=True)
class Diff:
    """What one sync found."""

    events: tuple[Event, ...]
    snapshot: Snapshot
    write_back: WriteBack


def diff(
    previous: Snapshot | None, plan: Plan, editors: Editors, stakeholders: Sequence[Stakeholder] = ()
) -> Diff:
    """The events between the last snapshot (None: the first sync, a baseline) and the plan now."""
    base = previous or Snapshot()
    ids = assign_ids(plan.rows, base)
    events: list[Event] = []
    states: list[RowState] = []
    back = _Back()
    for row, row_id in zip(plan.rows, ids, strict=True):
        if row.id != row_id:
            back.ids.append((row.sheet_row, row_id))
        before = base.row(row_id)
        now = row_state(row, row_id, plan.person_sides)
        if before is None and previous is not None:
            events.append(Event(EventKind.ROW_ADDED, row_id, new=row.step, sheet_row=row.sheet_row))
        if before is not None:
            events += _row_changes(before, now)
        now, found = _confirmation(before, now, row, plan, editors, stakeholders, back)
        events += found
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
            Event(EventKind.HEAD_CHANGED, None, name, previous.head.get(name, ""), head.get(name, ""))
            for name in sorted(previous.head.keys() | head.keys())
            if previous.head.get(name, "") != head.get(name, "")
        ]
    champion = champion_of(stakeholders)
    known = Person(champion.name, champion.email, Side.CUSTOMER) if champion else None
    snapshot = Snapshot(tuple(states), head, plan.go_live, plan.target_signature, known)
    return Diff(tuple(events), snapshot, back.freeze())


@dataclass(slots=True)
class _Back:
    ids: list[tuple[int, str]] = field(default_factory=list)
    unticks: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    confirmed_by: list[tuple[int, str]] = field(default_factory=list)

    def freeze(self) -> WriteBack:
        return WriteBack(tuple(self.ids), tuple(self.unticks), tuple(self.notes), tuple(self.confirmed_by))


def assign_ids(rows: Sequence[PlanRow], base: Snapshot) -> list[str]:
    """Each row's ID: its own when unique; a deleted ID given back by step name; else a fresh one."""
    keepers: dict[str, int] = {}
    for index, row in enumerate(rows):
        if row.id is None:
            continue
        held = keepers.get(row.id)
        before = base.row(row.id)
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


def _row_changes(before: RowState, now: RowState) -> list[Event]:
    events = []
    at = now.sheet_row
    for name, old, new in (("start", before.start, now.start), ("due", before.due, now.due)):
        if old != new:
            events.append(
                Event(EventKind.DATE_MOVED, now.id, name, date_text(old), date_text(new), sheet_row=at)
            )
    if before.owners_text != now.owners_text:
        events.append(
            Event(
                EventKind.OWNER_CHANGED, now.id, "owners", before.owners_text, now.owners_text, sheet_row=at
            )
        )
    if now.evidence and now.evidence != before.evidence:
        events.append(
            Event(EventKind.EVIDENCE_ADDED, now.id, "evidence", before.evidence, now.evidence, sheet_row=at)
        )
    if before.status != now.status:
        events.append(
            Event(EventKind.STATUS_CHANGED, now.id, "status", before.status, now.status, sheet_row=at)
        )
    return events


def _confirmation(
    before: RowState | None,
    now: RowState,
    row: PlanRow,
    plan: Plan,
    editors: Editors,
    stakeholders: Sequence[Stakeholder],
    back: _Back,
) -> tuple[RowState, list[Event]]:
    """The row's confirmation after this sync, and the events that decided it."""
    events = []
    record = before.confirmation if before else None
    not_customer = before.not_customer if before else False
    dates, at = _dates(now.start, now.due), now.sheet_row
    if record is not None and (record.start, record.due) != (now.start, now.due):
        old = _dates(record.start, record.due)
        events.append(
            Event(EventKind.CONFIRMATION_VOIDED, now.id, "dates moved", old, dates, record.by, sheet_row=at)
        )
        record = None
        if now.ticked:
            note = (
                f"Confirmation voided: the dates moved after {record_by(before)} confirmed them — ask again"
            )
            back.unticks.append((at, note))
            now = replace(now, ticked=False, confirmed_by=())
    elif record is not None and not now.ticked:
        events.append(
            Event(
                EventKind.CONFIRMATION_VOIDED,
                now.id,
                "unticked",
                dates,
                "",
                record.by,
                sheet_row=now.sheet_row,
            )
        )
        record = None
    if not now.ticked:
        not_customer = False
    elif record is None and (before is None or not before.ticked or before.confirmed_by != now.confirmed_by):
        who, trust = confirmer(row, plan, editors)
        side = side_of(who, plan, stakeholders) if who else Side.UNKNOWN
        name = who_text(who)
        if side is Side.CUSTOMER:
            events.append(Event(EventKind.CONFIRMED, now.id, "dates", "", dates, name, trust, at))
            record = ConfirmedDates(now.start, now.due, name, trust.value)
            not_customer = False
            if not row.confirmed_by and who is not None and who.email:
                back.confirmed_by.append((at, name))
        else:
            rejected_by = name or "nobody named"
            events.append(
                Event(EventKind.CONFIRMATION_REJECTED, now.id, side.value, "", dates, rejected_by, trust, at)
            )
            not_customer = True
            why = f"{name} is not on the customer side" if name else "nobody is named in Confirmed by"
            back.notes.append((at, f"Not counted as a customer confirmation: {why}"))
    return replace(now, confirmation=record, not_customer=not_customer), events


def confirmer(row: PlanRow, plan: Plan, editors: Editors) -> tuple[Party | None, Trust]:
    """Who ticked Customer confirmed, and how sure that is."""
    col = plan.columns.get(Column.CONFIRMED)
    exact = editors.cells.get((row.sheet_row - 1, col)) if col is not None else None
    platform = exact or editors.last
    named = [party for party in row.confirmed_by if party.is_person]
    if named:
        match = next(
            (p for p in named if p.email and platform and p.email.casefold() == platform.casefold()), None
        )
        return (match, Trust.VERIFIED) if match else (named[0], Trust.ATTESTED)
    if platform:
        return _party(platform), Trust.VERIFIED if exact else Trust.UNKNOWN
    return None, Trust.UNKNOWN


def who_text(party: Party | None) -> str:
    """A person as the audit log names them: "Name <email>", the email, or the name."""
    if party is None:
        return ""
    if party.name and party.email:
        return f"{party.name} <{party.email}>"
    return party.email or party.name or party.text


def record_by(state: RowState | None) -> str:
    """Who confirmed a row's dates, for a note."""
    return state.confirmation.by if state and state.confirmation and state.confirmation.by else "the customer"


def _party(email: str) -> Party:
    return Party(email, PartyKind.PERSON, None, email)


def _dates(start: date | None, due: date | None) -> str:
    return f"{date_text(start) or '…'} → {date_text(due) or '…'}"
