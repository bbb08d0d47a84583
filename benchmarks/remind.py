"""Planning reminders for 10,000 stored plans of 25 rows, from the store, as `mutualplan remind --dry-run`
does. Budget: under 5 s and 300 MB on this machine, in the steady state where the customer's ticks are
verified. Also printed: the first run after every date in every plan was ticked in a Google Sheet (all
claims), when each named person gets their one verify request. Run: python -m benchmarks.remind
"""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from tests.support import confirmers_ticked

from benchmarks.check import plan_values
from mutualplan.app.remind import Remind
from mutualplan.plan.history.diff import Editors, diff
from mutualplan.plan.sheet.grid import grid_of
from mutualplan.plan.sheet.parse import parse
from mutualplan.store.base import make_engine
from mutualplan.store.schema import plans, snapshots, upgrade
from mutualplan.store.sql import SqlStore

PLANS = 10_000
ROWS = 25
VARIANTS = 50  # distinct plan bodies, dated around today; each stored plan is one of them
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
BUDGET_SECONDS, BUDGET_MB = 5.0, 300


def bodies(verified: bool) -> list[str]:
    """Snapshot JSON of varied 25-row plans: their ticks verified (each confirmer ticked their own row in
    the embedded workbook), or all claims (ticked in a Google Sheet)."""
    made = []
    for seed in range(VARIANTS):
        plan = parse(grid_of(plan_values(ROWS, seed))).plan
        made.append(diff(None, plan, confirmers_ticked(plan) if verified else Editors()).snapshot.to_json())
    return made


def fill(store: SqlStore, verified: bool) -> None:
    """10,000 synced plans, inserted in bulk (the setup is not what is measured)."""
    texts = bodies(verified)
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


def run(verified: bool) -> tuple[float, int, int]:
    """Seconds, reminders planned and skipped for 10,000 plans."""
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(make_engine(f"sqlite:///{Path(folder) / 'store.sqlite'}"))
        upgrade(store.engine)
        fill(store, verified)
        started = time.perf_counter()
        remind = Remind(
            store,
            lambda sender: NotImplemented,
            lambda email, plan: "https://mp.example/u",
            NOW,
            dry_run=True,
        )
        report = remind.run(store.plans())
        return time.perf_counter() - started, len(report.sent), len(report.skipped)


def main() -> None:
    seconds, planned, skipped = run(verified=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the whole process, setup included
    print(
        f"{PLANS:,} plans of {ROWS} rows, verified: {seconds:.2f} s, {planned:,} planned, {skipped:,} skipped"
    )
    print(f"memory: {rss:.0f} MB resident at most (the whole process, setup included)")
    within = seconds < BUDGET_SECONDS and rss < BUDGET_MB
    print(f"budget: under {BUDGET_SECONDS:.0f} s and {BUDGET_MB} MB — {'within' if within else 'OVER'}")
    seconds, planned, skipped = run(verified=False)
    print(f"every date a claim, the first run: {seconds:.2f} s, {planned:,} planned, {skipped:,} skipped")


if __name__ == "__main__":
    main()
