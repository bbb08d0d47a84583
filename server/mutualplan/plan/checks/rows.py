"""Row rules on owners, evidence, confirmation, track, status and step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta

from mutualplan.plan.checks.context import Context
from mutualplan.plan.checks.findings import Finding, Severity
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.confirmation import (
    Confirmation,
    confirmation_of,
    confirmed_dates,
    refusal_of,
    rejection_of,
)
from mutualplan.plan.history.events import Rejection, rejection_text
from mutualplan.plan.people.parties import Party, PartyKind
from mutualplan.plan.sheet.model import Owner, PlanRow, Side
from mutualplan.plan.sheet.text import quote
from mutualplan.plan.sheet.vocabulary import Column, Track

# Tracks on which the buyer acts too, so a vendor-only owner leaves a gap.
BOTH_SIDES_TRACKS = frozenset(
    {Track.SECURITY, Track.LEGAL, Track.PROCUREMENT, Track.SIGNATURE, Track.EXECUTIVE_APPROVAL}
)
NAME_BY_DAYS = 30  # R-OWNER-PLACEHOLDER: a role is fine until 30 days before the step is due
# Who to name instead of a team, by the team's word — on the tracks where that person is who acts
# (on a technical row, "Legal" gets the plain advice, not "name the attorney").
_PAPER = frozenset({Track.LEGAL, Track.PROCUREMENT, Track.SIGNATURE})
_APPROVAL = frozenset({Track.BUSINESS, Track.EXECUTIVE_APPROVAL})
TEAM_ADVICE: dict[str, tuple[str, frozenset[Track]]] = {
    "legal": ("name the attorney", _PAPER),
    "procurement": ("name the sourcing lead", _PAPER),
    "sourcing": ("name the sourcing lead", _PAPER),
    "purchasing": ("name the buyer in purchasing", _PAPER),
    "it": ("name the engineer who will do it", frozenset({Track.TECHNICAL, Track.SECURITY, Track.SUCCESS})),
    "security": ("name the security reviewer", frozenset({Track.SECURITY, Track.TECHNICAL})),
    "infosec": ("name the security reviewer", frozenset({Track.SECURITY, Track.TECHNICAL})),
    "finance": ("name the finance approver", _APPROVAL | _PAPER),
    "committee": ("name who presents to the committee", _APPROVAL | {Track.SECURITY}),
    "board": ("name who presents to the board", _APPROVAL),
}
PLAIN_TEAM_ADVICE = "name the person who will do this step"
KIND_ADVICE = {
    PartyKind.ROLE: "is a role — name the person who holds it",
    PartyKind.SIDE: "names a side, not a person — name who there owns this step",
    PartyKind.COMPANY: "is a company — name the person there who owns this step",
    PartyKind.PLACEHOLDER: "is a placeholder — name the person who owns this step",
    PartyKind.UNSURE: "doesn't read as one person's name — name the person who owns this step",
    PartyKind.MAILBOX: "is a shared mailbox — name the person who reads it",
    PartyKind.BAD_EMAIL: "has an email address that can't be right — fix the address",
}


def owner_findings(context: Context, row: PlanRow) -> Iterator[Finding]:
    """The owner rules of one row."""
    plan = context.plan
    if not row.owners:
        column = next(
            (c for c in (Column.CUSTOMER_OWNER, Column.OWNER, Column.VENDOR_OWNER) if c in plan.columns),
            None,
        )
        yield context.at("R-OWNER-MISSING", row, column, "No owner — name who will do this step")
        return
    for owner in row.owners:
        if owner.party.kind is PartyKind.ROLE_SLOT:
            yield _role_slot(context, row, owner)
        elif owner.party.kind is PartyKind.UNSURE:  # an unknown shape: a warning, never silence
            message = _not_a_person(owner, row.track)
            yield context.at("R-OWNER-NOT-A-PERSON", row, owner.column, message, Severity.WARNING)
        elif not owner.party.is_person:
            yield context.at("R-OWNER-NOT-A-PERSON", row, owner.column, _not_a_person(owner, row.track))
        elif not owner.party.email:
            yield context.at("R-OWNER-NO-EMAIL", row, owner.column, _no_email(owner.party.label))
        elif owner.party.domain and owner.side is not Side.UNKNOWN:
            wrong_side = _wrong_side(context, row, owner)
            if wrong_side:
                yield wrong_side
            elif owner.side is Side.CUSTOMER:
                yield from _outside_customer(context, row, owner)
    for column, parties in ((owner.column, (owner.party,)) for owner in row.owners):
        yield from _lookalikes(context, row, column, parties)
    yield from _lookalikes(context, row, Column.CONFIRMED_BY, row.confirmed_by)
    vendor_only = row.owner_sides == {Side.VENDOR}
    if vendor_only and Column.CUSTOMER_OWNER in plan.columns and (row.gate or row.track in BOTH_SIDES_TRACKS):
        why = "a gate" if row.gate else f"a {row.track.value if row.track else ''} step"
        yield context.at(
            "R-OWNER-ONE-SIDED",
            row,
            Column.CUSTOMER_OWNER,
            f"Only a vendor owner on {why} — the customer acts here too: name who on their side",
        )


def _no_email(name: str) -> str:
    return (
        f"{quote(name)} has no email anywhere in the plan, so they get no reminders — write "
        f"'{quote(name)} <their address>' here, or list them on the Stakeholders tab"
    )


def _not_a_person(owner: Owner, track: Track | None) -> str:
    party = owner.party
    if party.kind is PartyKind.FORMULA:
        return "Owner is a formula — type the person's name"
    what = f"Owner '{quote(party.text)}'"
    if party.kind is PartyKind.TEAM:
        for word in party.text.casefold().split():
            advice, tracks = TEAM_ADVICE.get(word, ("", frozenset()))
            if advice and (track is None or track in tracks):
                return f"{what} is a team — {advice}"
        return f"{what} is a team — {PLAIN_TEAM_ADVICE}"
    return f"{what} {KIND_ADVICE[party.kind]}"


def _role_slot(context: Context, row: PlanRow, owner: Owner) -> Finding:
    """R-OWNER-PLACEHOLDER: a role stands in for a person while the step is far off; not once it is near."""
    due = row.due.value
    what = f"Owner '{quote(owner.party.text)}' is a role"
    if due is not None and (due - context.today).days > NAME_BY_DAYS:
        name_by = format_day(due - timedelta(days=NAME_BY_DAYS))
        return context.at(
            "R-OWNER-PLACEHOLDER", row, owner.column, f"{what} — name the person by {name_by}", Severity.INFO
        )
    when = f"due {format_day(due)}" if due else "undated"
    return context.at(
        "R-OWNER-PLACEHOLDER", row, owner.column, f"{what} and the step is {when} — name the person now"
    )


OUTSIDE_REASONS = frozenset({Rejection.OUTSIDE, Rejection.FREEMAIL})


def _outside_customer(context: Context, row: PlanRow, owner: Owner) -> Iterator[Finding]:
    """R-CUSTOMER-OUTSIDE: a customer owner whose address does not speak for the customer."""
    confirmers = context.plan.confirmers
    if owner.party.email and confirmers.refusal(owner.party.email) in OUTSIDE_REASONS:
        message = confirmers.why_not(owner.party.email, owner.party.label)
        yield context.at("R-CUSTOMER-OUTSIDE", row, owner.column, message)


def _lookalikes(
    context: Context, row: PlanRow, column: Column, parties: Iterable[Party]
) -> Iterator[Finding]:
    """R-ADDRESS-LOOKALIKE: an address made to look like another, wherever the row names it."""
    confirmers = context.plan.confirmers
    for party in parties:
        if party.email and confirmers.refusal(party.email) is Rejection.LOOKALIKE:
            yield context.at("R-ADDRESS-LOOKALIKE", row, column, confirmers.why_not(party.email))


def _wrong_side(context: Context, row: PlanRow, owner: Owner) -> Finding | None:
    domain = owner.party.domain
    other = Side.VENDOR if owner.side is Side.CUSTOMER else Side.CUSTOMER
    if context.plan.side_of_domain(domain) is not other:
        return None
    return context.at(
        "R-OWNER-WRONG-SIDE",
        row,
        owner.column,
        f"{owner.party.label} ({domain}) is on the {other.value} side but stands in "
        f"{owner.column.value} — move them to the right column",
    )


def evidence_findings(context: Context, row: PlanRow) -> Iterator[Finding]:
    """The exit-evidence rules of one row."""
    if row.evidence or row.evidence_link:
        return
    if row.is_done:
        yield context.at(
            "R-EVIDENCE-DONE-WITHOUT",
            row,
            Column.EVIDENCE,
            "Marked Done with no exit evidence — record the artifact that proves it",
        )
    else:
        yield context.at(
            "R-EVIDENCE-MISSING",
            row,
            Column.EVIDENCE,
            'No exit evidence — name the artifact that will prove it done ("PO executed")',
        )


def confirmation_findings(context: Context, row: PlanRow) -> Iterator[Finding]:
    """Whether the customer confirmed this open row's dates, and still does."""
    if row.is_done or row.due.value is None:
        return
    state = confirmation_of(row, context.plan, context.history)
    due = format_day(row.due.value)
    gone = context.history.voided.get(row.id or "") if context.history else None
    if state is Confirmation.UNCONFIRMED and gone is not None:
        yield context.at("R-UNCONFIRMED", row, Column.CONFIRMED, gone.note)
    elif state is Confirmation.UNCONFIRMED:
        yield context.at(
            "R-UNCONFIRMED",
            row,
            Column.CONFIRMED,
            f"Due {due}, not confirmed by the customer — silence is not agreement: send them their "
            "confirmation link, or have them tick Customer confirmed and name themselves",
        )
    elif state is Confirmation.CLAIMED:
        name = claimant(row, context)
        yield context.at(
            "R-UNCONFIRMED",
            row,
            Column.CONFIRMED_BY,
            f"Due {due}: claimed by {name} — waiting for {name} to verify from their confirmation link",
        )
    elif state is Confirmation.REJECTED:
        reason = (context.history.rejected.get(row.id or "") if context.history else None) or (
            rejection_of(row, context.plan) or Rejection.NOBODY
        )
        named = ", ".join(party.label for party in row.confirmed_by if party.is_person)
        yield context.at(
            "R-UNCONFIRMED", row, Column.CONFIRMED_BY, f"Not counted: {rejection_text(reason, named)}"
        )
    elif state is Confirmation.STALE:
        record = confirmed_dates(row, context.history)
        was = format_day(record.due) if record and record.due else "another date"
        yield context.at(
            "R-CONFIRMATION-STALE",
            row,
            Column.DUE,
            f"Dates moved after the customer confirmed them (was due {was}) — ask them to "
            "confirm the new dates",
        )


def claimant(row: PlanRow, context: Context) -> str:
    """Who a claimed row names as its confirmer."""
    record = confirmed_dates(row, context.history)
    if record is not None and record.by:
        return record.by
    named = [party.label for party in row.confirmed_by if refusal_of(party, context.plan) is None]
    return named[0] if named else "the customer"


def vocabulary_findings(context: Context, row: PlanRow) -> Iterator[Finding]:
    """Track and status values the plan doesn't know, and rows without a step."""
    if row.track_text and row.track is None:
        yield context.at(
            "R-TRACK-UNKNOWN",
            row,
            Column.TRACK,
            f"Track '{quote(row.track_text)}' is not one of: " + ", ".join(t.value for t in Track),
        )
    if row.status_text and row.status is None:
        yield context.at(
            "R-STATUS-UNKNOWN",
            row,
            Column.STATUS,
            f"Status '{quote(row.status_text)}' is not one of: Not started, In progress, Done, Blocked",
        )
    if not row.step:
        yield context.at("R-STEP-MISSING", row, Column.STEP, "This row has no step — say what is done here")
