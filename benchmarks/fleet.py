"""A sales team's day on the queues: N plans (10,000 by default; --plans 100000) of 500 owners in 24 time
zones, through one simulated UTC day on a simulated clock. The hourly and 10-minute cron calls, Drive
notifications in bursts in each zone's working hours, and every task they enqueue run through the real
app functions and the real store (SQLite, or PostgreSQL with --postgres URL), behind fake Google adapters
that add a latency per call (Sheets 150 ms, Drive 100 ms, Gmail 300 ms) and count calls per API, per user
and per minute. Cloud Tasks is simulated from queue.yaml: each queue's rate, concurrency and backoff, names
taken for an hour after a task ran. A random 5% of reminder tasks (--kill) die after a send and are
redelivered. What should go out is planned first, independently, by a dry run per local day.

Budgets: longest request < 30 s; Sheets reads per minute <= 100; Gmail sends per user per second within
Google's 2.5; nothing sent twice, nothing lost, nothing sent outside 08:00-10:00 local; 10,000 plans in
under 10 minutes of wall clock. Run: python -m benchmarks.fleet [--plans N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import func, insert, select
from tests.fleet_world import FleetGoogle, Killed, QuietDrive, RecordingMailer, SimClock, fleet_services

from benchmarks.check import plan_values
from benchmarks.remind import bodies
from mutualplan.adapters.google.gmail import GMAIL_GAP
from mutualplan.adapters.google.tasks import QUEUES, sync_unit
from mutualplan.app.fanout import start
from mutualplan.app.mail import message_id
from mutualplan.app.records import FileState, PlanRecord
from mutualplan.app.remind import Remind
from mutualplan.app.tasks import run_unit
from mutualplan.app.units import Job, Outcome, Unit
from mutualplan.app.watch import on_notification, token_hash
from mutualplan.plan.diff import Editors
from mutualplan.plan.grid import Grid, grid_of
from mutualplan.store.base import make_engine
from mutualplan.store.schema import plans, reminders, snapshots, tasks, upgrade, watch_channels
from mutualplan.store.sql import SqlStore

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime(2027, 3, 1, tzinfo=UTC)  # the dates benchmarks.remind's plans are built around
OWNERS, ROWS = 500, 25
ZONES = (
    "Pacific/Pago_Pago", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia",
    "Atlantic/Azores", "Europe/London", "Europe/Paris", "Europe/Athens", "Europe/Moscow", "Asia/Dubai",
    "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane",
    "Pacific/Noumea", "Pacific/Auckland",
)  # fmt: skip
SHEETS, DRIVE, GMAIL = 0.150, 0.100, 0.300  # seconds a call
EDITED_SHARE = 0.2  # plans edited on the day, each in one burst of notifications
BUDGET_REQUEST_S, BUDGET_READS_A_MINUTE, GMAIL_PER_USER_A_SECOND = 30, 100, 2.5
BUDGET_WALL_S = 600  # at 10,000 plans


@dataclass
class Counted:
    """Calls to Google, with their moments."""

    sheets_reads: list[datetime] = field(default_factory=list)


@dataclass
class Sheet:
    """A plan's spreadsheet as the Sheets API serves it to a sync: each read one call, with latency."""

    spreadsheet: str
    grid: Grid
    clock: SimClock
    counted: Counted

    def spreadsheet_id(self) -> str:
        return self.spreadsheet

    def tabs(self) -> list[str]:
        return ["MAP"]

    def _read(self) -> None:
        self.clock.advance(SHEETS)
        self.counted.sheets_reads.append(self.clock.now())

    def read(self, tab: str) -> Grid:
        self._read()
        return self.grid

    def read_tabs(self, tabs: Any, write_to: Any = ()) -> dict[str, Grid]:
        self._read()
        return {"MAP": self.grid} if "MAP" in tabs else {}

    def apply(self, writes: Any, editor: str | None = None) -> None:
        self.clock.advance(SHEETS)

    def marker(self) -> None:
        return None

    def settings(self) -> None:
        return None

    def head_mark(self) -> None:
        return None

    def tab_gid(self, tab: str) -> None:
        return None


