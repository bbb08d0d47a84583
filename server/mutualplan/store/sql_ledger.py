"""The store's reminder ledger (each reminder at most once) and unsubscribes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.plan.events import Event, EventKind
from mutualplan.plan.history import Slip
from mutualplan.plan.snapshot import Snapshot
from mutualplan.ports import PlanInputs, ReminderClaim
from mutualplan.store.base import SqlBase
from mutualplan.store.schema import events, reminder_settings, reminders, snapshots, unsubscribes
from mutualplan.store.sql_accounts import settings_of

CLAIMED, SENT, UNKNOWN = "claimed", "sent", "unknown"


class LedgerTables(SqlBase):
    """The reminder ledger and unsubscribes."""

    def plan_inputs(self, plan_id: str | None = None) -> Iterator[tuple[str, PlanInputs]]:
        """What reminding needs, plan by plan (every synced plan, or one): four queries whatever their
        number, and the snapshots streamed, so that memory stays flat."""
        with self.engine.connect() as db:
            chosen = {row.plan_id: row for row in db.execute(_only(select(reminder_settings), plan_id))}
            claimed: dict[str, set[str]] = {}
            for owner, key in db.execute(_only(select(reminders.c.plan_id, reminders.c.key), plan_id)):
                claimed.setdefault(owner, set()).add(key)
            slips: dict[str, list[Slip]] = {}
            for owner, row_id, old, new in db.execute(_due_moves(plan_id)):
                if Event(
                    EventKind.DATE_MOVED, row_id, "due", old, new
                ).slip_days:  # the domain says what slips
                    slip = Slip(row_id or "", date.fromisoformat(old), date.fromisoformat(new))
                    slips.setdefault(owner, []).append(slip)
            streamed = db.execution_options(yield_per=500).execute(_newest_snapshots(plan_id))
            for owner, body in streamed:
                yield (
                    owner,
                    PlanInputs(
                        Snapshot.from_json(body),
                        settings_of(chosen.get(owner)),
                        frozenset(claimed.get(owner, ())),
                        tuple(slips.get(owner, ())),
                    ),
                )

    def claim_reminder(self, claim: ReminderClaim) -> bool:
        """Claim a reminder before sending it: False when its key is taken (sent, or being sent)."""
        values = {**asdict(claim), "claimed_at": claim.at, "state": CLAIMED}
        del values["at"]
        try:
            with self._transaction() as db:
                db.execute(insert(reminders).values(**values))
        except IntegrityError:
            return False
        return True

    def finish_reminder(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed reminder sent; None gives the claim back (the send surely failed)."""
        with self._transaction() as db:
            if sent_at is None:
                db.execute(delete(reminders).where(reminders.c.key == key, reminders.c.state == CLAIMED))
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

    def unsubscribe(self, email: str, at: datetime) -> None:
        """Mail nobody at this address again."""
        try:
            with self._transaction() as db:
                db.execute(insert(unsubscribes).values(email=email.casefold(), at=at))
        except IntegrityError:
            pass  # unsubscribed already

    def unsubscribed(self) -> set[str]:
        """Every address that unsubscribed, in lower case."""
        with self.engine.connect() as db:
            return set(db.execute(select(unsubscribes.c.email)).scalars())


def _only(query: Select[Any], plan_id: str | None) -> Select[Any]:
    """The query for one plan, or for all."""
    table = query.get_final_froms()[0]
    return query.where(table.c.plan_id == plan_id) if plan_id else query


def _newest_snapshots(plan_id: str | None) -> Select[Any]:
    versions = select(snapshots.c.plan_id, func.max(snapshots.c.version).label("version"))
    newest = _only(versions, plan_id).group_by(snapshots.c.plan_id).subquery()
    on = (snapshots.c.plan_id == newest.c.plan_id) & (snapshots.c.version == newest.c.version)
    return select(snapshots.c.plan_id, snapshots.c.body).join(newest, on)


def _due_moves(plan_id: str | None) -> Select[Any]:
    moved = select(events.c.plan_id, events.c.row_id, events.c.old, events.c.new)
    moved = moved.where(events.c.kind == EventKind.DATE_MOVED.value, events.c.field == "due")
    return _only(moved, plan_id).order_by(events.c.plan_id, events.c.seq)
