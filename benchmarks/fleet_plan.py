"""The fleet of benchmarks/fleet.py, and what it should send: N plans of 500 owners in 24 time zones, filled
in bulk (a snapshot and a Drive channel each), and their day's messages planned before the day by a dry run,
independently of the queues that will send them; after the day, which planned messages were lost."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select

from benchmarks.remind import bodies
from mutualplan.app.days import day_began
from mutualplan.app.mail import message_id
from mutualplan.app.records import PlanRecord, ReminderClaim
from mutualplan.app.remind import Remind, every_plan
from mutualplan.app.watch import token_hash
from mutualplan.store.schema import plans, reminder_items, reminders, snapshots, watch_channels
from mutualplan.store.sql import SqlStore

DAY = datetime(2027, 3, 1, tzinfo=UTC)  # the dates benchmarks.remind's plans are built around
OWNERS, ROWS = 500, 25
ZONES = (
    "Pacific/Pago_Pago", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia",
    "Atlantic/Azores", "Europe/London", "Europe/Paris", "Europe/Athens", "Europe/Moscow", "Asia/Dubai",
    "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane",
    "Pacific/Noumea", "Pacific/Auckland",
)  # fmt: skip


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


class Planned(NamedTuple):
    """A message a dry run planned: its plan, and the plan's local day it is for."""

    plan: str
    day: date


def planned(store: SqlStore) -> dict[str, Planned]:
    """What should go out, by Message-ID: each plan's messages for every local day whose 08:00-10:00 an
    hourly run of the simulated day meets, planned by a dry run day after day, each day's messages kept in
    the ledger as sent for the next day's plan (what went once never goes again), the ledger emptied after."""
    by_day: dict[date, list[PlanRecord]] = {}
    for record in every_plan(store):
        for day in reminded_days(record.time_zone):
            by_day.setdefault(day, []).append(record)
    expected, zones = {}, {record.id: record.time_zone for records in by_day.values() for record in records}
    for day, records in sorted(by_day.items()):
        messages: dict[str, list[dict[str, Any]]] = {}
        for item in dry_run(store, records, day):
            expected[message_id(item["message"])] = Planned(item["plan"], day)
            messages.setdefault(item["message"], []).append(item)
        for key, items in messages.items():
            first, at = items[0], day_began(day, zones[items[0]["plan"]]) + timedelta(hours=8)
            covers = tuple(item["key"] for item in items)
            store.claim_reminder(
                ReminderClaim(key, first["plan"], first["kind"], first["to"], "", at, covers)
            )
            store.finish_reminder(key, at)
    with store.engine.begin() as db:
        db.execute(delete(reminder_items))
        db.execute(delete(reminders))
    return expected


def dry_run(store: SqlStore, records: list[PlanRecord], day: date) -> list[dict[str, Any]]:
    """The reminders a run would send for the plans on a day, as the store stands."""
    return (
        Remind(store, lambda sender: NotImplemented, lambda email, plan: "", DAY, dry_run=True)
        .run(records, day)
        .sent
    )


def lost(
    store: SqlStore, expected: dict[str, Planned], sent: set[str], ledger: set[str], changed: set[str]
) -> list[str]:
    """The planned messages Gmail never took: each one of a plan nobody edited; of an edited plan, one the
    ledger holds (claimed, never sent) or one still due when planned again now (the edit did not undo it)."""
    unsent = {key: where for key, where in expected.items() if key not in sent}
    edited = {where for where in unsent.values() if where.plan in changed}
    still_due = set()
    for day in {where.day for where in edited}:
        records = [store.plan(where.plan) for where in edited if where.day == day]
        again = dry_run(store, [record for record in records if record is not None], day)
        still_due |= {message_id(item["message"]) for item in again}
    return [
        key for key, where in unsent.items() if where.plan not in changed or key in ledger or key in still_due
    ]


def reminded_days(zone: str) -> set[date]:
    """The local days whose reminders a zone's hourly runs in the simulated day are for."""
    hours = (DAY.astimezone(ZoneInfo(zone)) + timedelta(hours=hour) for hour in range(24))
    return {local.date() for local in hours if 8 <= local.hour < 10}


def plans_sent(store: SqlStore, placed: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Each message the ledger holds, by its Message-ID, with its plan and the plan's zone."""
    with store.engine.connect() as db:
        found = db.execute(select(reminders.c.key, reminders.c.plan_id)).all()
    return {message_id(key): (plan_id, placed[plan_id][1]) for key, plan_id in found}