@dataclass
class Access:
    """A plan as its owner: its sheet, and Drive's word on who edited it."""

    workbook: Sheet
    modified_time: str | None = None

    def editors(self, tab: str) -> Editors:
        return Editors()


@dataclass
class FleetOnGoogle(FleetGoogle):
    """The fleet's Google, with a sync's Sheets behind it."""

    grids: list[Grid] = field(default_factory=list)
    counted: Counted = field(default_factory=Counted)

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> Access:  # type: ignore[override]
        self.drive._call()  # files.get: who edited last
        number = int(record.id.rpartition("-")[2])
        sheet = Sheet(
            record.spreadsheet_id, self.grids[number % len(self.grids)], self.drive.clock, self.counted
        )
        return Access(sheet)


@dataclass
class Queue:
    """One Cloud Tasks queue, as queue.yaml sets it."""

    rate: float
    concurrent: int
    backoff: float
    next_slot: datetime = DAY
    running: list[datetime] = field(default_factory=list)


@dataclass
class CloudTasks:
    """Cloud Tasks, simulated: named tasks (a name is taken until an hour after its task ran), each queue's
    rate and concurrency, retries with the queue's backoff."""

    clock: SimClock
    queues: dict[str, Queue]
    events: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    taken: dict[str, datetime | None] = field(default_factory=dict)  # name → when its task ended
    order: count[int] = field(default_factory=count)

    def push(self, at: datetime, kind: str, payload: Any) -> None:
        heapq.heappush(self.events, (at, next(self.order), kind, payload))

    def enqueue(self, units: Any) -> int:
        made = 0
        for unit in units:
            ended = self.taken.get(unit.name, DAY - timedelta(days=1))
            if ended is None or self.clock.now() - ended < timedelta(hours=1):
                continue  # ALREADY_EXISTS
            self.taken[unit.name] = None
            self.push(max(unit.not_before or self.clock.now(), self.clock.now()), "task", (unit, 1))
            made += 1
        return made

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        return self.enqueue([sync_unit(plan_id, due_at, timedelta(seconds=10))]) == 1


def queues_of_yaml() -> dict[str, Queue]:
    """The queues as queue.yaml ships them."""
    shipped = yaml.safe_load((ROOT / "queue.yaml").read_text(encoding="utf-8"))["queue"]
    return {
        queue["name"]: Queue(
            float(queue["rate"].removesuffix("/s")),
            int(queue["max_concurrent_requests"]),
            float(queue["retry_parameters"]["min_backoff_seconds"]),
        )
        for queue in shipped
    }


def owner_zone(plan: int, rng: random.Random) -> tuple[str, str]:
    """A plan's owner, and its zone: the owner's home zone mostly, a neighbour's sometimes."""
    owner = plan % OWNERS
    home = owner % len(ZONES)
    shift = rng.choice((0, 0, 0, 0, 0, 0, 0, 0, -1, 1))
    return f"seller{owner:03d}@vendor.io", ZONES[(home + shift) % len(ZONES)]


def fill(store: SqlStore, count_: int, rng: random.Random) -> dict[str, tuple[str, str]]:
    """The fleet, in bulk: plans, a snapshot each, a channel each lapsing during the day."""
    texts = bodies(verified=True)
    placed = {f"plan-{n:06d}": owner_zone(n, rng) for n in range(count_)}
    plan_rows = [
        {
            "id": plan_id,
            "spreadsheet_id": f"sheet-{plan_id}",
            "workbook": "google",
            "owner": owner,
            "title": plan_id,
            "map_tab": "MAP",
            "stakeholders_tab": "Stakeholders",
            "log_tab": "Log",
            "created_at": DAY - timedelta(days=30),
            "time_zone": zone,
        }
        for plan_id, (owner, zone) in placed.items()
    ]
    snapshot_rows = [
        {
            "plan_id": plan_id,
            "version": 1,
            "taken_at": DAY - timedelta(days=1),
            "last_seq": 0,
            "body": texts[n % len(texts)],
        }
        for n, plan_id in enumerate(placed)
    ]
    channel_rows = [
        {
            "id": f"channel-{plan_id}",
            "plan_id": plan_id,
            "token_hash": token_hash(f"token-{plan_id}"),
            "resource_id": f"resource-{plan_id}",
            "stopped": False,
            "expires_at": DAY + timedelta(seconds=rng.uniform(0, 86_400)),
        }
        for plan_id in placed
    ]
    with store.engine.begin() as db:
        for table, rows in ((plans, plan_rows), (snapshots, snapshot_rows), (watch_channels, channel_rows)):
            for start_ in range(0, len(rows), 5000):
                db.execute(insert(table), rows[start_ : start_ + 5000])
    return placed


