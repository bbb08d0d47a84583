"""Server time of the sidebar's Validate on a 500-row plan over the fake Sheets API, through the whole app:
ID-token check, one read (the marker with the plan's tab), checks, one write of marks, the findings card.
Run: python -m benchmarks.addon
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fake_sheets_api import FakeSheetsApi
from tests.integration.addon_world import NOW, SELLER, sheets_event, world
from tests.integration.test_google_sheets import big_template

from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.stamping import stamp
from mutualplan.plan.dates.stamp import Deal

ROWS = 500
RUNS = 40


def timed(handler: Callable[[Any], Any], total: list[float]) -> Callable[[Any], Any]:
    """The handler, adding the seconds it takes to total[0]."""

    def run(request: Any) -> Any:
        started = time.perf_counter()
        try:
            return handler(request)
        finally:
            total[0] += time.perf_counter() - started

    return run


def figures(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p50, p95 = statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, world(Path(folder)) as there:
        api = FakeSheetsApi("sheet-bench")
        fake_seconds = [0.0]
        for name in ("_get", "_batch_update"):  # time the fake's own work, to leave it out
            setattr(api, name, timed(getattr(api, name), fake_seconds))
        there.add(api)
        workbook = there.workbook(api.spreadsheet_id)
        deal = Deal(NOW.date().replace(year=NOW.year + 1), "Big deal", "Northwind", "northwind.com", SELLER)
        marker = stamp(workbook, big_template(ROWS), deal, NOW.date(), "plan-bench")
        there.store.add_plan(PlanRecord.of(marker, WorkbookKind.GOOGLE, "Big deal", NOW))
        event = sheets_event(api.spreadsheet_id)
        times, server = [], []
        for _ in range(RUNS):
            reads, writes, fake_before = api.reads, api.writes, fake_seconds[0]
            started = time.perf_counter()
            response = there.post("/addon/validate", event)
            times.append(time.perf_counter() - started)
            server.append(times[-1] - (fake_seconds[0] - fake_before))
            assert response.status_code == 200
        calls = api.reads - reads + api.writes - writes
        print(f"Validate, {ROWS} rows, {RUNS} runs: {calls} Google calls each ({api.reads - reads} read):")
        print(f"  server time, the fake API's own work left out: {figures(server)}")
        print(f"  wall time, the fake API included:             {figures(times)}")


if __name__ == "__main__":
    main()
