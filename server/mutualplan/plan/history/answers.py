"""A customer person's own answer through their confirmation link: the dates confirmed — verified, since
the link proves who they are — or another due date proposed, which moves nothing until the seller
accepts it. Answers ride on a sync: they are applied to what the sync found, in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from mutualplan.plan.history.diff import Diff
from mutualplan.plan.history.events import Event, EventKind, Trust, Via
from mutualplan.plan.history.past import ConfirmedDates, Proposal
from mutualplan.plan.history.snapshot import RowState, date_text
from mutualplan.plan.people.parties import read_people_text


@dataclass(frozen=True, slots=True)
class Answer:
    """One person's answer on one row, for the dates their page showed."""

    row_id: str
    person: str  # "Name <email>"
    email: str
    start: date | None  # the dates the page showed: a confirmation covers exactly these
    due: date | None
    proposed: date | None = None  # None: confirm the dates; a date: propose it instead of the due date
    reason: str = ""
    trust: Trust = Trust.VERIFIED  # claimed when the link was shown to someone else: it proves nothing


class Outcome(StrEnum):
    """What became of an answer."""

    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already confirmed"
    PROPOSED = "proposed"
    ALREADY_PROPOSED = "already proposed"
    STALE = "stale"  # the row's dates changed since the page was shown: nothing recorded
    DECLINED = "declined"  # the seller kept the date: the proposal is closed
    GONE = "gone"  # the row is no longer in the plan


@dataclass(frozen=True, slots=True)
class Decline:
    """The seller keeps a row's due date and closes the customer's proposal, saying why."""

    row_id: str
    by: str  # the seller
    proposed: date  # the proposal as the seller saw it: a newer one is not declined unseen
    reason: str


def apply_answers(
    found: Diff, answers: Sequence[Answer | Decline], when: str
) -> tuple[Diff, tuple[Outcome, ...]]:
    """What a sync found, with the answers applied: their events, rows and write-back; and each one's fate."""
    rows = {row.id: row for row in found.snapshot.rows}
    events, verified, outcomes = list(found.events), list(found.write_back.verified), []
    for item in answers:
        row = rows.get(item.row_id)
        if row is None:
            outcomes.append(Outcome.GONE)
        elif isinstance(item, Decline):
            if row.proposal is None or row.proposal.due != item.proposed:
                outcomes.append(Outcome.STALE)
                continue
            rows[row.id] = row._replace(proposal=None)
            old = date_text(row.proposal.due)
            event = Event(EventKind.PROPOSAL_DECLINED, row.id, "due", old, date_text(row.due), item.by)
            events.append(replace(event, sheet_row=row.sheet_row, note=item.reason))
            outcomes.append(Outcome.DECLINED)
        elif (row.start, row.due) != (item.start, item.due):
            outcomes.append(Outcome.STALE)
        elif item.proposed is None:
            record = row.confirmation
            if row.verified and record is not None and record.email.casefold() == item.email.casefold():
                outcomes.append(Outcome.ALREADY_CONFIRMED)
                continue
            rows[row.id], event, note = _confirmed(row, item, when)
            events.append(event)
            verified.append((row.sheet_row, item.person, note))
            outcomes.append(Outcome.CONFIRMED)
        else:
            proposal = Proposal(item.proposed, item.reason, item.person, item.email)
            if row.proposal == proposal:
                outcomes.append(Outcome.ALREADY_PROPOSED)
                continue
            rows[row.id] = row._replace(proposal=proposal)
            old, new = date_text(row.due), date_text(item.proposed)
            events.append(
                Event(
                    EventKind.DATE_PROPOSED,
                    row.id,
                    "due",
                    old,
                    new,
                    item.person,
                    None,
                    row.sheet_row,
                    Via.LINK,
                    item.reason,
                )
            )
            outcomes.append(Outcome.PROPOSED)
    snapshot = replace(found.snapshot, rows=tuple(rows[row.id] for row in found.snapshot.rows))
    back = replace(found.write_back, verified=tuple(verified))
    return Diff(tuple(events), snapshot, back), tuple(outcomes)


def _confirmed(row: RowState, item: Answer, when: str) -> tuple[RowState, Event, str]:
    dates = f"{date_text(row.start) or '…'} → {date_text(row.due) or '…'}"
    event = Event(
        EventKind.CONFIRMED,
        row.id,
        item.trust.value,
        "",
        dates,
        item.person,
        item.trust,
        row.sheet_row,
        Via.LINK,
    )
    keys = tuple(party.key for party in read_people_text(item.person) if party.is_person)
    record = ConfirmedDates(row.start, row.due, item.person, item.trust.value, item.email, when[:10])
    state = row._replace(ticked=True, confirmed_by=keys, confirmation=record, rejected="")
    if item.trust is Trust.VERIFIED:
        return state, event, f"Confirmed by {item.person} through their confirmation link, {when}"
    return state, event, f"Claimed for {item.person} through a link an operator saw, {when}: not verified"
