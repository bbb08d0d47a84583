"""Each plan's snapshots and audit log, stored together in one transaction a sync."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from mutualplan.app.records import ChainHead, SyncBase
from mutualplan.errors import SyncConflictError, UnreadableEventError, UnsignedSnapshotError
from mutualplan.plan.history.audit import (
    GENESIS,
    ChainKey,
    HeadMark,
    StoredEvent,
    chain,
    head_mac,
    snapshot_mac,
)
from mutualplan.plan.history.events import Event, EventKind, Trust
from mutualplan.plan.history.log_tab import NOTHING_SEEN, LogSeen
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import events, plans, snapshots

SIGNED_COLUMNS = (snapshots.c.version, snapshots.c.last_seq, snapshots.c.body, snapshots.c.mac)
SNAPSHOTS_KEPT = 20  # a sync needs the newest; the few before it help to look back


class SyncLogTables(SqlBase):
    """Snapshots and the audit log."""

    def latest_snapshot(self, plan_id: str) -> SyncBase:
        """The newest snapshot, with its version and the audit log's last event number as of it; an
        UnsignedSnapshotError when its body is not what the store's key signed."""
        with self.engine.connect() as db:
            row = db.execute(_newest(plan_id)).first()
        if row is None:
            return SyncBase()
        seen = LogSeen(row.log_rows, row.log_digest)
        return SyncBase(row.version, signed_snapshot(self.chain_key, plan_id, row), row.last_seq, seen)

    def record_sync(
        self,
        plan_id: str,
        base_version: int,
        snapshot: Snapshot,
        found: Sequence[Event],
        at: datetime,
        log_seen: LogSeen = NOTHING_SEEN,
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
                keyed = ((item.key(base_version), item) for item in found)
                stored = chain(prev, seq + 1, at, keyed, self.chain_key)
                if stored:
                    db.execute(insert(events), [event_row(plan_id, item) for item in stored])
                count, last_hash = seq + len(stored), stored[-1].hash if stored else prev
                mac = head_mac(self.chain_key, plan_id, count, last_hash) if self.chain_key else ""
                head = {"head_count": count, "head_hash": last_hash, "head_mac": mac}
                db.execute(update(plans).where(plans.c.id == plan_id).values(**head))
                version, body = base_version + 1, snapshot.to_json()
                signed = snapshot_mac(self.chain_key, plan_id, version, count, body) if self.chain_key else ""
                kept = {"version": version, "taken_at": at, "last_seq": count, "body": body, "mac": signed}
                kept |= {"log_rows": log_seen.rows, "log_digest": log_seen.digest}
                db.execute(insert(snapshots).values(plan_id=plan_id, **kept))
                old = snapshots.c.version <= base_version + 1 - SNAPSHOTS_KEPT
                db.execute(delete(snapshots).where(snapshots.c.plan_id == plan_id, old))
        except IntegrityError as exc:
            raise SyncConflictError(
                f"plan {plan_id} was synced meanwhile from version {base_version}"
            ) from exc
        return stored

    def events(self, plan_id: str) -> list[StoredEvent]:
        """A plan's audit log, oldest first."""
        return self.events_since(plan_id, 0)

    def events_since(self, plan_id: str, after_seq: int) -> list[StoredEvent]:
        """A plan's events numbered after after_seq, oldest first; an UnreadableEventError names the
        first one whose stored values are not what mutualplan writes."""
        after = (events.c.plan_id == plan_id) & (events.c.seq > after_seq)
        chosen = select(events).where(after)
        with self.engine.connect() as db:
            try:
                return [_stored_of(row) for row in db.execute(chosen.order_by(events.c.seq)).mappings()]
            except (ValueError, TypeError) as exc:  # the driver could not even read a column back
                numbers = db.execute(select(events.c.seq).where(after).order_by(events.c.seq))
                for seq in numbers.scalars().all():
                    try:
                        db.execute(
                            select(events).where(events.c.plan_id == plan_id, events.c.seq == seq)
                        ).one()
                    except (ValueError, TypeError) as unreadable:
                        raise UnreadableEventError(f"event {seq} can't be read ({unreadable})", seq) from exc
                raise

    def chain_head(self, plan_id: str) -> ChainHead:
        """What the plan's row says of its chain, and the newest snapshot's number, last event and
        whether its body is what the store's key signed."""
        with self.engine.connect() as db:
            row = db.execute(
                select(plans.c.head_count, plans.c.head_hash, plans.c.head_mac).where(plans.c.id == plan_id)
            ).first()
            newest = db.execute(_newest(plan_id)).first()
        count, last_hash, mac = (row.head_count, row.head_hash, row.head_mac) if row else (0, "", "")
        if newest is None:
            return ChainHead(count, last_hash, mac, 0)
        signed = is_signed(self.chain_key, plan_id, newest)
        return ChainHead(count, last_hash, mac, newest.last_seq, newest.version, signed)

    def chain_holds(self, plan_id: str, mark: HeadMark) -> bool:
        """Whether the plan's chain still holds a head its spreadsheet carried: event N's hash is the one
        marked (True for a head this store's key never signed: it proves nothing)."""
        if self.chain_key is None or not mark.signed_by(self.chain_key) or mark.plan_id != plan_id:
            return True
        with self.engine.connect() as db:
            return _holds(db, plan_id, mark)


def _holds(db: Any, plan_id: str, mark: HeadMark) -> bool:
    if mark.count == 0:
        return True
    found = db.execute(select(events.c.hash).where(events.c.plan_id == plan_id, events.c.seq == mark.count))
    return bool(found.scalar() == mark.last_hash)


def signed_snapshot(chain_key: ChainKey | None, plan_id: str, row: Any) -> Snapshot:
    """A stored snapshot (version, last_seq, body, mac), once its signature is checked: an
    UnsignedSnapshotError when its body is not what the store's key signed."""
    if not is_signed(chain_key, plan_id, row):
        raise UnsignedSnapshotError(
            f"plan {plan_id}'s newest snapshot (version {row.version}) is not what mutualplan signed: it was "
            "edited outside mutualplan, so nothing is counted from it. Restore the store from a backup "
            "(mutualplan audit verify names what else was touched)"
        )
    return Snapshot.from_json(row.body)


def is_signed(chain_key: ChainKey | None, plan_id: str, row: Any) -> bool:
    """Whether a stored snapshot's body is what the key signed (always, for a store without a key)."""
    if chain_key is None:
        return True
    return hmac.compare_digest(snapshot_mac(chain_key, plan_id, row.version, row.last_seq, row.body), row.mac)


def _newest(plan_id: str) -> Any:
    """The newest snapshot of a plan, with what its signature covers and the Log lines seen right."""
    columns = (*SIGNED_COLUMNS, snapshots.c.log_rows, snapshots.c.log_digest)
    newest_first = snapshots.c.version.desc()
    return select(*columns).where(snapshots.c.plan_id == plan_id).order_by(newest_first).limit(1)


def event_row(plan_id: str, stored: StoredEvent) -> dict[str, Any]:
    """A stored event as its row holds it."""
    item = stored.event
    return {
        "plan_id": plan_id, "seq": stored.seq, "key": stored.key, "at": stored.at, "kind": item.kind.value,
        "row_id": item.row, "field": item.field, "old": item.old, "new": item.new, "who": item.who,
        "trust": item.trust.value if item.trust else None, "sheet_row": item.sheet_row,
        "via": item.via, "note": item.note, "prev": stored.prev, "hash": stored.hash, "key_id": stored.key_id,
    }  # fmt: skip


def _stored_of(row: Any) -> StoredEvent:
    try:
        found = Event(
            EventKind(row["kind"]), row["row_id"], row["field"], row["old"], row["new"], row["who"],
            Trust(row["trust"]) if row["trust"] else None, row["sheet_row"], row["via"], row["note"],
        )  # fmt: skip
        at = utc(row["at"])
    except (ValueError, TypeError, AttributeError) as exc:
        raise UnreadableEventError(f"event {row['seq']} can't be read ({exc})", row["seq"]) from exc
    return StoredEvent(row["seq"], at, row["key"], found, row["prev"], row["hash"], row["key_id"])
