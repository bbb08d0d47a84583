"""A sales team's day on the queues: N plans (10,000 by default; --plans 100000) of 500 owners in 24 time
zones, through one simulated UTC day on a simulated clock. The hourly and 10-minute cron calls, Drive
notifications in bursts in each zone's working hours, and every task they enqueue run through the real
app functions and the real store (SQLite, or PostgreSQL with --postgres URL), behind fake Google adapters
that add a latency per call (Sheets 150 ms, Drive 100 ms, Gmail 300 ms) and count calls per API, per user
and per minute. Cloud Tasks is simulated from queue.yaml: each queue's rate, concurrency and backoff, names
taken for an hour after a task ran. A random 5% of reminder tasks (--kill) die after a send and are
redelivered. What should go out is planned first, independently, by a dry run per local day (fleet_plan.py).

Budgets: longest request < 30 s; Sheets reads per minute <= 100; Gmail sends per user per second within
Google's 2.5; nothing sent twice, nothing lost, nothing sent outside 08:00-10:00 local; the day of 10,000
plans in under 10 minutes of wall clock (making and planning the fleet before it is not counted).
Run: python -m benchmarks.fleet [--plans N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from tests.fleet_world import Killed, QuietDrive, RecordingMailer, Sent, SimClock, fleet_services

from benchmarks.check import plan_values
from benchmarks.fleet_engine import CloudTasks, Runner, queues_of_yaml
from benchmarks.fleet_google import FleetOnGoogle
from benchmarks.fleet_plan import DAY, OWNERS, ROWS, Planned, fill, lost, planned, plans_sent
from mutualplan.adapters.google.gmail import GMAIL_GAP
from mutualplan.app.fanout import start
from mutualplan.app.tasks import run_unit
from mutualplan.app.units import Job, Outcome, Unit
from mutualplan.app.watch import on_notification
from mutualplan.plan.sheet.grid import grid_of
from mutualplan.store.base import make_engine
from mutualplan.store.schema import metadata, upgrade
from mutualplan.store.sql import SqlStore

ROOT = Path(__file__).resolve().parent.parent
DRIVE, GMAIL = 0.100, 0.300  # seconds a call (Sheets: fleet_google.SHEETS)
EDITED_SHARE = 0.2  # plans edited on the day, each in one burst of notifications
BUDGET_REQUEST_S, BUDGET_READS_A_MINUTE, GMAIL_PER_USER_A_SECOND = 30, 100, 2.5
BUDGET_WALL_S = 600  # at 10,000 plans
MEMORY_SAMPLE = 200  # every so many runs of a job, one is traced for its memory (tracing slows it)


@dataclass
class Day:
    """The day's figures: the longest request, runs by job, kills, and the busiest request's memory."""

    longest_s: float = 0.0
    longest_what: str = ""
    killed: int = 0
    runs: Counter[str] = field(default_factory=Counter)
    memory_peak: dict[str, int] = field(default_factory=dict)  # job → the most one sampled run allocated
    processor_s: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # job → seconds
    wall_s: float = 0.0  # the simulated day, from its first event to its last
    setup_s: float = 0.0  # the fleet filled and its reminders planned, before

    def took(self, what: str, seconds: float) -> None:
        if seconds > self.longest_s:
            self.longest_s, self.longest_what = seconds, what


def simulate(services: Any, engine: CloudTasks, run: Runner, rng: random.Random, day: Day) -> set[str]:
    """Run the day's events in time order: cron calls, notifications, and the tasks they enqueue; the plans
    edited."""
    clock = engine.clock
    for minute in range(0, 24 * 60, 10):
        at = DAY + timedelta(minutes=minute)
        engine.push(at, "cron", Job.RECONCILE)
        if minute % 60 == 0:
            engine.push(at, "cron", Job.REMIND)
            engine.push(at, "cron", Job.RENEW)
    changed = edited(services, rng)
    for plan_id, zone in changed:
        local = DAY.astimezone(ZoneInfo(zone))
        nine = local.replace(hour=9, minute=0, second=0, microsecond=0)  # a working day: 09:00-18:00
        opens = (nine if nine >= local else nine + timedelta(days=1)) + timedelta(
            seconds=rng.uniform(0, 32_400)
        )
        for n in range(rng.randint(2, 6)):
            engine.push(opens + timedelta(seconds=4 * n), "notify", plan_id)
    while (event := engine.next_event()) is not None:
        at, kind, payload = event
        clock.at, started = at, time.perf_counter()
        if kind == "dispatch":
            engine.dispatch(payload, run)
        elif kind == "cron":
            start(services, payload)
            day.took(f"cron {payload.value}", elapsed(clock, at, started))
        else:
            on_notification(services, f"channel-{payload}", f"token-{payload}", "update")
            day.took("notification", elapsed(clock, at, started))
    return {plan_id for plan_id, _ in changed}


def edited(services: Any, rng: random.Random) -> list[tuple[str, str]]:
    """The plans edited on the day, with their zones."""
    chosen = []
    after = ""
    while owners := services.store.owners(after, 200):
        for owner in owners:
            chosen += [(record.id, record.time_zone) for record in services.store.plans_of(owner)
                       if rng.random() < EDITED_SHARE]  # fmt: skip
        after = owners[-1]
    return chosen


def runner(services: Any, gmail: RecordingMailer, day: Day, kill: float, rng: random.Random) -> Runner:
    """How a dispatched task runs: through run_unit, a share of reminder units killed after a few sends
    (the queue retries them), each run timed and every MEMORY_SAMPLE-th of a job's runs traced."""
    clock = gmail.clock

    def run(unit: Unit) -> tuple[Outcome, float]:
        started_at, started = clock.now(), time.perf_counter()
        gmail.kill_after = (
            len(gmail.sent) + rng.randint(1, 10) if unit.job is Job.REMIND and rng.random() < kill else None
        )
        traced = day.runs[unit.job.value] % MEMORY_SAMPLE == 0
        if traced:
            tracemalloc.start()
        try:
            outcome = run_unit(services, unit).outcome
        except Killed:
            day.killed += 1
            outcome = Outcome.RETRY
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            day.memory_peak[unit.job.value] = max(peak, day.memory_peak.get(unit.job.value, 0))
        gmail.kill_after = None
        day.processor_s[unit.job.value] += time.perf_counter() - started
        seconds = elapsed(clock, started_at, started)
        day.took(f"task {unit.job.value}", seconds)
        day.runs[unit.job.value] += 1
        return outcome, seconds

    return run


