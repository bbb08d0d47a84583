"""Sync, the use case that makes the plan mutual: a sheet's edits become events in the audit log.

read → parse → diff with the last snapshot → write-back → store the events and the next snapshot in
ONE transaction. The write-back (IDs, unticked voided boxes, Log lines) goes first and is idempotent:
a sync that dies anywhere and runs again finds the same differences from the same snapshot, writes
the same cells, and stores each event once. Two syncs from one snapshot: the second to store gets a
SyncConflictError, and starts over from the snapshot the first stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mutualplan.app.ports import SyncLog, Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.errors import NotFoundError, SyncConflictError
from mutualplan.plan.answers import Answer, Outcome, apply_answers
from mutualplan.plan.audit import StoredEvent
from mutualplan.plan.diff import Editors, diff
from mutualplan.plan.parse import parse
from mutualplan.plan.stakeholders import read_stakeholders
from mutualplan.plan.write_back import log_lines, when_text, write_back

ATTEMPTS = 3
EditorsOf = Callable[[str], Editors]  # a tab → who edited its cells, as the platform tells


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync stored and whether it wrote into the sheet."""

    plan_id: str
    events: tuple[StoredEvent, ...]
    wrote_back: bool
    outcomes: tuple[Outcome, ...] = ()  # what became of each answer the sync carried


def sync(
    store: SyncLog,
    workbook: Workbook,
    record: PlanRecord,
    editors_of: EditorsOf,
    now: Callable[[], datetime],
    answers: Sequence[Answer] = (),
) -> SyncResult:
    """Record what changed in the plan's sheet since the last sync, exactly once; with it, the answers a
    customer person gave through their link (in the same write-back and the same transaction)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _sync_once(store, workbook, record, editors_of, now, answers)
        except SyncConflictError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _sync_once(
    store: SyncLog,
    workbook: Workbook,
    record: PlanRecord,
    editors_of: EditorsOf,
    now: Callable[[], datetime],
    answers: Sequence[Answer],
) -> SyncResult:
    map_tab, stakeholders_tab, log_tab = record.tabs
    base = store.latest_snapshot(record.id)
    grids = workbook.read_tabs([map_tab, stakeholders_tab], write_to=[log_tab])
    if map_tab not in grids:
        raise NotFoundError(
            f"the plan's tab '{map_tab}' is gone from the spreadsheet: name the plan's tab '{map_tab}'"
        )
    plan = parse(grids[map_tab]).plan
    found = diff(base.snapshot, plan, editors_of(map_tab), read_stakeholders(grids.get(stakeholders_tab)))
    at = now()
    found, outcomes = apply_answers(found, answers, when_text(at))
    if found.snapshot == base.snapshot and not found.events and not found.write_back:
        return SyncResult(record.id, (), False, outcomes)
    # The events' Log lines, numbered as the store will number them when it stores them on this base.
    log = log_lines(found.events, base.last_seq + 1, at, log_tab)
    writes = [*write_back(found.write_back, plan, map_tab), *log]
    if writes:
        workbook.apply(writes)
    stored = store.record_sync(record.id, base.version, found.snapshot, found.events, at)
    return SyncResult(record.id, tuple(stored), bool(writes), outcomes)
