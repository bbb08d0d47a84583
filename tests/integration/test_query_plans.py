"""Every query background work runs is served by an index, on PostgreSQL: the statements a day's units
run (fans, an owner's reminders, reconcile, renewals, the store's own queue) are explained with sequential
scans priced out, and none may still scan a table that grows with the fleet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from mutualplan.app.fanout import start
from mutualplan.app.tasks import drain
from mutualplan.app.units import Job
from mutualplan.app.watch import open_channel
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore
from tests.fleet_world import FleetGoogle, QuietDrive, RecordingMailer, SimClock, fleet_services
from tests.integration.test_remind import DUE_DAY, store_plan
from tests.stores import open_store, store_url

# Tables read whole on purpose: the opt-outs of every plan (a row a person who stopped all mail, read
# once a unit), and the store's schema version.
READ_WHOLE = {"unsubscribes", "schema_version"}


@pytest.fixture
def postgres_store(tmp_path: Path) -> Iterator[SqlStore]:
    """A store on PostgreSQL, at the latest schema."""
    with store_url("postgresql", tmp_path) as url, open_store(url) as opened:
        upgrade(opened.engine)
        yield opened


def test_no_query_a_unit_runs_scans_a_table_that_grows_with_the_fleet(
    postgres_store: SqlStore, tmp_path: Path
) -> None:
    for n, owner in enumerate(["sam@vendor.io", "sam@vendor.io", "mia@vendor.io"]):
        store_plan(postgres_store, plan_id=f"plan-{n}", owner=owner, champion=f"jane{n}@acme.com")
    clock = SimClock(datetime.combine(DUE_DAY.date(), time(8, 5), UTC))
    google = FleetGoogle(RecordingMailer(clock), QuietDrive(clock))
    wired = fleet_services(postgres_store, clock, tmp_path, google, mail_gap=timedelta(seconds=0.5))
    record = postgres_store.plan("plan-0")
    assert record is not None
    open_channel(postgres_store, google.drive, record, "https://mp.example/hooks/drive", clock.now())  # type: ignore[arg-type]
    statements: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not many and re.match(r"\s*(SELECT|UPDATE|DELETE)\b", statement):
            statements.append((statement, parameters))

    event.listen(postgres_store.engine, "before_cursor_execute", keep)
    for job in (Job.REMIND, Job.RECONCILE):
        start(wired, job)
    clock.advance(timedelta(hours=23).total_seconds())  # the channel lapses within the margin
    start(wired, Job.RENEW)
    drain(wired)
    event.remove(postgres_store.engine, "before_cursor_execute", keep)
    assert google.gmail.sent  # reminders went
    assert google.drive.calls >= 2  # a channel was renewed
    scanned = {}
    raw = postgres_store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")  # a scan left in a plan is one no index can serve
        for statement, parameters in statements:
            cursor.execute(f"EXPLAIN {statement}", parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in re.findall(r"Seq Scan on (\w+)", plan):
                if table not in READ_WHOLE:
                    scanned[table] = f"{statement}\n{plan}"
    finally:
        raw.close()
    assert len(statements) > 30
    assert scanned == {}
