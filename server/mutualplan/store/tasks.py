"""The embedded queue of units: enqueued once by name, leased to one runner at a time, done or retried."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update

from mutualplan.app.units import Leased, Unit
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import tasks

ROWS_A_STATEMENT = 500  # units one INSERT carries: well under SQLite's bound on parameters


class TaskTables(SqlBase):
    """The store's own queue of units, for wherever no Cloud Tasks queue is configured."""

    def enqueue(self, units: Sequence[Unit], now: datetime) -> int:
        """Keep units to run from their not_before (else now), each unless one of its name was ever
        enqueued: how many were new. One statement, whatever their number."""
        rows = [
            {"name": unit.name, "body": unit.body(), "not_before": unit.not_before or now} for unit in units
        ]
        added = 0
        with self._transaction() as db:
            for start in range(0, len(rows), ROWS_A_STATEMENT):
                chunk = rows[start : start + ROWS_A_STATEMENT]
                new = self._insert_new(tasks).values(chunk).returning(tasks.c.name)
                added += len(db.execute(new).all())
        return added

    def lease_due(self, now: datetime, lease: timedelta, limit: int) -> list[Leased]:
        """Hand out up to limit due units, oldest first, each to this caller alone until now + lease (a
        runner killed meanwhile leaves its lease to lapse: the unit is handed out again)."""
        free = or_(tasks.c.leased_until.is_(None), tasks.c.leased_until <= now)
        due = and_(tasks.c.done_at.is_(None), tasks.c.not_before <= now, free)
        with self._transaction() as db:
            found = db.execute(
                select(tasks.c.name, tasks.c.body, tasks.c.attempts)
                .where(due)
                .order_by(tasks.c.not_before)
                .limit(limit)
            ).all()
            leased = []
            for name, body, attempts in found:
                taken = db.execute(
                    update(tasks)
                    .where(tasks.c.name == name, due)
                    .values(leased_until=now + lease, attempts=attempts + 1)
                )
                if taken.rowcount == 1:
                    leased.append(Leased(Unit.from_body(json.loads(body)), attempts + 1))
        return leased

    def finish_task(self, name: str, now: datetime) -> None:
        """Mark a unit done: its name stays taken."""
        with self._transaction() as db:
            db.execute(update(tasks).where(tasks.c.name == name).values(done_at=now, leased_until=None))

    def retry_task(self, name: str, at: datetime) -> None:
        """Give a unit back, to run again from a moment."""
        with self._transaction() as db:
            db.execute(update(tasks).where(tasks.c.name == name).values(not_before=at, leased_until=None))

    def next_task_at(self) -> datetime | None:
        """When the earliest unit not done may run; None when the queue is empty."""
        with self.engine.connect() as db:
            found = db.execute(
                select(tasks.c.not_before).where(tasks.c.done_at.is_(None)).order_by(tasks.c.not_before)
            ).first()
        return utc(found[0]) if found else None

    def forget_tasks_done(self, before: datetime) -> int:
        """Drop the units done before a moment (their names free again); how many."""
        with self._transaction() as db:
            return db.execute(delete(tasks).where(tasks.c.done_at < before)).rowcount
