"""Planning reminders for 10,000 stored plans of 25 rows, from the store, as `mutualplan remind --dry-run`
does. Budget: under 5 s and 300 MB on this machine. Run: python -m benchmarks.remind
"""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from benchmarks.check import plan_values
from mutualplan.app.remind import Remind
from mutualplan.plan.diff import Editors, diff
from mutualplan.plan.grid import grid_of
from mutualplan.plan.parse import parse
from mutualplan.store.base import make_engine
from mutualplan.store.schema import plans, snapshots, upgrade
from mutualplan.store.sql import SqlStore

PLANS = 10_000
ROWS = 25
VARIANTS = 50  # distinct plan bodies, dated around today; each stored plan is one of them
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
BUDGET_SECONDS, BUDGET_MB = 5.0, 300


def bodies() -> list[str]:
    """Snapshot JSON of varied 25-row plans."""
    made = []
    for seed in range(VARIANTS):
        values = plan_values(ROWS, seed)
        made.append(diff(None, parse(grid_of(values)).plan, Editors()).snapshot.to_json())
    return made


def fill(store: SqlStore) -> None:
    """10,000 synced plans, inserted in bulk (the setup is not what is measured)."""
    texts = bodies()
    with store.engine.begin() as db:
        db.execute(
            insert(plans),
            [
                {
                    "id": f"plan-{n}",
                    "spreadsheet_id": f"sheet-{n}",
                    "workbook": "google",
                    "owner": f"seller{n % 40}@vendor.io",
                    "title": f"Deal {n}",
                    "map_tab": "MAP",
                    "stakeholders_tab": "Stakeholders",
                    "log_tab": "Log",
                    "created_at": NOW,
                    "time_zone": ("Europe/London", "America/New_York", "Asia/Tokyo")[n % 3],
                }
                for n in range(PLANS)
            ],
        )
        db.execute(
            insert(snapshots),
            [
                {
                    "plan_id": f"plan-{n}",
                    "version": 1,
                    "taken_at": NOW,
                    "last_seq": 0,
                    "body": texts[n % VARIANTS],
                }
                for n in range(PLANS)
            ],
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(make_engine(f"sqlite:///{Path(folder) / 'store.sqlite'}"))
        upgrade(store.engine)
        fill(store)
        started = time.perf_counter()
        run = Remind(
            store, lambda sender: NotImplemented, lambda email: "https://mp.example/u", NOW, dry_run=True
        )
        report = run.run(store.plans())
        seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the whole process, setup included
    planned, skipped = len(report.sent), len(report.skipped)
    print(
        f"{PLANS:,} plans of {ROWS} rows: {seconds:.2f} s, {planned:,} reminders planned, {skipped:,} skipped"
    )
    print(f"memory: {rss:.0f} MB resident at most (the whole process, setup included)")
    within = seconds < BUDGET_SECONDS and rss < BUDGET_MB
    print(f"budget: under {BUDGET_SECONDS:.0f} s and {BUDGET_MB} MB — {'within' if within else 'OVER'}")


if __name__ == "__main__":
    main()
