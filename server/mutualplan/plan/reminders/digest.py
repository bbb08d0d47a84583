"""The weekly countdown's words, and the row lists the reminders share: a pure function of a snapshot."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Protocol

from mutualplan.plan.checks.health import SIGNATURE_LEAD_DAYS
from mutualplan.plan.dates.reading import format_day, plausible
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import RiskState, RowState, Snapshot
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.text import plural
from mutualplan.plan.sheet.vocabulary import Status, Track

CONFIRM_WINDOW_DAYS = 30
WEEK_DAYS = 7
RISKS_AHEAD_DAYS = 14  # the countdown raises the open risks past their date or due within two weeks


class Digested(Protocol):
    """What the digest needs of a plan."""

    @property
    def snapshot(self) -> Snapshot: ...

    @property
    def slips(self) -> tuple[Slip, ...]: ...


def open_due(snapshot: Snapshot, first: date, last: date) -> list[RowState]:
    """The open steps due from first to last (both included), soonest first."""
    rows = [
        row
        for row in snapshot.rows
        if row.due and first <= row.due <= last and row.status != Status.DONE.value
    ]
    return sorted(rows, key=lambda row: (row.due or first, row.sheet_row))


def unconfirmed_in(snapshot: Snapshot, today: date) -> list[RowState]:
    """The open steps due in the window whose dates the customer has not verifiably confirmed."""
    window = open_due(snapshot, today, today + timedelta(days=CONFIRM_WINDOW_DAYS))
    return [row for row in window if not row.verified]


def digest_lines(
    plan: Digested, today: date, unconfirmed: Sequence[RowState], customer_reader: str = ""
) -> Iterator[str]:
    """The countdown: the seller's, with the deal's figures; or, for a customer reader (their address),
    the plan as they need it — their own steps first, what waits for their word, and no seller figures."""
    snapshot = plan.snapshot
    if customer_reader:
        yield from _customer_countdown(snapshot, today, unconfirmed, customer_reader)
        return
    if snapshot.domain_moved:
        yield f"⚠ {snapshot.domain_moved}."
        yield ""
    yield from _countdowns(snapshot, today)
    yield from _signature_at_risk(snapshot, today)
    yield from _risks_to_act_on(snapshot, today)
    yield from _this_week(snapshot, today)
    slips = [slip for slip in plan.slips if slip.counts(today)]
    if slips:
        yield ""
        yield "Slipped so far:"
        yield from (
            f"• {slip.row_id}: {format_day(slip.old)} → {format_day(slip.new)} (+{days_text(slip.days)})"
            for slip in slips
        )
    due_soon = open_due(snapshot, today, today + timedelta(days=CONFIRM_WINDOW_DAYS))
    yield ""
    if due_soon:
        confirmed = len(due_soon) - len(unconfirmed)
        rate = f"{confirmed / len(due_soon):.0%} ({confirmed} of {len(due_soon)})"
        yield f"Confirmed by the customer, next 30 days: {rate}"
        yield from (_unconfirmed_line(row) for row in unconfirmed)
    else:
        yield "No open steps are due in the next 30 days."
    proposals = [row for row in snapshot.rows if row.proposal]
    if proposals:
        yield ""
        yield "Proposed by the customer (accept or discuss in the sidebar):"
        yield from (_proposal_line(row) for row in proposals)
    customer_people = {
        owner.email or owner.name
        for row in snapshot.rows
        for owner in row.owners
        if owner.side is Side.CUSTOMER and owner.is_person
    }
    if len(customer_people) <= 1:
        yield ""
        yield "Single-threaded: one customer name (or none) owns the customer's steps."
        yield "Ask the champion who else owns them."


def _customer_countdown(
    snapshot: Snapshot, today: date, unconfirmed: Sequence[RowState], reader: str
) -> Iterator[str]:
    yield from _countdowns(snapshot, today)
    window = open_due(snapshot, today, today + timedelta(days=CONFIRM_WINDOW_DAYS))
    theirs = [row for row in window if any((o.email or "").casefold() == reader for o in row.owners)]
    yield ""
    yield "Your steps in the next 30 days:" if theirs else "You own no step due in the next 30 days."
    yield from (dated(row) for row in theirs)
    yield from _risks_to_act_on(snapshot, today)
    yield from _this_week(snapshot, today)
    if unconfirmed:
        yield ""
        yield "Not yet confirmed by your side (your link confirms them, or proposes other dates):"
        yield from (dated(row) for row in unconfirmed)


def _countdowns(snapshot: Snapshot, today: date) -> Iterator[str]:
    for label, day in (("Signature", snapshot.target_signature), ("Go-live", snapshot.go_live)):
        yield f"{label}: {_countdown(day, today)}"


def _this_week(snapshot: Snapshot, today: date) -> Iterator[str]:
    this_week = open_due(snapshot, today, today + timedelta(days=WEEK_DAYS - 1))
    yield ""
    yield "This week:" if this_week else "Nothing is due this week."
    yield from (dated(row) for row in this_week)


def _signature_at_risk(snapshot: Snapshot, today: date) -> Iterator[str]:
    """The third review question: if signature is on D, what must be true by then, and is not."""
    signature = snapshot.target_signature
    at_risk = must_be_true_by_signature(snapshot, today)
    if signature is not None and at_risk:
        yield ""
        yield f"If signature is on {format_day(signature)}, these must be true by then and are not:"
        yield from (f"{dated(row)} ({why})" for row, why in at_risk)


def must_be_true_by_signature(snapshot: Snapshot, today: date) -> list[tuple[RowState, str]]:
    """The third review question's open answers: the open steps due in the three weeks before the target
    signature that are overdue or not confirmed, each with which."""
    signature = snapshot.target_signature
    if signature is None:
        return []
    lead = signature - timedelta(days=SIGNATURE_LEAD_DAYS)
    return [
        (row, "overdue" if due < today else "not confirmed")
        for row in open_due(snapshot, lead, signature)
        if row.track != Track.SIGNATURE.value and (due := row.due) and (due < today or not row.verified)
    ]


def _risks_to_act_on(snapshot: Snapshot, today: date) -> Iterator[str]:
    """The open risks whose mitigation is past its date or due within two weeks (a typo'd year is left
    out: it is no date anyone meant)."""
    horizon = today + timedelta(days=RISKS_AHEAD_DAYS)
    due = sorted(
        (risk for risk in snapshot.risks if risk.open and risk.due and plausible(risk.due, today)),
        key=lambda risk: risk.due or today,
    )
    raised = [risk for risk in due if risk.due and risk.due <= horizon]
    if raised:
        yield ""
        yield "Risks to act on:"
        yield from (_risk_line(risk, today) for risk in raised)


def _risk_line(risk: RiskState, today: date) -> str:
    assert risk.due is not None
    when = f"{format_day(risk.due)}{' (past its date)' if risk.due < today else ''}"
    who = f" — {risk.owner}" if risk.owner else ""
    how = f": {risk.mitigation}" if risk.mitigation else ""
    return f"• {when}: {risk.risk}{who}{how}"


def _unconfirmed_line(row: RowState) -> str:
    """An unconfirmed row; a claimed one says who is to verify."""
    record = row.confirmation
    if record is not None and not record.verified and (record.start, record.due) == (row.start, row.due):
        name = record.by.partition(" <")[0] or record.by
        return f"Claimed by {name} — waiting for {name} to verify: {dated(row)[2:]}"
    return f"Unconfirmed: {dated(row)[2:]}"


def _proposal_line(row: RowState) -> str:
    proposal = row.proposal
    assert proposal is not None
    now = format_day(row.due) if row.due else "no date"
    instead = f"{format_day(proposal.due)} instead of {now}"
    return f"• {row.id} {row.step}: {proposal.by} proposes {instead} ({proposal.reason})"


def dated(row: RowState) -> str:
    assert row.due is not None
    return f"• {format_day(row.due)}: {row.step}"


def _countdown(day: date | None, today: date) -> str:
    if day is None:
        return "no date in the plan"
    days = (day - today).days
    return (
        f"{format_day(day)}, in {days_text(days)}"
        if days >= 0
        else f"{format_day(day)}, {days_text(-days)} ago"
    )


def days_text(count: int) -> str:
    return plural(count, "day")
