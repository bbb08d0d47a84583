"""The fleet's access paths, each a page on an index: owners by zone, an owner's plans, lapsing channels.

Nothing here loads every plan: background work goes owner by owner and page by page, so that memory and
each request's time stay flat as the fleet grows (tests/integration/test_query_plans.py checks the
plans PostgreSQL chooses).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from mutualplan.app.records import ChannelRecord, PlanRecord, WorkbookKind
from mutualplan.store.base import SqlBase
from mutualplan.store.channels import channel_of
from mutualplan.store.plans import plan_of
from mutualplan.store.schema import plans, watch_channels


class FleetTables(SqlBase):
    """Pages of the fleet, for the jobs that fan out over it."""

    def zones_in_use(self) -> list[str]:
        """Every time zone some plan lives in."""
        with self.engine.connect() as db:
            return list(
                db.execute(select(plans.c.time_zone).distinct().order_by(plans.c.time_zone)).scalars()
            )

    def owners(self, after: str, limit: int, zones: Collection[str] | None = None) -> list[str]:
        """Up to limit plan owners after one (in order), of every plan or of those living in some zones."""
        query = select(plans.c.owner).distinct().where(plans.c.owner > after)
        if zones is not None:
            query = query.where(plans.c.time_zone.in_(list(zones)))
        with self.engine.connect() as db:
            return list(db.execute(query.order_by(plans.c.owner).limit(limit)).scalars())

    def plans_of(self, owner: str, zones: Collection[str] | None = None, after: str = "") -> list[PlanRecord]:
        """An owner's plans (those living in some zones, if named) after a plan id, in id order."""
        values: dict[str, object] = {"owner": owner, "after": after}
        if zones is not None:
            values["zones"] = list(zones)
        with self.engine.connect() as db:
            return [plan_of(row) for row in db.execute(_plans_of(zones is not None), values).mappings()]

    def lapsing_channels(self, before: datetime, after: str, limit: int) -> list[ChannelRecord]:
        """Up to limit open channels that expire before a moment, after a channel id, in id order."""
        lapsing = (watch_channels.c.expires_at < before) & watch_channels.c.stopped.is_(False)
        query = select(watch_channels).where(lapsing, watch_channels.c.id > after)
        with self.engine.connect() as db:
            return [
                channel_of(row)
                for row in db.execute(query.order_by(watch_channels.c.id).limit(limit)).mappings()
            ]

    def unwatched_of(self, owner: str, open_until: datetime) -> list[PlanRecord]:
        """An owner's Google plans with no open channel lasting past a moment."""
        watched = (
            select(watch_channels.c.plan_id)
            .join(plans, plans.c.id == watch_channels.c.plan_id)
            .where(plans.c.owner == owner, watch_channels.c.stopped.is_(False))
            .where(watch_channels.c.expires_at >= open_until)
        )
        google = (plans.c.owner == owner) & (plans.c.workbook == WorkbookKind.GOOGLE.value)
        with self.engine.connect() as db:
            rows = db.execute(select(plans).where(google, plans.c.id.not_in(watched)).order_by(plans.c.id))
            return [plan_of(row) for row in rows.mappings()]


@cache
def _plans_of(in_zones: bool) -> Select[Any]:
    """An owner's plans after a plan id (in some zones), built once: every reconcile unit asks it, every
    10 minutes for each owner, and building it each time cost a third of its time."""
    query = select(plans).where(plans.c.owner == bindparam("owner"), plans.c.id > bindparam("after"))
    if in_zones:
        query = query.where(plans.c.time_zone.in_(bindparam("zones", expanding=True)))
    return query.order_by(plans.c.id)