def elapsed(clock: SimClock, started_at: datetime, started: float) -> float:
    """A request's time: the latency its calls waited, and the processor time it took here."""
    return (clock.now() - started_at).total_seconds() + time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to run the store on (default: SQLite)")
    parser.add_argument("--kill", type=float, default=0.05, help="the share of reminder tasks killed")
    args = parser.parse_args()
    rng = random.Random(7)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(make_engine(args.postgres or f"sqlite:///{Path(folder) / 'store.sqlite'}"))
        upgrade(store.engine)
        placed = fill(store, args.plans, rng)
        expected = planned(store)
        clock = SimClock(DAY)
        engine = CloudTasks(clock, queues_of_yaml(ROOT))
        gmail = RecordingMailer(clock, latency=GMAIL)
        grids = [grid_of(plan_values(ROWS, seed)) for seed in range(10)]
        google = FleetOnGoogle(gmail, QuietDrive(clock, latency=DRIVE), grids)
        services = fleet_services(store, clock, Path(folder), google, engine, GMAIL_GAP)
        day, ready = Day(), time.perf_counter()
        changed = simulate(services, engine, runner(services, gmail, day, args.kill, rng), rng, day)
        day.wall_s, day.setup_s = time.perf_counter() - ready, ready - began
        ledger = plans_sent(store, placed)
        missing = lost(store, expected, {item.message_id for item in gmail.sent}, set(ledger), changed)
        rows = rows_kept(store)
    Figures(args.plans, expected, ledger, changed, missing, gmail, google, day, rows).report()


