"""The store over SQLAlchemy Core: SQLite by default, PostgreSQL when MUTUALPLAN_DATABASE_URL says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.errors import SyncConflictError
from mutualplan.plan.audit import GENESIS, StoredEvent, chain
from mutualplan.plan.events import Event, EventKind, Trust
from mutualplan.plan.snapshot import Snapshot
from mutualplan.ports import ChannelRecord, PlanRecord, SyncBase
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import (
    events,
    pending_syncs,
    plans,
    snapshots,
    watch_channels,
)
from mutualplan.store.sql_accounts import AccountTables
from mutualplan.store.sql_ledger import LedgerTables

SNAPSHOTS_KEPT = 20  # a sync needs the newest; the few before it help to look back


class SqlStore(AccountTables, LedgerTables, SqlBase):
    """Plans, their snapshots, their audit log, channels and pending syncs; accounts and settings."""

    def add_plan(self, record: PlanRecord) -> None:
        """Register a plan (once: a second add of the same id changes nothing)."""
        try:
            with self._transaction() as db:
                db.execute(insert(plans).values(**_plan_values(record)))
        except IntegrityError:
            pass

    def plan(self, plan_id: str) -> PlanRecord | None:
        """A registered plan."""
        with self.engine.connect() as db:
            row = db.execute(select(plans).where(plans.c.id == plan_id)).mappings().first()
        return _plan_of(row) if row else None

    def plans(self) -> list[PlanRecord]:
        """Every registered plan, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(select(plans).order_by(plans.c.created_at, plans.c.id)).mappings().all()
        return [_plan_of(row) for row in rows]

    def set_modified_time(self, plan_id: str, modified_time: str) -> None:
        """Remember Drive's modifiedTime as of the last sync."""
        with self._transaction() as db:
            db.execute(update(plans).where(plans.c.id == plan_id).values(modified_time=modified_time))

    def latest_snapshot(self, plan_id: str) -> SyncBase:
        """The newest snapshot, with its version and the audit log's last event number as of it."""
        with self.engine.connect() as db:
            row = db.execute(
                select(snapshots.c.version, snapshots.c.last_seq, snapshots.c.body)
                .where(snapshots.c.plan_id == plan_id)
                .order_by(snapshots.c.version.desc())
                .limit(1)
            ).first()
        return SyncBase(row.version, Snapshot.from_json(row.body), row.last_seq) if row else SyncBase()

    def record_sync(
        self, plan_id: str, base_version: int, snapshot: Snapshot, found: Sequence[Event], at: datetime
    ) -> list[StoredEvent]:
        """Append the events and the next snapshot in ONE transaction.

        SyncConflictError when another sync got there first from the same base: nothing is stored,
        and the caller syncs again from the newer snapshot."""
        try:
            with self._transaction() as db:
                last = db.execute(
                    select(events.c.seq, events.c.hash)
                    .where(events.c.plan_id == plan_id)
                    .order_by(events.c.seq.desc())
                    .limit(1)
                ).first()
                seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
                stored = chain(prev, seq + 1, at, ((item.key(base_version), item) for item in found))
                if stored:
                    db.execute(insert(events), [_event_values(plan_id, item) for item in stored])
                db.execute(
                    insert(snapshots).values(
                        plan_id=plan_id,
                        version=base_version + 1,
                        taken_at=at,
                        last_seq=seq + len(stored),
                        body=snapshot.to_json(),
                    )
                )
                old = snapshots.c.version <= base_version + 1 - SNAPSHOTS_KEPT
                db.execute(delete(snapshots).where(snapshots.c.plan_id == plan_id, old))
        except IntegrityError as exc:
            raise SyncConflictError(
                f"plan {plan_id} was synced meanwhile from version {base_version}"
            ) from exc
        return stored

    def events(self, plan_id: str) -> list[StoredEvent]:
        """A plan's audit log, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(events).where(events.c.plan_id == plan_id).order_by(events.c.seq)
            ).mappings()
            return [_stored_of(row) for row in rows]

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
        return _channel_of(row) if row else None

    def channels_expiring(self, before: datetime) -> list[ChannelRecord]:
        """The open channels that expire before a moment (expired ones included)."""
        with self.engine.connect() as db:
            rows = db.execute(
                select(watch_channels)
                .where(watch_channels.c.expires_at < before, watch_channels.c.stopped.is_(False))
                .order_by(watch_channels.c.expires_at)
            ).mappings()
            return [_channel_of(row) for row in rows]

    def stop_channel(self, channel_id: str) -> None:
        """Mark a channel stopped: its notifications are refused from now on."""
        with self._transaction() as db:
            db.execute(update(watch_channels).where(watch_channels.c.id == channel_id).values(stopped=True))

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


def _channel_of(row: Any) -> ChannelRecord:
    return ChannelRecord(
        row["id"],
        row["plan_id"],
        row["token_hash"],
        row["resource_id"],
        utc(row["expires_at"]),
        row["stopped"],
    )


def _plan_values(record: PlanRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "spreadsheet_id": record.spreadsheet_id,
        "workbook": record.workbook,
        "owner": record.owner,
        "title": record.title,
        "map_tab": record.tabs[0],
        "stakeholders_tab": record.tabs[1],
        "log_tab": record.tabs[2],
        "created_at": record.created_at,
        "modified_time": record.modified_time,
        "time_zone": record.time_zone,
    }


def _plan_of(row: Any) -> PlanRecord:
    tabs = (row["map_tab"], row["stakeholders_tab"], row["log_tab"])
    return PlanRecord(
        row["id"], row["spreadsheet_id"], row["workbook"], row["owner"], row["title"],
        utc(row["created_at"]), tabs, row["modified_time"], row["time_zone"],
    )  # fmt: skip


def _event_values(plan_id: str, stored: StoredEvent) -> dict[str, Any]:
    item = stored.event
    return {
        "plan_id": plan_id, "seq": stored.seq, "key": stored.key, "at": stored.at, "kind": item.kind.value,
        "row_id": item.row, "field": item.field, "old": item.old, "new": item.new, "who": item.who,
        "trust": item.trust.value if item.trust else None, "sheet_row": item.sheet_row,
        "prev": stored.prev, "hash": stored.hash,
    }  # fmt: skip


def _stored_of(row: Any) -> StoredEvent:
    found = Event(
        EventKind(row["kind"]), row["row_id"], row["field"], row["old"], row["new"], row["who"],
        Trust(row["trust"]) if row["trust"] else None, row["sheet_row"],
    )  # fmt: skip
    return StoredEvent(row["seq"], utc(row["at"]), row["key"], found, row["prev"], row["hash"])
