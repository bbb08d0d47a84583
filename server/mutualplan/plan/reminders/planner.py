"""Planning reminders, a pure function: who is nudged about what today, each at most once.

Kinds: `upcoming` (days_ahead before a due date), `due` (on the day), `overdue` (the day after, then every
three days: three times to the row's owners, then to the seller alone), `confirm_request` (weekly, to
the champion, for the next 30 days' unconfirmed dates), `verify_request` (to a customer person the
sheet claims confirmed dates, once for each set of claims) and `digest` (weekly, to the seller and the
champion). Only verified confirmations count: customer-side owners are nudged only about dates they
verifiably confirmed. Done rows, owners who are not people, and people who unsubscribed get nothing. A
reminder's key names it once and for all: the ledger refuses a key it has seen.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.history.confirmation import confirm_request_lines
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Person, RowState, Snapshot
from mutualplan.plan.reminders.digest import WEEK_DAYS, days_text, digest_lines, unconfirmed_in
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.text import plural
from mutualplan.plan.sheet.vocabulary import Status

OVERDUE_EVERY_DAYS = 3
OWNER_OVERDUE_TIMES = 3


OUTSIDE = (
    "an outside address (neither the customer's nor the vendor's domain): add them to the Stakeholders tab "
    "to remind them"
)


class LedgerState(StrEnum):
    """Where a reminder stands in the ledger: claimed before it is sent, then sent, or never known."""

    CLAIMED = "claimed"
    SENT = "sent"
    UNKNOWN = "unknown"


LEDGER_SAYS: dict[str, str] = {
    LedgerState.SENT: "already sent",
    LedgerState.CLAIMED: "in flight: another run claimed it and has not yet said it was sent",
    LedgerState.UNKNOWN: "unknown: a run stopped between claiming and sending it, so it is never sent again",
}


class ReminderKind(StrEnum):
    """The kinds of reminder."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    CONFIRM_REQUEST = "confirm_request"
    VERIFY_REQUEST = "verify_request"
    DIGEST = "digest"
    CONFIRMATION_VOIDED = "confirmation_voided"
    LINK = "link"  # a customer person's own link, sent on the seller's click or the plan link's form
    PIPELINE = "pipeline"  # a viewer's weekly manager digest: their pipeline's week (app.pipeline_weekly)

    @property
    def carries_link(self) -> bool:
        """Whether the message exists to carry the recipient's own confirmation link."""
        return self in (
            ReminderKind.CONFIRM_REQUEST, ReminderKind.VERIFY_REQUEST, ReminderKind.CONFIRMATION_VOIDED,
            ReminderKind.LINK,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a reminder goes to."""

    email: str  # in lower case: addresses that differ only in case are one person
    name: str = ""
    customer: bool = False  # on the customer's side: the message carries their own confirmation link


@dataclass(frozen=True, slots=True)
class Reminder:
    """One message to one person, with the words it carries."""

    kind: ReminderKind
    plan_id: str
    to: Recipient
    subject: str
    lines: tuple[str, ...]
    row: str | None = None
    due: date | None = None
    period: str = ""  # what makes it once: the due date's kind, the overdue round, the ISO week
    parts: tuple[Reminder, ...] = ()  # a day's message (plan.bundles): the reminders it carries

    @property
    def key(self) -> str:
        """The reminder's identity in the ledger; a day's message is once a plan, person and day."""
        due = self.due.isoformat() if self.due else "-"
        if self.parts:
            return f"{self.plan_id}|{self.to.email}|{due}|{self.period}"
        return f"{self.plan_id}|{self.row or '-'}|{self.kind.value}|{self.to.email}|{due}|{self.period}"

    @property
    def carried(self) -> tuple[Reminder, ...]:
        """The reminders this message carries: its parts, or itself."""
        return self.parts or (self,)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A reminder that is not sent, and why."""

    kind: ReminderKind
    to: str
    row: str | None
    why: str


@dataclass(frozen=True, slots=True)
class PlanToRemind:
    """What the planner needs of a plan: its last snapshot, settings, seller, and slips so far."""

    plan_id: str
    title: str
    seller: str
    snapshot: Snapshot
    settings: ReminderSettings
    slips: tuple[Slip, ...] = ()

    @property
    def seller_name(self) -> str:
        """The seller's name as the plan gives it ("" when it does not): the greeting and the From name."""
        return self.snapshot.name_of(self.seller)


def plan_reminders(
    plan: PlanToRemind, today: date, claimed: Mapping[str, str], unsubscribed: Container[str]
) -> tuple[list[Reminder], list[Skipped]]:
    """Today's reminders for a plan ("today" in the spreadsheet's time zone), and those not sent, with why."""
    candidates = [
        *_row_reminders(plan, today), *_verify_requests(plan), *_voided_notices(plan),
        *_weekly_reminders(plan, today, claimed),
    ]  # fmt: skip
    sent, skipped, seen = [], [], set()
    may_mail = plan.snapshot.may_mail(plan.seller)
    for item in candidates:
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        key = item.key
        if key in seen:
            continue  # one person owning a row twice, or in two columns
        if item.to.email in unsubscribed:
            skipped.append(Skipped(item.kind, item.to.email, item.row, "unsubscribed"))
        elif not may_mail(item.to.email):
            skipped.append(Skipped(item.kind, item.to.email, item.row, OUTSIDE))
        elif key in claimed:
            said = LEDGER_SAYS.get(claimed[key], LEDGER_SAYS[LedgerState.SENT])
            skipped.append(Skipped(item.kind, item.to.email, item.row, said))
        else:
            seen.add(key)
            sent.append(item)
    return sent, skipped


def _row_reminders(plan: PlanToRemind, today: date) -> Iterator[Reminder | Skipped]:
    if not plan.settings.owners:
        return
    for row in plan.snapshot.rows:
        if row.due is None or row.status == Status.DONE.value:
            continue
        days = (row.due - today).days
        if 0 < days <= plan.settings.days_ahead:
            yield from _to_owners(plan, row, ReminderKind.UPCOMING, "upcoming", f"due in {days_text(days)}")
        elif days == 0:
            yield from _to_owners(plan, row, ReminderKind.DUE, "due", "due today")
        elif days < 0:
            late = -days
            round_ = (late - 1) // OVERDUE_EVERY_DAYS + 1
            what = f"overdue by {days_text(late)}"
            if round_ <= OWNER_OVERDUE_TIMES:
                yield from _to_owners(plan, row, ReminderKind.OVERDUE, f"overdue-{round_}", what)
            else:
                seller = Recipient(plan.seller.casefold(), plan.seller_name)
                yield _row_message(plan, row, ReminderKind.OVERDUE, f"overdue-{round_}", what, seller)


def _to_owners(
    plan: PlanToRemind, row: RowState, kind: ReminderKind, period: str, what: str
) -> Iterator[Reminder | Skipped]:
    for owner in row.owners:
        if not owner.is_person:
            yield Skipped(kind, owner.name, row.id, "not a person: name someone in the plan")
        elif not owner.email or not _is_address(owner.email):
            yield Skipped(kind, owner.name, row.id, "no email address for this owner in the plan")
        elif owner.side is Side.CUSTOMER and not row.verified:
            why = "a customer-side owner who has not verifiably confirmed these dates"
            yield Skipped(kind, owner.email.casefold(), row.id, why)
        elif owner.side is Side.UNKNOWN:
            yield Skipped(kind, owner.email.casefold(), row.id, "not known to be on either side")
        else:
            to = Recipient(owner.email.casefold(), owner.name, owner.side is Side.CUSTOMER)
            yield _row_message(plan, row, kind, period, what, to)


def _row_message(
    plan: PlanToRemind, row: RowState, kind: ReminderKind, period: str, what: str, to: Recipient
) -> Reminder:
    assert row.due is not None
    lines = [f"“{row.step}” ({row.id}, row {row.sheet_row} of the plan) is {what}: {format_day(row.due)}."]
    if row.evidence:
        lines.append(f"Exit evidence: {row.evidence}.")
    if kind is ReminderKind.OVERDUE:
        lines.append("It is not Done: agree a new date with the customer — don't roll it silently.")
    else:
        lines.append("When it is done, record the exit evidence and set Status to Done in the plan.")
    subject = f"{plan.title}: {what} — {row.step}"
    return Reminder(kind, plan.plan_id, to, subject, tuple(lines), row.id, row.due, period)


def _week(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def confirm_request(plan: PlanToRemind, today: date) -> Reminder | Skipped | None:
    """This week's request to the champion to confirm the next 30 days' unconfirmed dates (None when
    every one is confirmed). The weekly run and the sidebar's Send share it, and so its key."""
    unconfirmed = unconfirmed_in(plan.snapshot, today)
    if not unconfirmed:
        return None
    champion = plan.snapshot.champion
    if champion is None or not champion.email:
        why = "no champion with an email on the Stakeholders tab"
        return Skipped(ReminderKind.CONFIRM_REQUEST, "", None, why)
    lines = confirm_request_lines([(row.due, row.step) for row in unconfirmed if row.due])
    subject = f"{plan.title}: {plural(len(unconfirmed), 'date')} to confirm"
    return Reminder(
        ReminderKind.CONFIRM_REQUEST, plan.plan_id, _recipient(champion), subject, lines, period=_week(today)
    )


def _verify_requests(plan: PlanToRemind) -> Iterator[Reminder | Skipped]:
    """One message to each customer person the sheet claims confirmed open dates, asking them to verify;
    its key is the set of claims, so the same claims are asked about once (the weekly request asks again)."""
    claims: dict[str, list[RowState]] = {}
    names: dict[str, str] = {}
    for row in plan.snapshot.rows:
        record = row.confirmation
        if record is None or record.verified or row.status == Status.DONE.value or not row.due:
            continue
        if (record.start, record.due) != (row.start, row.due):
            continue
        if not record.email or not _is_address(record.email):
            yield Skipped(
                ReminderKind.VERIFY_REQUEST, record.by, row.id, "the claimed confirmer has no email"
            )
            continue
        claims.setdefault(record.email.casefold(), []).append(row)
        names[record.email.casefold()] = name_of(record.by, record.email)
    for email, rows in sorted(claims.items()):
        listed = [f"• {row.id} {row.step}, due {format_day(row.due)}" for row in rows if row.due]
        lines = (
            "The plan shows you confirmed these dates:",
            "",
            *listed,
            "",
            "Confirm them, or propose other dates, from your personal confirmation link.",
        )
        period = "claims-" + hashlib.sha256("|".join(sorted(listed)).encode()).hexdigest()[:16]
        subject = f"{plan.title}: did you confirm {plural(len(rows), 'date')}?"
        to = Recipient(email, names[email], customer=True)
        yield Reminder(ReminderKind.VERIFY_REQUEST, plan.plan_id, to, subject, lines, period=period)


def _voided_notices(plan: PlanToRemind) -> Iterator[Reminder | Skipped]:
    """Once to each customer person whose confirmation a date move voided: what they confirmed, what
    it became, who moved it, and their link to confirm again (the key holds the new dates: once a move)."""
    for row in plan.snapshot.rows:
        gone = row.voided
        if gone is None or row.status == Status.DONE.value:
            continue
        if not gone.email or not _is_address(gone.email):
            yield Skipped(ReminderKind.CONFIRMATION_VOIDED, gone.by, row.id, "the confirmer has no email")
            continue
        lines = (
            f"You confirmed {gone.old_dates} for {row.id} “{row.step}”.",
            f"They were moved to {gone.new_dates} by {gone.mover}, so your confirmation no longer holds.",
            "",
            "Confirm the new dates, or propose others, from your personal confirmation link.",
        )
        subject = f"{plan.title}: the dates you confirmed for “{row.step}” moved"
        to = Recipient(gone.email.casefold(), name_of(gone.by, gone.email), customer=True)
        period = f"voided-{gone.new}"
        yield Reminder(
            ReminderKind.CONFIRMATION_VOIDED, plan.plan_id, to, subject, lines, row.id, row.due, period
        )


def _weekly_reminders(
    plan: PlanToRemind, today: date, claimed: Mapping[str, str]
) -> Iterator[Reminder | Skipped]:
    champion = plan.snapshot.champion
    if plan.settings.champion:
        asked = confirm_request(plan, today)
        if asked is not None:
            yield asked
    if plan.settings.digest:
        unconfirmed = unconfirmed_in(plan.snapshot, today)
        subject = f"{plan.title}: the week's countdown"
        recipients = [Recipient(plan.seller.casefold(), plan.seller_name)] + (
            [_recipient(champion)] if champion and champion.email else []
        )
        for to in recipients:
            if _countdown_within_a_week(claimed, plan.plan_id, to.email, today):
                yield Skipped(ReminderKind.DIGEST, to.email, None, LEDGER_SAYS[LedgerState.SENT])
                continue
            reader = to.email if to.customer else ""  # a buyer reads their own steps, no seller figures
            lines = tuple(digest_lines(plan, today, unconfirmed, reader))
            yield Reminder(ReminderKind.DIGEST, plan.plan_id, to, subject, lines, period=today.isoformat())


def _countdown_within_a_week(claimed: Mapping[str, str], plan_id: str, email: str, today: date) -> bool:
    """Whether this person's last countdown went out less than seven days ago: one a week, whatever day
    the daily job first ran, and whatever the clock did since (a day key, or an ISO week's Monday)."""
    prefix = f"{plan_id}|-|{ReminderKind.DIGEST.value}|{email}|-|"
    for key in claimed:
        if key.startswith(prefix):
            sent = _period_day(key.removeprefix(prefix))
            if sent is not None and 0 <= (today - sent).days < WEEK_DAYS:
                return True
    return False


def _period_day(period: str) -> date | None:
    try:
        if "-W" in period:
            year, week = period.split("-W")
            return date.fromisocalendar(int(year), int(week), 1)
        return date.fromisoformat(period)
    except ValueError:
        return None


def name_of(by: str, email: str) -> str:
    """A person's name from "Name <email>"; "" when the log knows only their address."""
    name = by.partition(" <")[0].strip()
    return "" if "@" in name or name.casefold() == email.casefold() else name


def _recipient(person: Person) -> Recipient:
    return Recipient((person.email or "").casefold(), person.name, person.side is Side.CUSTOMER)


_NOT_IN_ADDRESS = re.compile(r"[\s<>,;]")


def _is_address(text: str) -> bool:
    local, at, domain = text.rpartition("@")
    return bool(at and local and "." in domain and not _NOT_IN_ADDRESS.search(text))
