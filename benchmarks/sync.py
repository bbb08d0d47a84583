"""How long the sync's diff takes on a 1,000-row plan, and how many Sheets reads a burst of 50 Drive
notifications costs (over the tests' fake Sheets API and fake Drive). Run: python -m benchmarks.sync
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from tests.fake_drive import FakeDrive
from tests.integration.sync_harness import BUYER, harness
from tests.stores import open_store

from benchmarks.check import plan_values
from mutualplan.adapters.google.platform import GooglePlan
from mutualplan.app.ports import PlanAccess
from mutualplan.app.records import FileState, PlanRecord
from mutualplan.app.watch import open_channel, receive_notification, run_due_syncs
from mutualplan.plan.history.audit import GENESIS, chain
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.history.events import Event, EventKind
from mutualplan.plan.history.log_tab import NOTHING_SEEN, check_log, still_seen
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.history.write_back import log_line
from mutualplan.plan.sheet.grid import Cell, Grid, grid_of
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.schema import upgrade

ROWS = 1000
RUNS = 21
WINDOW = timedelta(seconds=10)  # the notification window
DIFF_BUDGET_MS, JSON_BUDGET_MS = 20, 25  # medians
LOG_EVENTS = 5000  # a long-lived plan's audit log


def edited(grid: Grid, every: int = 20) -> Grid:
    """The same plan after a busy day: one row in every `every` has its due date moved a week."""
    header = next(index for index, row in enumerate(grid.rows) if row and row[0].value == "ID")
    due = [cell.value for cell in grid.rows[header]].index("Due")
    rows = [list(row) for row in grid.rows]
    for index in range(header + 1, len(rows), every):
        moved = datetime.fromisoformat(str(rows[index][due].value)) + timedelta(days=7)
        rows[index][due] = Cell(moved.date().isoformat())
    return Grid(rows=rows)


def median_ms(work: list[float]) -> str:
    return f"{statistics.median(work) * 1000:.1f} ms median, best {min(work) * 1000:.1f} ms"


def diff_figures() -> None:
    before_grid = grid_of(plan_values(ROWS))
    after_grid = edited(before_grid)
    baseline = diff(None, parse(before_grid).plan, Editors()).snapshot
    after = parse(after_grid).plan
    diffs, whole, round_trips = [], [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = diff(baseline, after, Editors())
        diffs.append(time.perf_counter() - started)
        started = time.perf_counter()
        diff(baseline, parse(after_grid).plan, Editors())
        whole.append(time.perf_counter() - started)
        started = time.perf_counter()
        Snapshot.from_json(found.snapshot.to_json())
        round_trips.append(time.perf_counter() - started)
    size = len(found.snapshot.to_json()) // 1024
    print(f"diff, {ROWS} rows, {len(found.events)} events: {median_ms(diffs)} (budget {DIFF_BUDGET_MS} ms)")
    print(f"parse + diff, {ROWS} rows: {median_ms(whole)}")
    print(f"snapshot to JSON and back ({size} KiB): {median_ms(round_trips)} (budget {JSON_BUDGET_MS} ms)")


def log_check_figures(count: int = LOG_EVENTS) -> None:
    """What a sync's Log check costs: every stored event's line compared with the Log tab's."""
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    moves = (
        (
            f"k{n}",
            Event(EventKind.DATE_MOVED, f"M{n:04d}", "due", "2027-01-05", "2027-01-12", "sam@vendor.io"),
        )
        for n in range(count)
    )
    stored = chain(GENESIS, 1, at, moves)
    header = [Cell(text) for text in ("When", "Who", "Row", "Event", "Old", "New", "Trust")]
    lines = [[Cell(value.value) for value in log_line(item.event, item.at)] for item in stored]
    grid = Grid(rows=[header, *lines])
    whole, then = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        seen = check_log(grid, NOTHING_SEEN, stored).seen
        whole.append(time.perf_counter() - started)
        older = check_log(grid, NOTHING_SEEN, stored[:-10]).seen
        started = time.perf_counter()
        assert still_seen(grid, older)
        assert check_log(grid, older, stored[-10:]).seen == seen
        then.append(time.perf_counter() - started)
    print(f"Log check, {count} events, the first sync that checks them all: {median_ms(whole)}")
    print(f"Log check, {count} events, a sync after 10 new ones (the rest seen right): {median_ms(then)}")


def burst_reads(offset_seconds: float) -> tuple[int, int]:
    """Sheets reads and syncs for 50 notifications over 10 s, the runner ticking every second."""
    with (
        tempfile.TemporaryDirectory() as folder,
        open_store(f"sqlite:///{Path(folder) / 's.sqlite'}") as store,
    ):
        upgrade(store.engine)
        with harness("google", Path(folder), store) as plan:
            assert plan.api is not None
            drive = FakeDrive()
            drive.touch(plan.record.spreadsheet_id, "sam@vendor.io")
            channel = open_channel(store, drive, plan.record, "https://mp.example/hooks/drive", plan.now)
            token = drive.tokens[channel.id]

            def open_plan(record: PlanRecord, state: FileState | None) -> PlanAccess:
                return GooglePlan(plan.workbook, drive, record.spreadsheet_id, state)

            start, reads, syncs = plan.now, 0, 0
            moments = [start + timedelta(seconds=offset_seconds + 0.2 * n) for n in range(50)]
            for tick in range(40):
                now = start + timedelta(seconds=tick)
                for moment in [m for m in moments if now - timedelta(seconds=1) < m <= now]:
                    if moment == moments[25]:  # an edit lands halfway through the burst
                        plan.edit(2, Column.CONFIRMED_BY, BUYER, "jane@acme.com")
                        plan.edit(2, Column.CONFIRMED, "TRUE", "jane@acme.com")
                        drive.touch(plan.record.spreadsheet_id, "jane@acme.com")
                    receive_notification(
                        store, store, channel.id, token, "update", moment, timedelta(seconds=10)
                    )
                before = plan.api.reads  # the edits read too: count the syncs' reads alone
                syncs += len(run_due_syncs(store, open_plan, partial(_same, now)).synced)
                reads += plan.api.reads - before
            return reads, syncs


def _same(moment: datetime) -> datetime:
    return moment


def main() -> None:
    diff_figures()
    log_check_figures()
    for offset in (0.0, 0.5):
        reads, syncs = burst_reads(offset)
        print(f"50 notifications in 10 s (first at +{offset} s): {syncs} sync(s), {reads} Sheets read(s)")
    print(f"measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
