"""One message per recipient per plan per day: the day's reminders to a person, bundled, so that no
number of rows turns the seller's mail into a hose. A pure function, like the planner it follows.

The message's key names the plan, the person and the day, so the ledger refuses a second one that
day; it covers each reminder's own key, so none is sent again on a later day either. It shows the
first ITEMS_SHOWN reminders and counts the rest, which the plan's link opens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from mutualplan.plan.reminders.planner import Recipient, Reminder, ReminderKind
from mutualplan.plan.sheet.text import plural

ITEMS_SHOWN = 10
# What leads a bundle (its kind and subject), first: what asks the person to act through their own
# link, then the week's digest, then their steps, most pressing first.
LEAD_ORDER = (
    ReminderKind.CONFIRMATION_VOIDED, ReminderKind.VERIFY_REQUEST, ReminderKind.CONFIRM_REQUEST,
    ReminderKind.LINK, ReminderKind.DIGEST, ReminderKind.OVERDUE, ReminderKind.DUE, ReminderKind.UPCOMING,
)  # fmt: skip


def bundle(reminders: Sequence[Reminder], day: date, title: str) -> list[Reminder]:
    """The day's messages: one a person, covering every reminder planned for them, in the planner's
    order of people."""
    by_person: dict[str, list[Reminder]] = {}
    for item in reminders:
        by_person.setdefault(item.to.email, []).append(item)
    return [_message(items, day, title) for items in by_person.values()]


def _message(items: list[Reminder], day: date, title: str) -> Reminder:
    parts = tuple(sorted(items, key=lambda item: LEAD_ORDER.index(item.kind)))
    lead = parts[0]
    to = Recipient(lead.to.email, lead.to.name, any(item.to.customer for item in parts))
    if len(parts) == 1:
        return replace(lead, to=to, due=day, period=DAY, parts=parts)
    lines: list[str] = [f"{plural(len(parts), 'thing')} in the plan for you today:", ""]
    for item in parts[:ITEMS_SHOWN]:
        lines += [f"■ {item.subject.removeprefix(f'{title}: ')}", *item.lines, ""]
    if len(parts) > ITEMS_SHOWN:
        lines.append(f"…and {len(parts) - ITEMS_SHOWN} more: the plan shows them all.")
    subject = f"{title}: {lead.subject.removeprefix(f'{title}: ')} (and {len(parts) - 1} more)"
    return Reminder(lead.kind, lead.plan_id, to, subject, tuple(lines), None, day, DAY, parts)


DAY = "day"  # the period of a day's message
