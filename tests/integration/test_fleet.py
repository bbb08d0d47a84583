"""A sales team's fleet on the queues: the cron calls only enqueue, whatever the fleet's size; a reminder
unit killed mid-way and redelivered sends every reminder exactly once; the hourly job reminds each plan at
08:00 where it lives."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from mutualplan.app.fanout import FAN_PAGE, RENEW_BATCH, start
from mutualplan.app.remind import UNFINISHED_AFTER
from mutualplan.app.tasks import drain, run_unit
from mutualplan.app.units import Job, Unit
from mutualplan.store.sql import SqlStore
from mutualplan.web import create_app
from tests.fleet_world import (
    CountingQueue,
    FleetGoogle,
    Killed,
    QuietDrive,
    RecordingMailer,
    SimClock,
    fill_channels,
    fill_plans,
    fleet_services,
    owner_of,
)
from tests.integration.test_remind import DUE_DAY, store_plan

CRON = {"X-Appengine-Cron": "true"}
FLEET, OWNERS = 10_000, 500
ZONES = ("America/Los_Angeles", "Europe/London", "Asia/Tokyo", "Asia/Kolkata")
EIGHT_IN_LONDON = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def test_every_cron_handler_enqueues_a_few_units_in_under_two_seconds_with_10000_plans(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    fill_plans(sqlite_store, FLEET, OWNERS, ZONES, EIGHT_IN_LONDON)
    fill_channels(sqlite_store, [f"plan-{n:06d}" for n in range(0, FLEET, 2)], EIGHT_IN_LONDON)
    clock, queue = SimClock(EIGHT_IN_LONDON), CountingQueue()
    google = FleetGoogle(RecordingMailer(clock), QuietDrive(clock))
    wired = fleet_services(sqlite_store, clock, tmp_path, google, queue)
    client: FlaskClient = create_app(wired, test_config={"TESTING": True}).test_client()
    fans: dict[str, list[Unit]] = {}
    for path in ("/cron/reminders", "/cron/reconcile", "/cron/channels"):
        started = time.perf_counter()
        answer = client.get(path, headers=CRON)
        assert (answer.status_code, time.perf_counter() - started < 2) == (200, True), path
        fans[path] = queue.take()
        assert answer.json == {"enqueued": len(fans[path])}
        assert client.get(path, headers=CRON).json == {"enqueued": 0}  # a cron retry: nothing twice
    assert (google.gmail.sent, google.drive.calls) == ([], 0)  # they sent nothing and called nothing
    # 08:00 at +0 and 09:00 at +1, one fan each; on a Monday, each a viewers' pipeline fan too
    assert [len(units) for units in fans.values()] == [4, 1, 1]
    assert sorted(unit.payload["of"] for unit in fans["/cron/reminders"]) == [
        "pipeline",
        "pipeline",
        "remind",
        "remind",
    ]
    london = {
        owner_of(n, OWNERS) for n in range(FLEET) if ZONES[(n // OWNERS) % len(ZONES)] == "Europe/London"
    }
    assert units_fanned_out(wired, queue, fans["/cron/reminders"], Job.REMIND) == london
    assert units_fanned_out(wired, queue, fans["/cron/reconcile"], Job.RECONCILE) == {
        owner_of(n, OWNERS) for n in range(OWNERS)
    }
    renewals = units_fanned_out(wired, queue, fans["/cron/channels"], Job.RENEW)
    assert len(renewals) == FLEET // 2 // RENEW_BATCH
    assert len({channel for batch in renewals for channel in batch.split(",")}) == FLEET // 2


def units_fanned_out(wired: object, queue: CountingQueue, fans: list[Unit], job: Job) -> set[str]:
    """Run fan units (and the pages they enqueue) to the end: the owners (or channel batches) of the job's
    units, each unit seen once."""
    made: list[Unit] = []
    while fans:
        for fan in fans:
            assert run_unit(wired, fan).said["units"] <= FAN_PAGE  # type: ignore[arg-type]
        waiting = queue.take()
        made += [unit for unit in waiting if unit.job is job]
        fans = [unit for unit in waiting if unit.job is Job.FAN]
    keys = [unit.payload.get("owner") or unit.payload["channels"] for unit in made]
    assert len(keys) == len(set(keys))
    return set(keys)


def sellers_plans(store: SqlStore, count: int) -> None:
    """One seller's plans, each due a message to the seller and one to its own champion on DUE_DAY."""
    for n in range(count):
        store_plan(store, plan_id=f"plan-{n}", champion=f"jane{n}@acme.com")


