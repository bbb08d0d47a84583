"""The reminder ledger (each reminder at most once) and unsubscribes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.app.records import PlanDay, ReminderClaim, Unfinished, UnknownReminder
from mutualplan.plan.reminders.planner import LedgerState
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import plan_unsubscribes, reminder_items, reminders, send_pace, unsubscribes

CLAIMED, SENT, UNKNOWN = LedgerState.CLAIMED.value, LedgerState.SENT.value, LedgerState.UNKNOWN.value


class LedgerTables(SqlBase):
    """The reminder ledger and unsubscribes."""

    def claim_reminder(self, claim: ReminderClaim) -> bool:
        """Claim a message before sending it, with every reminder it carries, at once: False when its key,
        or one it carries, is taken (sent, or being sent)."""
        values = {**asdict(claim), "claimed_at": claim.at, "state": CLAIMED}
        del values["at"], values["covers"]
        carried = [{"key": key, "message": claim.key, "plan_id": claim.plan_id} for key in claim.covers]
        try:
            with self._transaction() as db:
                db.execute(insert(reminders).values(**values))
                if carried:
                    db.execute(insert(reminder_items), carried)
        except IntegrityError:
            return False
        return True

    def mail_since(self, since: Mapping[str, datetime]) -> dict[str, PlanDay]:
        """What each plan has mailed since its own moment (the start of its local day): its messages, and
        their recipients, in one query for a bounded set of plans."""
        if not since:
            return {}
        mailed = (reminders.c.claimed_at >= min(since.values())) & reminders.c.plan_id.in_(list(since))
        found: dict[str, list[str]] = {}
        with self.engine.connect() as db:
            for plan_id, recipient, claimed_at in db.execute(
                select(reminders.c.plan_id, reminders.c.recipient, reminders.c.claimed_at).where(mailed)
            ):
                if utc(claimed_at) >= since[plan_id]:
                    found.setdefault(plan_id, []).append(recipient)
        return {plan_id: PlanDay(len(sent), frozenset(sent)) for plan_id, sent in found.items()}

    def reserve_send(self, sender: str, now: datetime, gap: timedelta) -> datetime:
        """When a sender's next send may begin, taken for it: now, or gap after the last one reserved, so
        that every run sending as one person, however many at once, keeps to one pace together."""
        sender = sender.casefold()
        with self._transaction() as db:
            db.execute(self._insert_new(send_pace).values(sender=sender, next_at=now))
            mine = send_pace.c.sender == sender
            slot = max(
                utc(db.execute(select(send_pace.c.next_at).where(mine).with_for_update()).scalar_one()), now
            )
            db.execute(update(send_pace).where(mine).values(next_at=slot + gap))
        return slot

    def finish_reminder(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed reminder sent; None gives the claim back (the send surely failed)."""
        with self._transaction() as db:
            if sent_at is None:
                mine = (reminders.c.key == key) & (reminders.c.state == CLAIMED)
                if db.execute(select(reminders.c.key).where(mine)).first():
                    db.execute(delete(reminder_items).where(reminder_items.c.message == key))
                    db.execute(delete(reminders).where(mine))
            else:
                db.execute(
                    update(reminders).where(reminders.c.key == key).values(state=SENT, sent_at=sent_at)
                )

    def start_sending(self, key: str, at: datetime) -> None:
        """Note that a claimed message's send begins: from now on, whether it went out may be unknown."""
        with self._transaction() as db:
            db.execute(update(reminders).where(reminders.c.key == key).values(sending_at=at))

    def resolve_unfinished(self, claimed_before: datetime, sender: str | None = None) -> Unfinished:
        """Settle the claims a killed run left (claimed before a moment, by one sender or any): a claim whose
        send never began is given back, to be sent again; one whose send began becomes unknown, never sent
        again by itself (with gmail.send alone, the owner's Sent folder cannot be read)."""
        stale = (reminders.c.state == CLAIMED) & (reminders.c.claimed_at < claimed_before)
        if sender is not None:
            stale &= reminders.c.sender == sender.casefold()
        with self._transaction() as db:
            found = db.execute(select(reminders.c.key, reminders.c.sending_at).where(stale)).all()
            released = [key for key, sending_at in found if sending_at is None]
            unknown = [key for key, sending_at in found if sending_at is not None]
            if released:
                db.execute(delete(reminder_items).where(reminder_items.c.message.in_(released)))
                db.execute(delete(reminders).where(reminders.c.key.in_(released)))
            if unknown:
                db.execute(update(reminders).where(reminders.c.key.in_(unknown)).values(state=UNKNOWN))
        return Unfinished(released, unknown)

    def unfinished_since(self, sender: str, since: datetime) -> datetime | None:
        """When the oldest claim of a sender still unfinished was made (since a moment); None: none is."""
        mine = (reminders.c.sender == sender.casefold()) & (reminders.c.claimed_at >= since)
        with self.engine.connect() as db:
            oldest = db.execute(
                select(func.min(reminders.c.claimed_at)).where(mine, reminders.c.state == CLAIMED)
            ).scalar_one()
        return utc(oldest) if oldest is not None else None

    def unknown_reminders(self, plan_id: str, since: datetime) -> list[UnknownReminder]:
        """A plan's messages whose send began but was never known to end, newest first."""
        mine = (reminders.c.plan_id == plan_id) & (reminders.c.state == UNKNOWN)
        query = select(reminders.c.recipient, reminders.c.kind, reminders.c.claimed_at).where(
            mine, reminders.c.claimed_at >= since
        )
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(reminders.c.claimed_at.desc())).all()
        return [UnknownReminder(recipient, kind, utc(at)) for recipient, kind, at in rows]

    def sent_since(self, sender: str, since: datetime) -> int:
        """How many reminders a sender claimed since a moment (the daily cap counts these)."""
        with self.engine.connect() as db:
            counted = select(func.count()).where(
                reminders.c.sender == sender.casefold(), reminders.c.claimed_at >= since
            )
            return int(db.execute(counted).scalar_one())

    def plan_mail_since(self, plan_id: str, kind: str, since: datetime, recipient: str = "") -> int:
        """How many messages of a kind one plan claimed since a moment (to one recipient, if named)."""
        where = [reminders.c.plan_id == plan_id, reminders.c.kind == kind, reminders.c.claimed_at >= since]
        if recipient:
            where.append(reminders.c.recipient == recipient.casefold())
        with self.engine.connect() as db:
            return int(db.execute(select(func.count()).where(*where)).scalar_one())

    def unsubscribe(self, email: str, at: datetime, plan_id: str = "") -> None:
        """Mail nobody at this address again about one plan, or (no plan) about any."""
        row = {"email": email.casefold(), "at": at}
        try:
            with self._transaction() as db:
                if plan_id:
                    db.execute(insert(plan_unsubscribes).values(**row, plan_id=plan_id))
                else:
                    db.execute(insert(unsubscribes).values(**row))
        except IntegrityError:
            pass  # unsubscribed already

    def unsubscribed(self) -> set[str]:
        """Every address that stopped every plan's reminders, in lower case."""
        with self.engine.connect() as db:
            return set(db.execute(select(unsubscribes.c.email)).scalars())

    def unsubscribed_by_plan(self, plan_ids: Collection[str] | None = None) -> dict[str, set[str]]:
        """Each plan's (or each named plan's) addresses that stopped its reminders, in lower case."""
        found: dict[str, set[str]] = {}
        query = select(plan_unsubscribes.c.email, plan_unsubscribes.c.plan_id)
        if plan_ids is not None:
            query = query.where(plan_unsubscribes.c.plan_id.in_(list(plan_ids)))
        with self.engine.connect() as db:
            for email, plan_id in db.execute(query):
                found.setdefault(plan_id, set()).add(email)
        return found
