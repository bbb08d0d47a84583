"""The last failure of each kind of background work on a plan, kept until that work next succeeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select

from mutualplan.app.records import PlanFailure
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import plan_failures


class FailureTables(SqlBase):
    """Plan failures."""

    def record_failure(self, plan_id: str, job: str, at: datetime, said: str) -> None:
        """Keep a plan's latest failure of one job (replacing the one before)."""
        key = (plan_failures.c.plan_id == plan_id) & (plan_failures.c.job == job)
        with self._transaction() as db:
            db.execute(delete(plan_failures).where(key))
            db.execute(insert(plan_failures).values(plan_id=plan_id, job=job, at=at, said=said))

    def clear_failure(self, plan_id: str, job: str) -> None:
        """Forget a plan's failure of one job: it just succeeded."""
        key = (plan_failures.c.plan_id == plan_id) & (plan_failures.c.job == job)
        with self._transaction() as db:
            db.execute(delete(plan_failures).where(key))

    def failures(self, plan_id: str) -> list[PlanFailure]:
        """A plan's failures still standing, newest first."""
        query = (
            select(plan_failures.c.job, plan_failures.c.at, plan_failures.c.said)
            .where(plan_failures.c.plan_id == plan_id)
            .order_by(plan_failures.c.at.desc())
        )
        with self.engine.connect() as db:
            return [PlanFailure(job, utc(at), said) for job, at, said in db.execute(query)]
