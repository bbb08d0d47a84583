"""The last failure of each kind of background work on a plan, kept until that work next succeeds."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, insert, select

from mutualplan.app.records import PlanFailure
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import plan_failures

AT_ONCE = 500  # plan ids a statement names


class FailureTables(SqlBase):
    """Plan failures."""

    def record_failure(self, plan_id: str, job: str, at: datetime, said: str) -> None:
        """Keep a plan's latest failure of one job (replacing the one before)."""
        key = (plan_failures.c.plan_id == plan_id) & (plan_failures.c.job == job)
        with self._transaction() as db:
            db.execute(delete(plan_failures).where(key))
            db.execute(insert(plan_failures).values(plan_id=plan_id, job=job, at=at, said=said))

    def clear_failures(self, plan_ids: Collection[str], job: str) -> None:
        """Forget these plans' failures of one job: it just succeeded for them (one write a run)."""
        ids = sorted(plan_ids)
        if not ids:
            return
        with self._transaction() as db:
            for start in range(0, len(ids), AT_ONCE):
                chunk = ids[start : start + AT_ONCE]
                db.execute(
                    delete(plan_failures).where(
                        plan_failures.c.job == job, plan_failures.c.plan_id.in_(chunk)
                    )
                )

    def failures(self, plan_id: str) -> list[PlanFailure]:
        """A plan's failures still standing, newest first."""
        query = (
            select(plan_failures.c.job, plan_failures.c.at, plan_failures.c.said)
            .where(plan_failures.c.plan_id == plan_id)
            .order_by(plan_failures.c.at.desc())
        )
        with self.engine.connect() as db:
            return [PlanFailure(job, utc(at), said) for job, at, said in db.execute(query)]
