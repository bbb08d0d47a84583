"""How fast parse + checks + health run, and how long `mutualplan check` takes on a big xlsx.

Budget: 1,000 rows in under 50 ms, cost linear in rows. Run: python benchmarks/check.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from mutualplan.plan import Grid, review
from mutualplan.plan.dates.reading import _read_text, format_day
from mutualplan.plan.people.parties import read_people_text
from mutualplan.plan.sheet.grid import Cell, CellValue, column_letters
from mutualplan.plan.sheet.parse import _track_of_step
from mutualplan.plan.sheet.text import label_key

TODAY = date(2026, 11, 22)
HEADER: list[CellValue] = [
    "ID", "Track", "Step", "Customer owner", "Vendor owner", "Start", "Due", "Exit evidence",
    "Status", "Gate", "Depends on", "Customer confirmed", "Confirmed by", "Notes",
]  # fmt: skip
TRACKS = ["Technical", "Business", "Security", "Legal", "Procurement", "Signature", "Success"]
STATUSES = ["Not started", "In progress", "Done", "Blocked"]
FIRST = ["Jane", "Omar", "Grace", "Luis", "Sara", "Priya", "Daniel", "Mia", "Tom", "Kim"]
LAST = ["Doe", "Haddad", "Chen", "Ortega", "Brandt", "Raman", "Okafor", "Park", "Reyes", "Lind"]
BUDGET_MS_PER_1000 = 50.0


def plan_values(rows: int, seed: int = 7) -> list[list[CellValue]]:
    """A plan of this many rows with varied people, dates, tracks and dependencies."""
    rng = random.Random(seed)
    values: list[list[CellValue]] = [
        ["Customer", "Acme"], ["Customer domain", "acme.com"], ["Go-live", "2028-06-30"],
        ["Target signature", "2027-12-15"], ["Outcome", "Fraud losses down 20%"], [], HEADER,
    ]  # fmt: skip
    for index in range(rows):
        start = date(2026, 11, 1) + timedelta(days=rng.randrange(500))
        customer = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        values.append(
            [
                f"R{index}", rng.choice(TRACKS), f"Step {index}: review deliverable {rng.randrange(10**6)}",
                f"{customer} <{customer.lower().replace(' ', '.')}@acme.com>",
                f"{rng.choice(FIRST)} {rng.choice(LAST)}", start.isoformat(),
                (start + timedelta(days=rng.randrange(1, 30))).isoformat(),
                rng.choice(["Signed document", "", "PO executed"]), rng.choice(STATUSES),
                rng.random() < 0.1, f"R{index - 1}" if index and rng.random() < 0.5 else "",
                rng.random() < 0.6, customer, "",
            ]
        )  # fmt: skip
    return values


def grid_of(values: list[list[CellValue]]) -> Grid:
    """The values as a grid, built before timing starts."""
    return Grid(rows=[[Cell(value) for value in row] for row in values])


def clear_caches() -> None:
    """Forget every memoised reading, so a run pays for all of its parsing."""
    for cached in (_read_text, read_people_text, _track_of_step, column_letters, label_key, format_day):
        cached.cache_clear()


def time_review(grid: Grid, runs: int) -> tuple[float, float, float]:
    """Seconds for the first review in this process, then the median and the best of
    more runs, caches emptied before each (the best shows the machine unloaded)."""
    clear_caches()
    began = time.perf_counter()
    review(grid, TODAY)
    first = time.perf_counter() - began
    times = []
    for _ in range(runs):
        clear_caches()
        began = time.perf_counter()
        review(grid, TODAY)
        times.append(time.perf_counter() - began)
    return first, statistics.median(times), min(times)


def time_cli_on_xlsx(rows: int) -> float:
    """Wall seconds of `mutualplan check FILE --json` on a generated xlsx."""
    command = shutil.which("mutualplan")
    if command is None:
        sys.exit("install the project first: pip install -e .")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.xlsx"
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("MAP")
        for row in plan_values(rows):
            sheet.append(row)
        workbook.save(path)
        began = time.perf_counter()
        subprocess.run([command, "check", str(path), "--json", "--today", TODAY.isoformat()],
                       capture_output=True, check=False)  # fmt: skip
        return time.perf_counter() - began


def main() -> None:
    """Print the figures."""
    per_row = {}
    for rows, runs in ((1_000, 31), (10_000, 7)):
        grid = grid_of(plan_values(rows))
        first, median, best = time_review(grid, runs)
        per_row[rows] = median / rows
        print(
            f"parse+checks+health {rows:>6,} rows: {median * 1000:8.1f} ms median of {runs} "
            f"({rows / median:,.0f} rows/s), best {best * 1000:.1f} ms, first run {first * 1000:.1f} ms"
        )
    print(f"cost per row, 10,000 vs 1,000 rows: {per_row[10_000] / per_row[1_000]:.2f}x (1.00 = linear)")
    budget = per_row[1_000] * 1000 * 1000
    verdict = "within" if budget < BUDGET_MS_PER_1000 else "OVER"
    print(f"budget: 1,000 rows in {budget:.1f} ms, {verdict} the {BUDGET_MS_PER_1000:.0f} ms budget")
    print(f"mutualplan check on a 10,000-row xlsx: {time_cli_on_xlsx(10_000):.2f} s wall")


if __name__ == "__main__":
    main()
