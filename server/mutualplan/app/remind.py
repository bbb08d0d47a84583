"""The remind use case: plan each plan's reminders over its stored snapshot and send each at most once.

A reminder is claimed in the ledger before it is sent and marked sent after. A claim a crash left
unfinished becomes "unknown" and is never sent again by itself. A failure that surely sent nothing
gives the claim back; one that may have sent (no answer) keeps it. A sender over the daily cap, or
whose grant or permission is gone, is stopped for the run (and the account flagged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from mutualplan.app.confirming import confirmation_link
from mutualplan.app.days import day_began, local_day
from mutualplan.app.failures import REMIND, plan_failed
from mutualplan.app.mail import address, compose
from mutualplan.app.picture import compact_png
from mutualplan.app.pipeline import keep_week_scores
from mutualplan.app.ports import Mailer
from mutualplan.app.records import AccountStatus, PlanDay, PlanInputs, PlanRecord, ReminderClaim
from mutualplan.app.services import Services
from mutualplan.app.store_ports import Fleet, Store
from mutualplan.app.timeline import Timeline
from mutualplan.errors import GoogleApiError, GrantRevokedError, InputError, LinkRefusedError
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.bundles import bundle
from mutualplan.plan.reminders.planner import PlanToRemind, Reminder, ReminderKind, plan_reminders
from mutualplan.plan.sheet.vocabulary import HeadField

MIN_PLAN_RECIPIENTS = 10  # a plan's recipients a day, whatever its Stakeholders tab lists
RECIPIENTS_SETTING = "MUTUALPLAN_PLAN_RECIPIENTS_PER_DAY"
DAILY_CAP = 1500  # Gmail allows a Workspace user 2,000 a day (rolling 24 h); keep room for their own mail
UNFINISHED_AFTER = timedelta(minutes=2)  # a claim older than this, unfinished, was left by a killed run
# (no request outlives gunicorn's 60 s timeout; a task stops itself at about 20 s)
OWNERS_A_PAGE = 200  # owners one query lists, going over every plan
INPUTS_AT_ONCE = 500  # plans whose inputs one bulk load asks for: a bounded IN list, memory flat
STOPPING_REASONS = frozenset({"insufficientPermissions", "forbidden", "domainPolicy"})


@dataclass
class RemindReport:
    """What a run sent, what it did not and why, and the claims a crash left unknown."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # claims a killed run left, whose send had begun
    released: list[str] = field(default_factory=list)  # claims a killed run left before any send: sent now
    dry_run: bool = False
    cut_off: bool = False  # the run stopped at its deadline: a continuation does the rest
    done_through: str = ""  # the last plan whose reminders were all done (plans go in id order)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (plan id, what it said): app.failures
    passing: bool = False  # a plan's failure may pass (a store that could not be reached): worth a retry

    @property
    def messages(self) -> int:
        """How many messages went (a day's message may carry several reminders)."""
        return len({item["message"] for item in self.sent})

    def as_json(self) -> dict[str, Any]:
        """The report as `mutualplan remind --json` prints it."""
        return {"sent": self.sent, "skipped": self.skipped, "unknown": self.unknown, "dry_run": self.dry_run}