def planned(store: SqlStore, placed: dict[str, tuple[str, str]]) -> dict[str, str]:
    """What should go out: each plan's messages for every local day whose 08:00-10:00 an hourly run of the
    simulated day meets, planned by a dry run (message id → the plan's zone)."""
    by_day: dict[date, list[PlanRecord]] = {}
    for record in store.plans():
        for day in reminded_days(record.time_zone):
            by_day.setdefault(day, []).append(record)
    expected = {}
    for day, records in by_day.items():
        dry = Remind(store, lambda sender: NotImplemented, lambda email, plan: "", DAY, dry_run=True)
        for item in dry.run(records, day).sent:
            expected[message_id(item["message"])] = placed[item["plan"]][1]
    return expected


def reminded_days(zone: str) -> set[date]:
    """The local days whose reminders a zone's hourly runs in the simulated day are for."""
    hours = (DAY.astimezone(ZoneInfo(zone)) + timedelta(hours=hour) for hour in range(24))
    return {local.date() for local in hours if 8 <= local.hour < 10}


@dataclass
class Day:
    """The day's figures."""

    longest_s: float = 0.0
    longest_what: str = ""
    killed: int = 0
    runs: Counter[str] = field(default_factory=Counter)

    def took(self, what: str, seconds: float) -> None:
        if seconds > self.longest_s:
            self.longest_s, self.longest_what = seconds, what


def simulate(
    services: Any, engine: CloudTasks, google: FleetOnGoogle, kill: float, rng: random.Random
) -> Day:
    """Run the day's events in time order: cron calls, notifications, and the tasks they enqueue."""
    clock, day, gmail = engine.clock, Day(), google.gmail
    for minute in range(0, 24 * 60, 10):
        at = DAY + timedelta(minutes=minute)
        engine.push(at, "cron", Job.RECONCILE)
        if minute % 60 == 0:
            engine.push(at, "cron", Job.REMIND)
            engine.push(at, "cron", Job.RENEW)
    for plan_id, zone in edited(services, rng):
        local = DAY.astimezone(ZoneInfo(zone))
        nine = local.replace(hour=9, minute=0, second=0, microsecond=0)  # a working day: 09:00-18:00
        opens = (nine if nine >= local else nine + timedelta(days=1)) + timedelta(
            seconds=rng.uniform(0, 32_400)
        )
        for n in range(rng.randint(2, 6)):
            engine.push(opens + timedelta(seconds=4 * n), "notify", plan_id)
    while engine.events:
        at, _, kind, payload = heapq.heappop(engine.events)
        clock.at = at
        started = time.perf_counter()
        if kind == "cron":
            start(services, payload)
            day.took(f"cron {payload.value}", elapsed(clock, at, started))
        elif kind == "notify":
            on_notification(services, f"channel-{payload}", f"token-{payload}", "update")
            day.took("notification", elapsed(clock, at, started))
        else:
            run_task(services, engine, day, payload, kill, rng, gmail)
    return day


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


