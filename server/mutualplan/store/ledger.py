"""The reminder ledger (each reminder at most once) and unsubscribes."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.app.records import PlanDay, ReminderClaim
from mutualplan.plan.reminders import LedgerState
from mutualplan.store.base import SqlBase
from mutualplan.store.schema import plan_unsubscribes, reminder_items, reminders, unsubscribes

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

    def mail_since(self, since: datetime, plan_id: str | None = None) -> dict[str, PlanDay]:
        """What each plan (or one) has mailed since a moment: its messages, and their recipients, in one
        query whatever the number of plans."""
        mailed = reminders.c.claimed_at >= since
        if plan_id is not None:
            mailed &= reminders.c.plan_id == plan_id
        found: dict[str, list[str]] = {}
        with self.engine.connect() as db:
            for owner, recipient in db.execute(
                select(reminders.c.plan_id, reminders.c.recipient).where(mailed)
            ):
                found.setdefault(owner, []).append(recipient)
        return {owner: PlanDay(len(sent), frozenset(sent)) for owner, sent in found.items()}

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

    def mark_unfinished(self, claimed_before: datetime) -> list[str]:
        """Claims left unfinished (a crash between claim and send) become unknown: never sent again."""
        with self._transaction() as db:
            stale = (reminders.c.state == CLAIMED) & (reminders.c.claimed_at < claimed_before)
            keys = list(db.execute(select(reminders.c.key).where(stale)).scalars())
            db.execute(update(reminders).where(stale).values(state=UNKNOWN))
        return keys

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

    def unsubscribed_by_plan(self) -> dict[str, set[str]]:
        """Each plan's addresses that stopped its reminders, in lower case."""
        found: dict[str, set[str]] = {}
        with self.engine.connect() as db:
            for email, plan_id in db.execute(select(plan_unsubscribes.c.email, plan_unsubscribes.c.plan_id)):
                found.setdefault(plan_id, set()).add(email)
        return found
