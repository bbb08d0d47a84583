"""Two syncs of one plan at the same time, on two threads with two connections, on both engines."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import cast

from mutualplan.app.local import edit_cell, new_local_plan, record_of
from mutualplan.app.store_ports import Store
from mutualplan.app.sync import SyncResult, sync
from mutualplan.bootstrap.local import local_services
from mutualplan.config import Config
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.log_tab import NOTHING_SEEN, LogSeen
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.history.write_back import log_line
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import Cell
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
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


class RivalFirst:
    """The store, but a rival sync commits first, once: the sync under test loses that race."""

    def __init__(self, store: SqlStore) -> None:
        self.store, self.raced = store, False

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def record_sync(
        self,
        plan_id: str,
        base_version: int,
        snapshot: Snapshot,
        found: Sequence[Event],
        at: datetime,
        log_seen: LogSeen = NOTHING_SEEN,
    ) -> list[StoredEvent]:
        if not self.raced:
            self.raced = True
            rival = Event(EventKind.HEAD_CHANGED, None, "Outcome", "before", "after", "jane@acme.com")
            unchanged = self.store.latest_snapshot(plan_id).snapshot  # the rival saw no other change
            assert unchanged is not None
            self.store.record_sync(plan_id, base_version, unchanged, [rival], at)
        return self.store.record_sync(plan_id, base_version, snapshot, found, at, log_seen)


def test_a_sync_that_loses_a_race_mends_the_log_lines_it_wrote_over_the_winners(
    tmp_path: Path, sqlite_store: SqlStore
) -> None:
    with harness("local", tmp_path, sqlite_store) as plan:
        plan.edit(4, Column.STATUS, "In progress", "jane@acme.com")
        racing = RivalFirst(sqlite_store)
        result = sync(cast(Store, racing), plan.workbook, plan.record, plan.editors, lambda: plan.now)
        stored = sqlite_store.events(plan.record.id)
        assert [item.event.kind for item in stored] == [EventKind.HEAD_CHANGED, EventKind.STATUS_CHANGED]
        assert [item.seq for item in result.events] == [2]
        expected = [[str(value.value or "") for value in log_line(item.event, item.at)] for item in stored]
        assert plan.log() == expected  # the winner's line is back on row 2, ours on row 3


def test_many_edits_at_once_are_each_answered_saved_and_the_log_converges_to_the_store(
    tmp_path: Path,
) -> None:
    services = local_services(Config.from_env({}, data=tmp_path))
    deal = Deal(date(2027, 9, 1), "Acme analytics", "Acme", "acme.com", "sam@vendor.io")
    record = new_local_plan(services, "regulated-buyer", deal, date(2026, 11, 22), "Acme")
    sheet, _ = record_of(services, record.id)
    plan = parse(sheet.read("MAP")).plan
    cells = [plan.cell(row, Column.NOTES) for row in plan.rows] * 32  # 512 edits: BAD_INPUTS 36
    assert all(cells)

    def edit(index: int) -> bool:
        done = edit_cell(services, record.id, str(cells[index]), f"note {index}", "sam@vendor.io")
        return done.synced is not None or done.queued

    with ThreadPoolExecutor(max_workers=16) as pool:
        answered = list(pool.map(edit, range(len(cells))))
    assert all(answered)  # every saved edit was answered as saved
    edit_cell(services, record.id, "N13", "last", "sam@vendor.io")  # a later sync catches any queued one
    stored = services.store.events(record.id)
    assert [item.seq for item in stored] == list(range(1, len(stored) + 1))
    log = [[cell_text(cell) for cell in row[:7]] for row in sheet.read("Log").rows[1:]]
    expected = [[cell_text(Cell(value.value)) for value in log_line(item.event, item.at)] for item in stored]
    assert log[: len(expected)] == expected
    assert not any(any(row) for row in log[len(expected) :])
