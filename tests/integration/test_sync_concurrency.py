"""Two syncs of one plan at the same time, on two threads with two connections, on both engines."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutualplan.app.sync import SyncResult, sync
from mutualplan.plan.diff import Editors
from mutualplan.plan.events import EventKind
from mutualplan.plan.vocabulary import Column
from mutualplan.store.sql import SqlStore
from tests.integration.sync_harness import BUYER, harness


def test_two_syncs_at_once_record_every_event_exactly_once(tmp_path: Path, store: SqlStore) -> None:
    with harness("local", tmp_path, store) as plan:
        plan.edit(2, Column.CONFIRMED_BY, BUYER, "jane@acme.com")
        plan.edit(2, Column.CONFIRMED, "TRUE", "jane@acme.com")
        plan.edit(4, Column.STATUS, "In progress", "jane@acme.com")
        both_read = threading.Barrier(2, timeout=10)
        waited = threading.local()

        def editors(tab: str) -> Editors:
            if not getattr(waited, "done", False):  # both have read the same snapshot and sheet
                waited.done = True
                both_read.wait()
            return plan.editors(tab)

        def run() -> SyncResult:
            return sync(store, plan.workbook, plan.record, editors, lambda: plan.now)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = [future.result() for future in [pool.submit(run), pool.submit(run)]]
    stored = store.events(plan.record.id)
    assert sorted(stored.event.kind for stored in stored) == [EventKind.CONFIRMED, EventKind.STATUS_CHANGED]
    assert sorted(len(result.events) for result in results) == [0, 2]  # the loser found nothing left to do
    assert [item.seq for item in stored] == [1, 2]
    assert len(plan.log()) == 2