@pytest.mark.parametrize("where", ["after the send went out", "after the claim, before the send began"])
@pytest.mark.parametrize("k", [0, 1, 4, 7])
def test_a_reminder_unit_killed_after_k_sends_and_redelivered_sends_each_reminder_exactly_once(
    sqlite_store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int, where: str
) -> None:
    sellers_plans(sqlite_store, 4)
    clock = SimClock(DUE_DAY)
    gmail = RecordingMailer(clock, latency=0.3)
    wired = fleet_services(sqlite_store, clock, tmp_path, FleetGoogle(gmail, QuietDrive(clock)))
    unit = Unit(
        Job.REMIND,
        "sam@vendor.io|2026-11-27|UTC",
        {"owner": "sam@vendor.io", "day": "2026-11-27", "zones": "UTC"},
    )
    begun = sqlite_store.start_sending
    if where.startswith("after the send"):
        gmail.kill_after = k + 1  # the (k+1)th message went out; the process died before the ledger said so
    else:
        calls = Counter[str]()

        def dies_before_the_kth_send(key: str, at: datetime) -> None:
            calls["started"] += 1
            if calls["started"] == k + 1:
                raise Killed
            begun(key, at)

        monkeypatch.setattr(sqlite_store, "start_sending", dies_before_the_kth_send)
    with pytest.raises(Killed):
        run_unit(wired, unit)
    monkeypatch.setattr(sqlite_store, "start_sending", begun)
    clock.advance(10)  # the queue's backoff: redelivered
    run_unit(wired, unit)
    clock.advance(UNFINISHED_AFTER.total_seconds())
    drain(wired)  # the continuation that settles what the killed run left
    delivered = Counter(item.message_id for item in gmail.sent)
    assert (len(delivered), set(delivered.values())) == (8, {1}), delivered
    unknown = [item for n in range(4) for item in sqlite_store.unknown_reminders(f"plan-{n}", DUE_DAY)]
    assert len(unknown) == (1 if where.startswith("after the send") else 0)  # sent, and shown as unknown


def test_two_reminder_units_of_one_owner_running_at_once_keep_to_one_gmail_pace_together(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    for n, zone in enumerate(("UTC", "UTC", "Europe/London", "Europe/London")):  # one offset, two units
        store_plan(sqlite_store, time_zone=zone, plan_id=f"plan-{n}", champion=f"jane{n}@acme.com")
    clock, gap = SimClock(DUE_DAY), timedelta(seconds=0.5)
    gmail = RecordingMailer(clock, latency=0.1)
    wired = fleet_services(sqlite_store, clock, tmp_path, FleetGoogle(gmail, QuietDrive(clock)), mail_gap=gap)
    for zone in ("UTC", "Europe/London"):  # two task runners, both from 08:00
        clock.at = DUE_DAY
        payload = {"owner": "sam@vendor.io", "day": "2026-11-27", "zones": zone}
        run_unit(wired, Unit(Job.REMIND, f"sam@vendor.io|2026-11-27|{zone}", payload))
    begun = sorted(item.at - timedelta(seconds=0.1) for item in gmail.sent)  # each send's start
    assert len(begun) == 8
    assert min(later - earlier for earlier, later in pairwise(begun)) >= gap


def test_the_hourly_job_reminds_los_angeles_london_and_tokyo_once_each_between_eight_and_ten_local(
    sqlite_store: SqlStore, tmp_path: Path
) -> None:
    zones = {"plan-la": "America/Los_Angeles", "plan-london": "Europe/London", "plan-tokyo": "Asia/Tokyo"}
    for plan_id, zone in zones.items():
        store_plan(sqlite_store, time_zone=zone, plan_id=plan_id, owner=f"seller@{plan_id}.io")
    clock = SimClock(datetime(2026, 11, 26, tzinfo=UTC))
    gmail = RecordingMailer(clock, latency=0.3)
    wired = fleet_services(sqlite_store, clock, tmp_path, FleetGoogle(gmail, QuietDrive(clock)))
    while clock.now() < datetime(2026, 11, 29, tzinfo=UTC):
        start(wired, Job.REMIND)
        start(wired, Job.REMIND)  # the cron retried: nothing twice
        drain(wired)
        clock.at = clock.at.replace(minute=0, second=0) + timedelta(hours=1)
    for plan_id, zone in zones.items():
        theirs = [item for item in gmail.sent if item.sender == f"seller@{plan_id}.io"]
        local = [item.at.astimezone(ZoneInfo(zone)) for item in theirs if item.to == "jane@acme.com"]
        days = ["2026-11-26", "2026-11-27", "2026-11-28"]  # S1: upcoming, due, overdue; one message a day
        assert [moment.date().isoformat() for moment in local] == days, plan_id
        assert all(8 <= item.at.astimezone(ZoneInfo(zone)).hour < 10 for item in theirs), plan_id
    assert len({item.message_id for item in gmail.sent}) == len(gmail.sent)  # the seller's too: none twice
