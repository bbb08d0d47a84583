"""The bulk loader: what reminding, validation and pictures need of plans' pasts, in a few queries."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Join, Select, func, select

from mutualplan.app.records import PlanInputs
from mutualplan.errors import UnsignedSnapshotError
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.past import Slip
from mutualplan.store.base import SqlBase
from mutualplan.store.plans import settings_of
from mutualplan.store.schema import events, reminder_items, reminder_settings, reminders, snapshots
from mutualplan.store.sync_log import SIGNED_COLUMNS, signed_snapshot

logger = logging.getLogger(__name__)


class InputTables(SqlBase):
    """Plan inputs, for every plan or one."""

    def plan_inputs(self, plan_ids: Collection[str] | None = None) -> Iterator[tuple[str, PlanInputs]]:
        """Every synced plan's inputs, or the named plans' (a few hundred at most: one owner's): four
        queries whatever their number, and the snapshots streamed, so that memory stays flat. A plan
        whose snapshot is not signed is left out, and said in the log."""
        return self._inputs(plan_ids, strict=False)

    def plan_input(self, plan_id: str) -> PlanInputs | None:
        """One plan's inputs; None before its first sync (an UnsignedSnapshotError when not signed)."""
        return next((found for _, found in self._inputs((plan_id,), strict=True)), None)

    def _inputs(self, plan_ids: Collection[str] | None, strict: bool) -> Iterator[tuple[str, PlanInputs]]:
        with self.engine.connect() as db:
            chosen = {row.plan_id: row for row in db.execute(_only(select(reminder_settings), plan_ids))}
            claimed: dict[str, dict[str, str]] = {}
            ledger = select(reminders.c.plan_id, reminders.c.key, reminders.c.state)
            carried = select(reminder_items.c.plan_id, reminder_items.c.key, reminders.c.state).join_from(
                reminder_items, reminders, reminders.c.key == reminder_items.c.message
            )
            for query in (ledger, carried):  # a reminder a day's message carried stands as the message does
                for owner, key, state in db.execute(_only(query, plan_ids)):
                    claimed.setdefault(owner, {})[key] = state
            slips: dict[str, list[Slip]] = {}
            for owner, row_id, old, new in db.execute(_due_moves(plan_ids)):
                if Event(
                    EventKind.DATE_MOVED, row_id, "due", old, new
                ).slip_days:  # the domain says what slips
                    slip = Slip(row_id or "", date.fromisoformat(old), date.fromisoformat(new))
                    slips.setdefault(owner, []).append(slip)
            streamed = db.execution_options(yield_per=500).execute(_newest_snapshots(plan_ids))
            for row in streamed:
                owner = row.plan_id
                try:
                    snapshot = signed_snapshot(self.chain_key, owner, row)
                except UnsignedSnapshotError as exc:
                    if strict:
                        raise
                    logger.warning("%s", exc)  # one plan's edited store leaves the others counted
                    continue
                yield (
                    owner,
                    PlanInputs(
                        snapshot,
                        settings_of(chosen.get(owner)),
                        claimed.get(owner, {}),
                        tuple(slips.get(owner, ())),
                    ),
                )


def _only(query: Select[Any], plan_ids: Collection[str] | None) -> Select[Any]:
    """The query for the plans named, or for all (by the plan_id of the first table it names)."""
    table = query.get_final_froms()[0]
    first = table.left if isinstance(table, Join) else table
    return query if plan_ids is None else query.where(first.c.plan_id.in_(list(plan_ids)))


def _newest_snapshots(plan_ids: Collection[str] | None) -> Select[Any]:
    versions = select(snapshots.c.plan_id, func.max(snapshots.c.version).label("version"))
    newest = _only(versions, plan_ids).group_by(snapshots.c.plan_id).subquery()
    on = (snapshots.c.plan_id == newest.c.plan_id) & (snapshots.c.version == newest.c.version)
    return select(snapshots.c.plan_id, *SIGNED_COLUMNS).join(newest, on)


def _due_moves(plan_ids: Collection[str] | None) -> Select[Any]:
    moved = select(events.c.plan_id, events.c.row_id, events.c.old, events.c.new)
    moved = moved.where(events.c.kind == EventKind.DATE_MOVED.value, events.c.field == "due")
    return _only(moved, plan_ids).order_by(events.c.plan_id, events.c.seq)
