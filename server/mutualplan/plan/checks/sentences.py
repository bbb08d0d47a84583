"""Events as sentences people read in the Log tab and the sidebar's Activity: who, what, old → new, and
how far a date slipped — grouped by day."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from mutualplan.plan.dates.reading import format_iso, format_range
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.sheet.text import plural


def sentence(event: Event) -> str:
    """One event in one sentence, with who acted (never blank: "someone" when the platform can't tell)."""
    who, named, what = _who(event), _name(event.who), event.field
    if event.kind is EventKind.CONFIRMED:
        if event.trust is not None and not event.trust.counts:
            claim = f"a claim until {named} verifies it"
            return f"{who} ticked {format_range(event.new)} as confirmed by {named}: {claim}"
        return f"{named} confirmed {format_range(event.new)}"
    if event.kind is EventKind.CONFIRMATION_VOIDED:
        if what == "unticked":
            return f"{who} unticked Customer confirmed: the confirmation of {format_range(event.old)} is void"
        moved = f"{who} moved the confirmed dates {format_range(event.old)} to {format_range(event.new)}"
        return f"{moved}: the confirmation is void — ask again"
    if event.kind is EventKind.CONFIRMATION_REJECTED:
        return f"{who} ticked Customer confirmed — {event.describe()}"
    if event.kind is EventKind.DATE_MOVED:
        return f"{who} moved {what} from {_day(event.old)} to {_day(event.new)}{_shift(event)}"
    if event.kind is EventKind.EVIDENCE_ADDED:
        if event.old:
            return f"{who} changed the exit evidence from “{event.old}” to “{event.new}”"
        return f"{who} recorded the exit evidence “{event.new}”"
    if event.kind is EventKind.DATE_PROPOSED:
        reason = f" ({event.note})" if event.note else ""
        return f"{named} proposed {what} {_day(event.new)} instead of {_day(event.old)}{reason}"
    if event.kind is EventKind.PROPOSAL_DECLINED:
        return f"{who} kept {what} and declined the proposed {_day(event.old)} ({event.note})"
    if event.kind is EventKind.LINK_SHOWN:
        return (
            f"{event.new}'s confirmation link was shown to operator {event.who}: it confirms only as a claim"
        )
    if event.kind is EventKind.LOG_RESTORED:
        return f"{who} edited {what} by hand; it was restored from the audit log (“{event.old}”)"
    if event.kind is EventKind.HISTORY_LOST:
        return event.describe()
    if event.kind is EventKind.CUSTOMER_DOMAIN_MOVED:
        moved = f"The customer domain moved from {event.old} to {event.new or 'none'} after verification"
        return f"{moved}: {event.note}"
    if event.kind is EventKind.CRM_CLOSE_DATE_SET:
        was = _day(event.old) or "no date"
        return f"{who} set the {event.field} from {was} to the plan's signature, {_day(event.new)}"
    if event.kind is EventKind.ROW_ADDED:
        return f"{who} added the step “{event.new}”"
    if event.kind is EventKind.ROW_REMOVED:
        return f"{who} removed the step “{event.old}”"
    return f"{who} changed {what} from {_text(event.old)} to {_text(event.new)}"


def by_day(moments: Iterable[tuple[datetime, Event]]) -> Iterator[tuple[date, list[tuple[datetime, Event]]]]:
    """Events grouped by the day they were recorded, newest day first, newest first within a day."""
    days: dict[date, list[tuple[datetime, Event]]] = {}
    for at, event in moments:
        days.setdefault(at.date(), []).append((at, event))
    for day in sorted(days, reverse=True):
        yield day, sorted(days[day], key=lambda item: item[0], reverse=True)


def _who(event: Event) -> str:
    shown = event.who_shown
    return "Someone" + shown.removeprefix("unknown") if shown.startswith("unknown") else _name(shown)


def _name(who: str) -> str:
    """ "Jane Doe <jane@acme.com>" as "Jane Doe"; an address alone as it is."""
    return who.partition(" <")[0] or who or "someone"


def _shift(event: Event) -> str:
    """How far the date moved; only a later due date is a slip (a later start is just later)."""
    try:
        days = (date.fromisoformat(event.new) - date.fromisoformat(event.old)).days
    except ValueError:
        return ""
    if event.slip_days:
        return f" — a slip of {plural(days, 'day')}"
    if days:
        return f" — {plural(abs(days), 'day')} {'later' if days > 0 else 'earlier'}"
    return ""


def _day(text: str) -> str:
    shown = format_iso(text)
    return shown if shown != text or not text else _text(text)


def _text(text: str) -> str:
    return f"“{text}”" if text else "blank"