def run_task(
    services: Any, engine: CloudTasks, day: Day, payload: tuple[Unit, int], kill: float, rng: random.Random,
    gmail: RecordingMailer,
) -> None:  # fmt: skip
    """Dispatch one task when its queue allows: rate, concurrency; run it; retry or end it."""
    unit, attempt = payload
    queue, clock = engine.queues[QUEUES[unit.job]], engine.clock
    now = clock.now()
    queue.running = [end for end in queue.running if end > now]
    wait = max(queue.next_slot, min(queue.running) if len(queue.running) >= queue.concurrent else now)
    if wait > now:
        engine.push(wait, "task", payload)
        return
    queue.next_slot = now + timedelta(seconds=1 / queue.rate)
    dies = unit.job is Job.REMIND and rng.random() < kill
    gmail.kill_after = len(gmail.sent) + rng.randint(1, 10) if dies else None
    started = time.perf_counter()
    try:
        outcome = run_unit(services, unit).outcome
    except Killed:
        day.killed += 1
        outcome = Outcome.RETRY
    gmail.kill_after = None
    seconds = elapsed(clock, now, started)
    day.took(f"task {unit.job.value}", seconds)
    day.runs[unit.job.value] += 1
    queue.running.append(now + timedelta(seconds=seconds))
    if outcome is Outcome.RETRY:
        backoff = queue.backoff * 2 ** (attempt - 1)
        engine.push(now + timedelta(seconds=seconds + backoff), "task", (unit, attempt + 1))
    else:
        engine.taken[unit.name] = now + timedelta(seconds=seconds)


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
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore(make_engine(args.postgres or f"sqlite:///{Path(folder) / 'store.sqlite'}"))
        upgrade(store.engine)
        placed = fill(store, args.plans, rng)
        expected = planned(store, placed)
        clock = SimClock(DAY)
        engine = CloudTasks(clock, queues_of_yaml())
        gmail = RecordingMailer(clock, latency=GMAIL)
        grids = [grid_of(plan_values(ROWS, seed)) for seed in range(10)]
        google = FleetOnGoogle(gmail, QuietDrive(clock, latency=DRIVE), grids)
        services = fleet_services(store, clock, Path(folder), google, engine, GMAIL_GAP)
        day = simulate(services, engine, google, args.kill, rng)
        with store.engine.connect() as db:
            ledger = db.execute(select(func.count()).select_from(reminders)).scalar_one()
            units = db.execute(select(func.count()).select_from(tasks)).scalar_one()
    seconds = time.perf_counter() - wall
    report(args.plans, expected, gmail, google, day, seconds, ledger, units)


def report(
    plans_: int, expected: dict[str, str], gmail: RecordingMailer, google: FleetOnGoogle, day: Day,
    seconds: float, ledger: int, units: int,
) -> None:  # fmt: skip
    """The figures, the budgets, and the budget line last."""
    sent = Counter(item.message_id for item in gmail.sent)
    twice = sum(1 for times in sent.values() if times > 1)
    lost = sum(1 for key in expected if key not in sent)
    outside = 0
    for item in gmail.sent:
        zone = expected.get(item.message_id)
        local = item.at.astimezone(ZoneInfo(zone)) if zone else None
        outside += local is None or not 8 <= local.hour < 10
    per_user = Counter((item.sender, math.floor(item.at.timestamp())) for item in gmail.sent)
    reads = Counter(math.floor(moment.timestamp() / 60) for moment in google.counted.sheets_reads)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wall clock: {seconds:.0f} s; process memory at most {rss:.0f} MB")
    print(f"runs: {dict(day.runs)}; reminder tasks killed and redelivered: {day.killed}")
    calls = f"Gmail {len(gmail.sent):,}, Sheets reads {len(google.counted.sheets_reads):,}"
    print(f"calls: {calls}, Drive {google.drive.calls:,}; store rows: ledger {ledger:,}, tasks {units:,}")
    print(f"longest request: {day.longest_s:.1f} s ({day.longest_what})")
    line = (
        f"fleet: plans={plans_} owners={OWNERS} longest_request_s={day.longest_s:.1f} "
        f"sheets_reads_per_min_peak={max(reads.values(), default=0)} "
        f"gmail_sends_per_user_per_s_peak={max(per_user.values(), default=0)} "
        f"reminders_planned={len(expected)} reminders_sent={len(sent)} sent_twice={twice} lost={lost} "
        f"sent_outside_0800_1000_local={outside}"
    )
    within = (
        day.longest_s < BUDGET_REQUEST_S and max(reads.values(), default=0) <= BUDGET_READS_A_MINUTE
        and max(per_user.values(), default=0) <= GMAIL_PER_USER_A_SECOND and twice == lost == outside == 0
        and (plans_ > 10_000 or seconds < BUDGET_WALL_S)
    )  # fmt: skip
    print(f"budget: {'within' if within else 'OVER'}")
    print(line)


if __name__ == "__main__":
    main()
