"""The plan's signed audit head rides in its spreadsheet (Google developer metadata, the embedded
workbook's own column): written in the sync's one write, and checked at the next sync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from mutualplan.adapters.google.sheets_requests import HEAD_KEY
from mutualplan.plan.history.audit import ChainKey, HeadMark
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.layout import Kind, PlanMarker, SetCell, SetHeadMark, Value
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.schema import events, plans, snapshots
from mutualplan.store.sql import SqlStore
from tests.integration.sync_harness import Harness, harness

KEY = ChainKey.of("the server's secret")


@pytest.fixture(params=["local", "google"])
def plan(request: pytest.FixtureRequest, tmp_path: Path, sqlite_store: SqlStore) -> Iterator[Harness]:
    """A stamped, registered, baselined plan whose store signs with a key."""
    with harness(request.param, tmp_path, SqlStore(sqlite_store.engine, KEY)) as ready:
        yield ready


def carried(plan: Harness) -> HeadMark:
    mark = HeadMark.of_text(plan.workbook.head_mark())
    assert mark is not None
    return mark


def test_the_sheet_carries_the_head_the_store_held_when_the_sync_wrote(plan: Harness) -> None:
    plan.edit(1, Column.STATUS, "In progress", "sam@vendor.io")
    plan.sync()
    first = plan.store.chain_head(plan.record.id)
    plan.edit(2, Column.STATUS, "In progress", "sam@vendor.io")
    plan.sync()
    mark = carried(plan)
    assert (mark.plan_id, mark.count, mark.last_hash) == (plan.record.id, first.count, first.last_hash)
    assert mark.signed_by(KEY)
    assert plan.store.chain_holds(plan.record.id, mark)


def test_on_google_the_head_goes_in_the_same_batch_update_as_the_log_lines(
    tmp_path: Path, sqlite_store: SqlStore
) -> None:
    with harness("google", tmp_path, SqlStore(sqlite_store.engine, KEY)) as plan:
        assert plan.api is not None
        plan.edit(1, Column.STATUS, "In progress", "sam@vendor.io")
        reads, writes = plan.api.reads, plan.api.writes
        plan.sync()
        assert (plan.api.reads - reads, plan.api.writes - writes) == (1, 1)
        assert [item["metadataKey"] for item in plan.api.metadata].count(HEAD_KEY) == 1


def test_a_store_that_lost_the_plans_history_is_named_at_the_next_sync(plan: Harness) -> None:
    plan.edit(1, Column.STATUS, "In progress", "sam@vendor.io")
    plan.sync()
    plan.edit(2, Column.STATUS, "In progress", "sam@vendor.io")
    plan.sync()
    saw = carried(plan).count
    assert saw > 0
    store = plan.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as db:  # a writer without the key empties the plan's history
        db.execute(delete(events).where(events.c.plan_id == plan.record.id))
        db.execute(delete(snapshots).where(snapshots.c.plan_id == plan.record.id))
        db.execute(update(plans).values(head_count=0))
    lost = [stored.event for stored in plan.sync().events if stored.event.kind is EventKind.HISTORY_LOST]
    assert [(event.old, event.new) for event in lost] == [(str(saw), "0")]
    assert lost[0].describe() == f"History lost: the spreadsheet saw {saw} events, the store had 0"
    plan.edit(3, Column.STATUS, "In progress", "sam@vendor.io")
    assert EventKind.HISTORY_LOST not in [stored.event.kind for stored in plan.sync().events]  # said once


def test_a_head_the_key_never_signed_or_junk_in_the_metadata_proves_nothing(plan: Harness) -> None:
    forged = HeadMark(plan.record.id, 99, "f" * 64, "0" * 64).to_text()
    junk = (forged, "{not json", '{"plan": 1, "count": "x", "hash": [], "mac": null}')
    for text, status in zip(junk, ("Blocked", "In progress", "Done"), strict=True):
        plan.workbook.apply([SetHeadMark(text)])
        plan.edit(1, Column.STATUS, status, "sam@vendor.io")
        kinds = [stored.event.kind for stored in plan.sync().events]
        assert EventKind.HISTORY_LOST not in kinds
        assert carried(plan).signed_by(KEY)  # the sync put the store's own head back


@pytest.mark.parametrize("text", ["", "[]", "{not json", '{"plan_id": 7}', '{"plan_id": "p", "extra": 1}'])
def test_a_marker_in_metadata_edited_to_junk_reads_as_no_marker(text: str) -> None:
    assert PlanMarker.from_json(text) is None


def test_a_log_line_no_person_touched_is_still_put_back_when_nothing_else_changed(plan: Harness) -> None:
    plan.edit(1, Column.STATUS, "In progress", "sam@vendor.io")
    plan.sync()
    plan.sync()  # the check has seen the Log right
    before = plan.log()
    plan.workbook.apply([SetCell("Log", 1, 3, Value(Kind.TEXT, "Something else"))])  # no person's edit
    kinds = [stored.event.kind for stored in plan.sync().events]
    assert plan.log()[: len(before)] == before
    per_cell = plan.api is None  # the embedded workbook knows no person touched it: put back silently
    assert kinds == ([] if per_cell else [EventKind.LOG_RESTORED])
