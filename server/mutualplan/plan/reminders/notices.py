"""Messages sent on an event rather than planned for a day: a proposal accepted, countered or declined by
the seller, and a customer person's own confirmation link."""

from __future__ import annotations

from datetime import date

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.past import Proposal
from mutualplan.plan.history.snapshot import RowState
from mutualplan.plan.reminders.planner import Recipient, Reminder, ReminderKind, name_of


def date_accepted(
    plan_id: str, title: str, row: RowState, proposal: Proposal, today: date, counter: date | None = None
) -> Reminder:
    """To a customer person whose proposed date the seller accepted (or countered with another): please
    confirm the plan's date now."""
    due = counter or proposal.due
    said = (
        f"The seller can't make {format_day(proposal.due)} for {row.id} “{row.step}”, and offers "
        f"{format_day(due)} instead: that is the plan's date now."
        if counter
        else f"The date you proposed for {row.id} “{row.step}” is now the plan's: due {format_day(due)}."
    )
    lines = (said, "", "Please confirm it from your own confirmation link, or propose another date there.")
    to = Recipient(proposal.email.casefold(), name_of(proposal.by, proposal.email), customer=True)
    subject = f"{title}: {row.step} moved to {format_day(due)} — please confirm"
    period = f"{'countered' if counter else 'accepted'}-{due.isoformat()}-{today.isoformat()}"
    return Reminder(ReminderKind.CONFIRM_REQUEST, plan_id, to, subject, lines, row.id, due, period)


def proposal_declined(
    plan_id: str, title: str, row: RowState, proposal: Proposal, reason: str, today: date
) -> Reminder:
    """To a customer person whose proposed date the seller declined: the date stays, and why."""
    assert row.due is not None
    lines = (
        f"The seller keeps {format_day(row.due)} for {row.id} “{row.step}” rather than the "
        f"{format_day(proposal.due)} you proposed: {reason}",
        "",
        "If it can't work on your side, propose another date from your own confirmation link, or confirm it.",
    )
    to = Recipient(proposal.email.casefold(), name_of(proposal.by, proposal.email), customer=True)
    subject = f"{title}: {row.step} stays due {format_day(row.due)}"
    period = f"declined-{proposal.due.isoformat()}-{today.isoformat()}"
    return Reminder(ReminderKind.CONFIRM_REQUEST, plan_id, to, subject, lines, row.id, row.due, period)


def link_sent(plan_id: str, title: str, to: Recipient, period: str) -> Reminder:
    """A customer person's own confirmation link, mailed to them alone (period: what makes it once —
    the hour for a send, the generation for a reissue)."""
    lines = (
        f"Here is your own link to the Mutual Action Plan {title}.",
        "",
        "Open it to confirm the dates that work on your side, or to propose others with a reason. It is "
        "yours alone: a confirmation made through it counts as yours, so please don't forward it.",
    )
    return Reminder(ReminderKind.LINK, plan_id, to, f"{title}: your confirmation link", lines, period=period)
