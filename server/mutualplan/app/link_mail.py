"""A customer person's own confirmation link travels only to their inbox: the seller's Send (and
Reissue), the CLI, and the plan link's form all mail it, through the reminder ledger; nothing shows it.
The one exception is an operator's, named as such, refused for the plan's seller, written to the audit
log — and a confirmation through a link that was shown counts only as a claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mutualplan.app.confirming import confirmation_link, plan_of, reissue_links, snapshot_of
from mutualplan.app.links import CONFIRM_DAYS
from mutualplan.app.remind import reminding, title_of
from mutualplan.app.services import Services
from mutualplan.app.syncing import sync_now
from mutualplan.errors import InputError, LinkRefusedError
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.people.confirmers import address_key
from mutualplan.plan.reminders.notices import link_sent
from mutualplan.plan.reminders.planner import Recipient, ReminderKind

RESEND_AFTER = timedelta(hours=1)  # a person is mailed their link at most once an hour
PLAN_LINK_SENDS_PER_HOUR = 20  # the plan link's form mails at most this many links an hour, per plan


@dataclass(frozen=True, slots=True)
class LinkSent:
    """Where a link went, until when it works, or why it did not go."""

    name: str
    email: str
    expires: datetime
    why_not: str | None = None  # None: sent

    @property
    def said(self) -> str:
        """What happened, in a sentence for the person who asked."""
        if self.why_not is None:
            return f"Sent {self.name} their own link ({self.email}); it works until {self.expires:%d %b %Y}"
        return f"{self.name}'s link was not sent: {self.why_not}"


def send_link(services: Services, plan_id: str, email: str, reissued: int | None = None) -> LinkSent:
    """Mail a customer person their own link now, once an hour at most (a reissue's fresh link goes once
    per reissue, whenever it is)."""
    record = plan_of(services, plan_id)
    snapshot = snapshot_of(services, record)
    key = address_key(email)
    name = _confirming_person(snapshot, key)
    now = services.now()
    expires = now + timedelta(days=CONFIRM_DAYS)
    shown = name or key
    if reissued is None:
        if services.store.plan_mail_since(record.id, ReminderKind.LINK.value, now - RESEND_AFTER, key):
            return LinkSent(shown, key, expires, "they were sent it less than an hour ago")
        period = f"hour-{now:%Y-%m-%dT%H}"  # with the check above: once an hour, even for two clicks at once
    else:
        period = f"reissue-{reissued}"
    reminder = link_sent(record.id, title_of(snapshot, record), Recipient(key, name, customer=True), period)
    sent = reminding(services).send(record, reminder, sender_name=snapshot.name_of(record.owner))
    return LinkSent(shown, key, expires, sent)


def reissue_and_send(services: Services, plan_id: str, email: str) -> LinkSent:
    """Revoke every link a person holds for the plan (a lost or forwarded one), then mail them a fresh one."""
    record = plan_of(services, plan_id)
    _confirming_person(snapshot_of(services, record), address_key(email))
    generation = reissue_links(services, record.id, email)
    return send_link(services, plan_id, email, reissued=generation)


def ask_for_link(services: Services, invite: str, email: str) -> None:
    """The plan link's form: mail a customer person their own link when the address typed is one. It
    says nothing either way, so the form tells nobody who is on the plan."""
    record = plan_of(services, services.links.invited_plan(invite))
    key = address_key(email)
    if "@" not in key or len(key) > 320:
        raise InputError("type your email address: your own link to the plan is mailed to it")
    if key not in snapshot_of(services, record).confirming_people():
        return
    since = services.now() - RESEND_AFTER
    if services.store.plan_mail_since(record.id, ReminderKind.LINK.value, since) >= PLAN_LINK_SENDS_PER_HOUR:
        return
    send_link(services, record.id, key)


def show_link(services: Services, plan_id: str, email: str, operator: str, days: int) -> tuple[str, datetime]:
    """An operator's look at a person's link (never the plan's seller's): written to the audit log, and
    marked so that a confirmation through it counts only as a claim."""
    record = plan_of(services, plan_id)
    who = address_key(operator)
    if "@" not in who:
        raise InputError("name yourself, the operator, by your email address (--operator)")
    if who == record.owner.casefold():
        raise LinkRefusedError(
            f"{operator} is the plan's seller, who never sees a customer's link: send it to them "
            f"instead (mutualplan confirm-link {plan_id} --for {email})"
        )
    url, expires = confirmation_link(services, plan_id, email, days, shown_to=who)
    noted = Event(EventKind.LINK_SHOWN, None, f"link {address_key(email)}", "", address_key(email), who)
    access = services.platform.plan_for_owner(record, None)
    sync_now(services, access.workbook, access.editors, record, noted=(noted,))
    return url, expires


def _confirming_person(snapshot: Snapshot, key: str) -> str:
    """The name of a customer person who may be sent their link; LinkRefusedError says why not."""
    name = snapshot.confirming_people().get(key)
    if name is None:
        why = snapshot.confirmers.why_not(key) or f"{key} is not one of the customer's people in this plan"
        raise LinkRefusedError(f"No confirmation link: {why}")
    return name