def rows_kept(store: SqlStore) -> dict[str, int]:
    """The store's rows, table by table (what a day of the fleet leaves)."""
    with store.engine.connect() as db:
        return {
            table.name: db.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


@dataclass
class Figures:
    """The day's outcome, measured against the plan and the budgets."""

    plans: int
    expected: dict[str, Planned]  # by Message-ID: what a dry run planned before the day
    ledger: dict[str, tuple[str, str]]  # Message-ID → (plan, zone): what the ledger holds after it
    changed: set[str]  # the plans edited during the day (their messages may differ from the plan)
    lost: list[str]  # planned messages Gmail never took, and that are still due
    gmail: RecordingMailer
    google: FleetOnGoogle
    day: Day
    rows: dict[str, int]

    def report(self) -> None:
        """The figures, the budgets, and the budget line last."""
        gmail, day = self.gmail, self.day
        sent = Counter(item.message_id for item in gmail.sent)
        twice = sum(1 for times in sent.values() if times > 1)
        lost = len(self.lost)
        undone = sum(1 for key in self.expected if key not in sent) - lost  # not due after an edit
        unplanned = [key for key in sent if key not in self.expected]
        after_edits = sum(1 for key in unplanned if self.ledger[key][0] in self.changed)
        unforeseen = len(unplanned) - after_edits  # neither planned nor explained by an edit
        outside = sum(not 8 <= self._local_hour(item) < 10 for item in gmail.sent)
        per_user = max(
            Counter((item.sender, math.floor(item.at.timestamp())) for item in gmail.sent).values()
        )
        reads = Counter(math.floor(moment.timestamp() / 60) for moment in self.google.counted.sheets_reads)
        reads_peak = max(reads.values(), default=0)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
        memory = ", ".join(f"{job} {peak / 2**20:.1f} MB" for job, peak in sorted(day.memory_peak.items()))
        rows = ", ".join(f"{name} {count:,}" for name, count in self.rows.items() if count)
        calls = f"Gmail {len(gmail.sent):,}, Sheets reads {len(self.google.counted.sheets_reads):,}"
        busy = ", ".join(f"{job} {seconds:.0f} s" for job, seconds in sorted(day.processor_s.items()))
        print(
            f"wall clock: the day {day.wall_s:.0f} s (the fleet made and planned first: {day.setup_s:.0f} s)"
        )
        print(f"process memory at most {rss:.0f} MB")
        print(f"runs: {dict(day.runs)}; reminder tasks killed and redelivered: {day.killed}")
        print(f"processor time by job: {busy}")
        print(f"calls: {calls}, Drive {self.google.drive.calls:,}")
        print(f"store rows: {sum(self.rows.values()):,} ({rows})")
        print(f"the most one sampled request allocated, by job: {memory}")
        print(f"longest request: {day.longest_s:.1f} s ({day.longest_what})")
        print(
            f"against the plan: {len(unplanned)} sent unplanned ({after_edits} for plans edited that day), "
            f"{undone} planned not due after their plan was edited"
        )
        within = (
            day.longest_s < BUDGET_REQUEST_S and reads_peak <= BUDGET_READS_A_MINUTE
            and per_user <= GMAIL_PER_USER_A_SECOND and twice == lost == outside == unforeseen == 0
            and (self.plans > 10_000 or day.wall_s < BUDGET_WALL_S)
        )  # fmt: skip
        print(f"budget: {'within' if within else 'OVER'}")
        print(
            f"fleet: plans={self.plans} owners={OWNERS} longest_request_s={day.longest_s:.1f} "
            f"sheets_reads_per_min_peak={reads_peak} gmail_sends_per_user_per_s_peak={per_user} "
            f"reminders_planned={len(self.expected)} reminders_sent={len(sent)} sent_twice={twice} "
            f"lost={lost} sent_outside_0800_1000_local={outside}"
        )

    def _local_hour(self, item: Sent) -> int:
        """The hour a message went, where its plan lives."""
        return item.at.astimezone(ZoneInfo(self.ledger[item.message_id][1])).hour


if __name__ == "__main__":
    main()
