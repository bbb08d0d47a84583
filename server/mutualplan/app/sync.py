"""Sync, the use case that makes the plan mutual: a sheet's edits become events in the audit log.

read → parse → diff with the last snapshot → write-back → store the events and the next snapshot in
ONE transaction. The write-back (IDs, unticked voided boxes, Log lines) goes first and is idempotent:
a sync that dies anywhere and runs again finds the same differences from the same snapshot, writes
the same cells, and stores each event once. Two syncs from one snapshot: the second to store gets a
SyncConflictError, and starts over (after a short random pause, a bounded number of times) from the
snapshot the first stored. The loser may have written its Log lines over the winner's: whatever the
outcome, it writes the Log lines from there on again from the store, so the Log converges to the
store row by row (event N on row N+1). Around all this, the history guard (app/history_guard.py):
the head the sheet carries is checked and written with the sync's one write, and a Log line edited
by hand is restored and its edit recorded.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from mutualplan.app.history_guard import guard_history
from mutualplan.app.ports import Workbook
from mutualplan.app.reading import read_plan
from mutualplan.app.records import PlanRecord
from mutualplan.app.store_ports import SyncLog
from mutualplan.errors import SyncConflictError
from mutualplan.plan.history.answers import Answer, Decline, Outcome, apply_answers
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.history.events import Event
from mutualplan.plan.history.write_back import log_lines, stored_log_lines, when_text, write_back

ATTEMPTS = 8
RETRY_PAUSE_SECONDS = 0.02  # times the attempt, at random: two busy writers fall out of step
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
    answers: Sequence[Answer | Decline] = (),
    noted: Sequence[Event] = (),
) -> SyncResult:
    """Record what changed in the plan's sheet since the last sync, exactly once; with it, the answers a
    customer person gave through their link (in the same write-back and the same transaction), and what
    the app itself notes in the audit log (a link shown to an operator)."""
    mended_from: int | None = None  # a lost race wrote Log lines from this event number on
    try:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                # A retry finds its own lost race's Log lines: the mend, not the Log check, puts them right.
                check_log = attempt == 1
                return _sync_once(store, workbook, record, editors_of, now, answers, noted, check_log)
            except SyncConflictError as exc:
                if exc.first_seq is not None:
                    mended_from = min(mended_from or exc.first_seq, exc.first_seq)
                if attempt == ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, RETRY_PAUSE_SECONDS * attempt))  # let the winner finish
        raise AssertionError("unreachable: the last attempt returns or raises")
    finally:
        if mended_from is not None:
            _mend_log(store, workbook, record, mended_from)


def _mend_log(store: SyncLog, workbook: Workbook, record: PlanRecord, first_seq: int) -> None:
    """Write the Log lines from first_seq on again, from the store: a sync that lost a race may have
    written its own lines over the winner's, and the Log must converge to the store, row by row."""
    stored = store.events_since(record.id, first_seq - 1)
    if stored:
        workbook.apply(stored_log_lines(stored, record.tabs.log))


def _sync_once(
    store: SyncLog,
    workbook: Workbook,
    record: PlanRecord,
    editors_of: EditorsOf,
    now: Callable[[], datetime],
    answers: Sequence[Answer | Decline],
    noted: Sequence[Event],
    check_log: bool,
) -> SyncResult:
    map_tab, log_tab = record.tabs.map, record.tabs.log
    base = store.latest_snapshot(record.id)
    grids = read_plan(workbook, record.tabs, also=[log_tab])
    plan = grids.plan()
    at = now()
    found = diff(base.snapshot, plan, editors_of(map_tab), at.date())
    found, outcomes = apply_answers(found, answers, when_text(at))
    log = grids.grids.get(log_tab) if check_log else None
    guarded = guard_history(store, workbook, record, log, base.log_seen, editors_of)
    found = replace(found, events=(*found.events, *guarded.events, *noted))
    if found.snapshot == base.snapshot and not (found.events or found.write_back or guarded.writes):
        return SyncResult(record.id, (), False, outcomes)
    # The events' Log lines, numbered as the store will number them when it stores them on this base.
    lines = log_lines(found.events, base.last_seq + 1, at, log_tab)
    writes = [*write_back(found.write_back, plan, map_tab), *guarded.writes, *lines]
    if writes:
        workbook.apply([*writes, guarded.mark])
    try:
        stored = store.record_sync(
            record.id, base.version, found.snapshot, found.events, at, guarded.log_seen
        )
    except SyncConflictError as exc:
        if lines:
            exc.first_seq = base.last_seq + 1
        raise
    return SyncResult(record.id, tuple(stored), bool(writes), outcomes)