@dataclass
class Remind:
    """One run of reminders over the store's plans."""

    store: Store
    mailer_for: Callable[[str], Mailer]  # a sender (the plan's owner) → how to send as them
    unsubscribe_url: Callable[[str, str], str]  # (recipient, plan) → their one-click unsubscribe link
    now: datetime
    daily_cap: int = DAILY_CAP
    dry_run: bool = False
    confirm_link: Callable[[str, str], str] | None = None  # (plan, recipient) → their confirmation link
    plan_url: Callable[[PlanRecord], str] | None = None  # where the plan's spreadsheet opens
    plan_recipients: int = 0  # the most people one plan mails a day (0: twice its Stakeholders, at least 10)
    owner: str | None = None  # whose claims a killed run left this run settles (None: everyone's)
    moving_clock: Callable[[], datetime] | None = None  # the time as the run goes on (deadline, pacing)
    stop_at: datetime | None = None  # when to stop and leave the rest to a continuation
    mail_gap: timedelta = timedelta()  # the least time between two sends as one sender
    pause: Callable[[float], None] = lambda seconds: None  # wait (the pacing of mail_gap)
    report: RemindReport = field(default_factory=RemindReport)
    _stopped: dict[str, str] = field(default_factory=dict)  # sender → why
    _sent_today: dict[str, int] = field(default_factory=dict)  # sender → messages in the last 24 h

    def run(
        self, plans: Iterable[PlanRecord], today: date | None = None, done: Callable[[], None] = lambda: None
    ) -> RemindReport:
        """Plan and send today's reminders for each plan ("today" in each spreadsheet's time zone), in
        plan id order, until stop_at; done is called after each plan (a progress bar)."""
        self.report.dry_run = self.dry_run
        if not self.dry_run:
            unfinished = self.store.resolve_unfinished(self.clock() - UNFINISHED_AFTER, self.owner)
            self.report.unknown, self.report.released = unfinished.unknown, unfinished.released
        records = {record.id: record for record in sorted(plans, key=lambda record: record.id)}
        everywhere, by_plan = self.store.unsubscribed(), self.store.unsubscribed_by_plan(records)
        plans_of = Counter(record.owner.casefold() for record in records.values())
        days = {
            plan_id: today or local_day(self.now, record.time_zone) for plan_id, record in records.items()
        }
        mailed_today = self._mailed_today(records, days)
        reminded: list[str] = []  # the plans done without a failure: any failure of theirs is mended
        try:
            for plan_id, found in self._inputs(records, days):
                if self._out_of_time():
                    return self.report
                record = records[plan_id]
                unsubscribed = Unsubscribed(everywhere, by_plan.get(plan_id, set()))
                share = max(1, self.daily_cap // plans_of[record.owner.casefold()])
                try:
                    if not self._remind_plan(record, found, days[plan_id], unsubscribed, share, mailed_today):
                        return self.report
                except Exception as exc:  # one plan's failure is that plan's alone (app.failures)
                    plan_failed(
                        self.store, record, REMIND, exc, self.clock(), self.report, keep=not self.dry_run
                    )
                else:
                    reminded.append(plan_id)
                self.report.done_through = plan_id
                done()
        finally:
            if not self.dry_run:
                self.store.clear_failures(reminded, REMIND)
        return self.report

    def _remind_plan(
        self,
        record: PlanRecord,
        found: PlanInputs,
        day: date,
        unsubscribed: Unsubscribed,
        share: int,
        mailed_today: Mapping[str, PlanDay],
    ) -> bool:
        """Plan one plan's reminders and send them; False when the run ran out of time part-way."""
        title = title_of(found.snapshot, record)
        plan = PlanToRemind(record.id, title, record.owner, found.snapshot, found.settings, found.slips)
        reminders, skipped = plan_reminders(plan, day, found.claimed, unsubscribed)
        self.report.skipped += [
            {"kind": item.kind.value, "to": item.to, "row": item.row, "plan": record.id, "why": item.why}
            for item in skipped
        ]
        picture = Picture(Timeline(found.snapshot, day, found.slips))
        so_far = mailed_today.get(record.id, PlanDay())
        for message in self._within_limits(record, found, bundle(reminders, day, title), share, so_far):
            if self._out_of_time():
                return False
            digest = any(item.kind is ReminderKind.DIGEST for item in message.carried)
            self.send(record, message, picture if digest else None, plan.seller_name)
        return True

    def _out_of_time(self) -> bool:
        """Whether the run must stop here and leave the rest to its continuation (said in the report)."""
        self.report.cut_off = self.stop_at is not None and self.clock() >= self.stop_at
        return self.report.cut_off

    def clock(self) -> datetime:
        """The time now: the run's moving clock, else the moment it was started for."""
        return self.moving_clock() if self.moving_clock is not None else self.now

    def _mailed_today(self, records: dict[str, PlanRecord], days: dict[str, date]) -> dict[str, PlanDay]:
        """What each plan has mailed on its local day so far (its limits are a day's, in its own zone)."""
        ids, mailed = list(records), dict[str, PlanDay]()
        for start in range(0, len(ids), INPUTS_AT_ONCE):
            chunk = ids[start : start + INPUTS_AT_ONCE]
            mailed |= self.store.mail_since(
                {id_: day_began(days[id_], records[id_].time_zone) for id_ in chunk}
            )
        return mailed

    def _inputs(
        self, records: dict[str, PlanRecord], days: Mapping[str, date]
    ) -> Iterator[tuple[str, PlanInputs]]:
        """The plans' inputs, in plan id order, a bounded number loaded at once; each chunk's plans
        first keep their week's score, where it is not kept yet (the pipeline's weekly score)."""
        ids = list(records)
        for start in range(0, len(ids), INPUTS_AT_ONCE):
            found = dict(self.store.plan_inputs(ids[start : start + INPUTS_AT_ONCE]))
            if not self.dry_run:
                keep_week_scores(self.store, found, days, self.clock())
            yield from sorted(found.items())

    def _within_limits(
        self, record: PlanRecord, found: PlanInputs, messages: list[Reminder], share: int, so_far: PlanDay
    ) -> list[Reminder]:
        """The day's messages a plan may send: one a person a day; at most its recipients a day; and no
        more than its share of the owner's daily cap, so that one plan never starves the owner's others.
        The seller's own message goes first, then the customer's people."""
        if not messages:
            return []
        most = self.plan_recipients or max(MIN_PLAN_RECIPIENTS, 2 * len(found.snapshot.listed))
        mailed, count, kept, over = set(so_far.recipients), so_far.messages, [], Counter[str]()
        seller = record.owner.casefold()
        for message in sorted(messages, key=lambda item: (item.to.email != seller, not item.to.customer)):
            if message.key in found.claimed:
                self._skip(message, "today's one message to them went already: this waits for tomorrow")
            elif message.to.email not in mailed and len(mailed) >= most:
                why = f"over this plan's {most} recipients a day ({RECIPIENTS_SETTING})"
                over[self._skip(message, why)] += 1
            elif count >= share < self.daily_cap:  # one plan alone is held by the daily cap itself
                why = f"over this plan's share of {seller}'s daily cap ({share} messages a day)"
                over[self._skip(message, why)] += 1
            else:
                mailed.add(message.to.email)
                count += 1
                kept.append(message)
        return [told_of(message, over) if message.to.email == seller else message for message in kept]

    def _skip(self, reminder: Reminder, why: str) -> str:
        self.report.skipped += [{**_summary(item, reminder), "why": why} for item in reminder.carried]
        return why

    def send(
        self, record: PlanRecord, reminder: Reminder, picture: Picture | None = None, sender_name: str = ""
    ) -> str | None:
        """Send one reminder as the plan's owner (by name, when the plan gives one), at most once, with the
        plan's timeline if given: None when it went, else why not (the report says it too)."""
        sender = record.owner.casefold()
        if not sender:
            return self._skip(
                reminder,
                f"plan {record.id} has no owner to send from — stamp plans with --owner YOU@COMPANY "
                "(a plan's owner sends its reminders)",
            )
        if sender in self._stopped:
            return self._skip(reminder, self._stopped[sender])
        if sender not in self._sent_today:  # counted once a run, then kept up to date here
            self._sent_today[sender] = self.store.sent_since(sender, self.now - timedelta(days=1))
        if self._sent_today[sender] >= self.daily_cap:
            self._stopped[sender] = f"{sender} reached the daily cap of {self.daily_cap} messages"
            return self._skip(reminder, self._stopped[sender])
        try:
            if self.dry_run:  # the addresses are all a dry run needs to check
                address(sender)
                address(reminder.to.email, reminder.to.name)
                self.report.sent += [_summary(item, reminder) for item in reminder.carried]
                return None
            link = ""
            if (reminder.kind.carries_link or reminder.to.customer) and self.confirm_link is not None:
                link = self._link(record, reminder)
            stop = self.unsubscribe_url(reminder.to.email, record.id)
            where = self.plan_url(record) if self.plan_url is not None else ""
            shown = picture.png if picture else None
            message = compose(reminder, sender, sender_name, stop, link, shown, where)
        except InputError as exc:
            return self._skip(reminder, str(exc))
        covers = tuple(item.key for item in reminder.parts)
        self._keep_pace(sender)
        claim = ReminderClaim(
            reminder.key, record.id, reminder.kind.value, reminder.to.email, sender, self.clock(), covers
        )
        if not self.store.claim_reminder(claim):
            return self._skip(reminder, "claimed by another run meanwhile (sent, or being sent)")
        self._sent_today[sender] += 1
        self.store.start_sending(reminder.key, self.clock())
        try:
            self.mailer_for(sender).send(message)
        except GoogleApiError as exc:
            return self._failed(reminder, sender, exc)
        self.store.finish_reminder(reminder.key, self.now)
        self.report.sent += [_summary(item, reminder) for item in reminder.carried]
        return None

    def _keep_pace(self, sender: str) -> None:
        """Wait for the sender's next slot, mail_gap after the last send any run reserved as them (Gmail's
        per-user rate holds for all of a person's runs together)."""
        if not self.mail_gap:
            return
        wait = (self.store.reserve_send(sender, self.clock(), self.mail_gap) - self.clock()).total_seconds()
        if wait > 0:
            self.pause(wait)

    def _link(self, record: PlanRecord, reminder: Reminder) -> str:
        """The recipient's own confirmation link; none for someone who may not confirm — a message that
        exists to carry one is then not sent (LinkRefusedError says why)."""
        assert self.confirm_link is not None
        try:
            return self.confirm_link(record.id, reminder.to.email)
        except LinkRefusedError:
            if reminder.kind.carries_link:
                raise
            return ""

    def _failed(self, reminder: Reminder, sender: str, exc: GoogleApiError) -> str:
        if exc.status == 0:  # no answer: it may have gone out, so it is never sent again by itself
            return self._skip(reminder, f"unknown: {exc} (kept as sent, never retried)")
        self.store.finish_reminder(reminder.key, None)  # Google answered no: nothing went out
        if isinstance(exc, GrantRevokedError) or exc.reason in STOPPING_REASONS:
            self._stopped[sender] = f"{sender} can't send: {exc}"
            self.store.set_account_status(sender, AccountStatus.RECONNECT, self.now)
            return self._skip(reminder, self._stopped[sender])
        return self._skip(reminder, str(exc))


@dataclass
class Picture:
    """A plan's timeline for its digests, drawn once a run and only if a message carries it."""

    timeline: Timeline
    _png: bytes | None = None

    @property
    def png(self) -> bytes:
        """The timeline, compact, as PNG."""
        if self._png is None:
            self._png = compact_png(self.timeline)
        return self._png


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    """The addresses one plan must not mail: those that stopped every plan, and those that stopped it."""

    everywhere: set[str]
    this_plan: set[str]

    def __contains__(self, email: object) -> bool:
        return email in self.everywhere or email in self.this_plan


def title_of(snapshot: Snapshot, record: PlanRecord) -> str:
    """How a plan is named in a subject: customer — deal, else the spreadsheet's title."""
    head = snapshot.head
    parts = [head.get(HeadField.CUSTOMER.value, ""), head.get(HeadField.DEAL.value, "")]
    return " — ".join(part for part in parts if part) or record.title


def told_of(message: Reminder, over: Counter[str]) -> Reminder:
    """The seller's message of the day, saying which people were not mailed, and why (none: as it is)."""
    if not over:
        return message
    said = [f"• {count} {'person' if count == 1 else 'people'}: {why}" for why, count in over.items()]
    lines = (*message.lines, "", "Not mailed today, over this plan's limits:", *said)
    return replace(message, lines=lines)


def _summary(reminder: Reminder, message: Reminder) -> dict[str, Any]:
    """One reminder as the report lists it, with the key of the message that carried it."""
    return {
        "kind": reminder.kind.value, "to": reminder.to.email, "subject": reminder.subject,
        "key": reminder.key, "row": reminder.row, "plan": reminder.plan_id, "message": message.key,
    }  # fmt: skip


def every_plan(store: Fleet) -> Iterator[PlanRecord]:
    """Every plan, owner by owner: a page of owners at a time, never the whole table at once."""
    after = ""
    while owners := store.owners(after, OWNERS_A_PAGE):
        for owner in owners:
            yield from store.plans_of(owner)
        after = owners[-1]


def plans_to_remind(store: Store, plan_id: str | None = None) -> Iterator[PlanRecord]:
    """Every plan, or one."""
    if plan_id is None:
        yield from every_plan(store)
        return
    record = store.plan(plan_id)
    if record is None:
        raise InputError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    yield record


def remind(
    services: Services,
    plans: Iterable[PlanRecord],
    today: date | None = None,
    dry_run: bool = False,
    done: Callable[[], None] = lambda: None,
) -> RemindReport:
    """Send today's reminders for the plans, each at most once, as each plan's owner."""
    return reminding(services, dry_run).run(plans, today, done)


def reminding(
    services: Services, dry_run: bool = False, owner: str | None = None, stop_at: datetime | None = None
) -> Remind:
    """A run of reminders as each plan's owner (settling one owner's unfinished claims, or everyone's), with
    each recipient's own links, at Gmail's pace, until stop_at."""
    return Remind(
        services.store,
        services.platform.mailer_for,
        services.links.unsubscribe,
        services.now(),
        dry_run=dry_run,
        confirm_link=lambda plan_id, email: confirmation_link(services, plan_id, email)[0],
        plan_url=services.links.spreadsheet,
        plan_recipients=services.config.plan_recipients_per_day,
        owner=owner,
        moving_clock=services.now,
        stop_at=stop_at,
        mail_gap=services.mail_gap,
        pause=services.pause,
    )
