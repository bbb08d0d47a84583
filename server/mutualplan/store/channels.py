"""Drive push channels, and the queue of syncs their notifications ask for."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.app.records import ChannelRecord, PlanRecord, WorkbookKind
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.plans import plan_of
from mutualplan.store.schema import pending_syncs, plans, watch_channels


class ChannelTables(SqlBase):
    """Channels and pending syncs."""

    def add_channel(self, channel: ChannelRecord) -> None:
        """Keep a push channel."""
        with self._transaction() as db:
            db.execute(insert(watch_channels).values(**asdict(channel)))

    def channel(self, channel_id: str) -> ChannelRecord | None:
        """A push channel by its id."""
        with self.engine.connect() as db:
            row = (
                db.execute(select(watch_channels).where(watch_channels.c.id == channel_id)).mappings().first()
            )
        return channel_of(row) if row else None

    def channels_expiring(self, before: datetime) -> list[ChannelRecord]:
        """The open channels that expire before a moment (expired ones included)."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(watch_channels)
                .where(watch_channels.c.expires_at < before, watch_channels.c.stopped.is_(False))
                .order_by(watch_channels.c.expires_at)
            ).mappings()
            return [channel_of(row) for row in rows]

    def stop_channel(self, channel_id: str) -> None:
        """Mark a channel stopped: its notifications are refused from now on."""
        with self._transaction() as db:
            db.execute(update(watch_channels).where(watch_channels.c.id == channel_id).values(stopped=True))

    def plans_unwatched(self, open_until: datetime) -> list[PlanRecord]:
        """The Google plans with no open channel lasting past a moment."""
        open_channel = (
            select(watch_channels.c.plan_id)
            .where(watch_channels.c.stopped.is_(False), watch_channels.c.expires_at >= open_until)
            .scalar_subquery()
        )
        google = plans.c.workbook == WorkbookKind.GOOGLE.value
        with self.engine.connect() as db:
            rows = db.execute(select(plans).where(google, plans.c.id.not_in(open_channel))).mappings()
            return [plan_of(row) for row in rows]

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Ask for a sync of a plan at due_at, unless one is already waiting: True when this one is new."""
        try:
            with self._transaction() as db:
                db.execute(insert(pending_syncs).values(plan_id=plan_id, due_at=due_at))
        except IntegrityError:
            return False
        return True

    def claim_due_syncs(self, now: datetime) -> list[str]:
        """Take the plans whose sync is due: each is handed to exactly one caller."""
        with self._transaction() as db:
            due = (
                db.execute(select(pending_syncs.c.plan_id).where(pending_syncs.c.due_at <= now))
                .scalars()
                .all()
            )
            claimed = []
            for plan_id in due:
                gone = db.execute(delete(pending_syncs).where(pending_syncs.c.plan_id == plan_id))
                if gone.rowcount == 1:
                    claimed.append(plan_id)
        return claimed


def channel_of(row: Any) -> ChannelRecord:
    return ChannelRecord(
        row["id"],
        row["plan_id"],
        row["token_hash"],
        row["resource_id"],
        utc(row["expires_at"]),
        row["stopped"],
    )
