"""Sync over the local workbook and the fake Sheets API: BAD_INPUTS 6 and 11–13, 16."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event

from mutualplan.app.sync import sync
from mutualplan.errors import NotFoundError
from mutualplan.plan.checks.sentences import sentence
from mutualplan.plan.history.events import EventKind, Trust
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.sql import SqlStore
from tests.integration.sync_harness import BUYER, OWNER, Harness, harness


@pytest.fixture(params=["local", "google"])
def plan(request: pytest.FixtureRequest, tmp_path: Path, sqlite_store: SqlStore) -> Iterator[Harness]:
    """A stamped, registered, baselined plan in each kind of workbook."""
    with harness(request.param, tmp_path, sqlite_store) as ready:
        yield ready


def synced_kinds(plan: Harness) -> list[EventKind]:
    """Sync now; the kinds of the events it stored."""
    return [stored.event.kind for stored in plan.sync().events]


def all_kinds(plan: Harness) -> list[EventKind]:
    return [stored.event.kind for stored in plan.store.events(plan.record.id)]


def confirm(plan: Harness, index: int, who: str = BUYER) -> None:
    email = who.rpartition("<")[2].rstrip(">")
    plan.edit(index, Column.CONFIRMED_BY, who, email)
    plan.edit(index, Column.CONFIRMED, "TRUE", email)


def test_the_baseline_sync_of_a_stamped_plan_records_nothing(plan: Harness) -> None:
    assert plan.results[0].events == ()
    assert plan.store.latest_snapshot(plan.record.id).version == 1


def test_a_buyers_tick_is_verified_by_the_cell_editor_and_only_claimed_in_a_google_sheet(
    plan: Harness,
) -> None:
    confirm(plan, 2)
    result = plan.sync()
    (stored,) = result.events
    local = plan.api is None
    trust = Trust.VERIFIED if local else Trust.CLAIMED
    assert (stored.event.kind, stored.event.trust) == (EventKind.CONFIRMED, trust)
    assert stored.event.who == plan.shown(BUYER)
    who = plan.shown(BUYER) if local else "unknown (Drive showed jane@acme.com)"
    assert plan.log() == [
        [
            "2026-11-22 09:02 UTC", who, f"M03 (row {plan.plan().rows[2].sheet_row})",
            sentence(stored.event), "", stored.event.new, trust.value,
        ],
    ]  # fmt: skip
    assert plan.sync().events == ()
    assert len(plan.log()) == 1


def test_moving_a_confirmed_date_voids_it_once_logs_the_slip_and_unticks_the_box(plan: Harness) -> None:
    confirm(plan, 2)
    plan.sync()
    due = plan.plan().rows[2].due.value
    assert due is not None
    plan.edit(2, Column.DUE, due.replace(day=due.day + 3 if due.day < 25 else 1).isoformat(), "jane@acme.com")
    result = plan.sync()
    assert [stored.event.kind for stored in result.events] == [
        EventKind.DATE_MOVED,
        EventKind.CONFIRMATION_VOIDED,
    ]
    row = plan.plan().rows[2]
    assert (row.confirmed, row.confirmed_by) == (False, ())
    assert len(plan.log()) == 3
    assert plan.sync().events == ()  # once
    assert len(plan.log()) == 3
    assert all_kinds(plan) == [EventKind.CONFIRMED, EventKind.DATE_MOVED, EventKind.CONFIRMATION_VOIDED]


def test_a_vendor_side_tick_is_reported_once_and_never_counted(plan: Harness) -> None:
    plan.edit(0, Column.CONFIRMED, "TRUE", OWNER)
    assert synced_kinds(plan) == [EventKind.CONFIRMATION_REJECTED]
    assert plan.plan().rows[0].confirmed  # left ticked, with a note saying why it does not count
    assert plan.sync().events == ()


def test_a_box_ticked_and_unticked_between_two_syncs_records_nothing(plan: Harness) -> None:
    plan.edit(1, Column.CONFIRMED, "TRUE", "jane@acme.com")
    plan.edit(1, Column.CONFIRMED, "FALSE", "jane@acme.com")
    assert plan.sync().events == ()


def test_setting_a_cell_to_the_value_it_has_records_nothing(plan: Harness) -> None:
    step = plan.plan().rows[4].step
    plan.edit(4, Column.STEP, step, "jane@acme.com")
    assert plan.sync().events == ()


def test_sorting_the_rows_records_nothing_and_keeps_each_confirmation_with_its_row(plan: Harness) -> None:
    confirm(plan, 2)
    plan.sync()
    count = len(plan.plan().rows)
    plan.rewrite_rows(list(reversed(range(count))), OWNER)  # IDs are protected: the seller sorts
    assert plan.sync().events == ()
    moved = next(row for row in plan.plan().rows if row.id == "M03")
    assert moved.confirmed


def test_a_deleted_row_is_removed_and_an_inserted_one_gets_a_fresh_id(plan: Harness) -> None:
    count = len(plan.plan().rows)
    plan.rewrite_rows([index for index in range(count) if index != 5], OWNER)
    assert synced_kinds(plan) == [EventKind.ROW_REMOVED]
    plan.edit(0, Column.ID, "", OWNER)  # the owner may edit IDs: as if a new row had none
    plan.edit(0, Column.STEP, "Reference call with a peer bank", OWNER)
    result = plan.sync()
    assert [(s.event.kind, s.event.row) for s in result.events] == [
        (EventKind.ROW_ADDED, f"M{count + 1:02d}"),
        (EventKind.ROW_REMOVED, "M01"),
    ]
    assert plan.plan().rows[0].id == f"M{count + 1:02d}"  # written back


def test_a_deleted_id_is_written_back_and_an_id_pasted_twice_is_mended(plan: Harness) -> None:
    plan.edit(3, Column.ID, "", OWNER)
    plan.edit(5, Column.ID, "M07", OWNER)  # M07 now on two rows
    assert plan.sync().events == ()
    assert [row.id for row in plan.plan().rows][:8] == [
        "M01",
        "M02",
        "M03",
        "M04",
        "M05",
        "M06",
        "M07",
        "M08",
    ]


def test_a_sync_that_dies_after_storing_its_events_but_before_its_snapshot_stores_them_once_on_the_next(
    plan: Harness,
) -> None:
    assert isinstance(plan.store, SqlStore)
    confirm(plan, 2)

    def die_on_snapshot(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.startswith("INSERT INTO snapshots"):
            raise RuntimeError("the process died here")

    event.listen(plan.store.engine, "before_cursor_execute", die_on_snapshot)
    with pytest.raises(RuntimeError, match="died"):
        plan.sync()
    event.remove(plan.store.engine, "before_cursor_execute", die_on_snapshot)
    assert plan.store.events(plan.record.id) == []  # one transaction: nothing half-stored
    plan.sync()
    assert all_kinds(plan) == [EventKind.CONFIRMED]
    assert len(plan.log()) == 1


def test_a_sync_that_dies_after_its_write_back_but_before_the_store_commit_records_each_event_once(
    plan: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    confirm(plan, 2)
    plan.sync()
    plan.edit(2, Column.START, "2027-01-04", "jane@acme.com")

    def die(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died before the commit")

    with monkeypatch.context() as patched:
        patched.setattr(plan.store, "record_sync", die)
        with pytest.raises(RuntimeError, match="died"):
            plan.sync()
    assert plan.plan().rows[2].confirmed is False  # the write-back landed
    plan.sync()
    assert all_kinds(plan) == [EventKind.CONFIRMED, EventKind.DATE_MOVED, EventKind.CONFIRMATION_VOIDED]
    assert len(plan.log()) == 3


def test_a_sync_of_a_plan_whose_tab_was_renamed_says_what_to_do_and_records_nothing(
    tmp_path: Path, sqlite_store: SqlStore
) -> None:
    with harness("local", tmp_path, sqlite_store) as plan:
        renamed = replace(plan.record, tabs=plan.record.tabs._replace(map="Plan of record"))
        with pytest.raises(NotFoundError, match="name the plan's tab 'Plan of record'"):
            sync(plan.store, plan.workbook, renamed, plan.editors, lambda: plan.now)
        assert plan.store.latest_snapshot(plan.record.id).version == 1


@pytest.fixture
def google(tmp_path: Path, sqlite_store: SqlStore) -> Iterator[Harness]:
    """A plan in a Google Sheet over the fake Sheets API, Drive's last editor as the only word on who."""
    with harness("google", tmp_path, sqlite_store) as ready:
        yield ready


def test_the_seller_ticking_while_drive_names_the_buyer_is_never_the_buyers_confirmation(
    google: Harness,
) -> None:
    google.edit(2, Column.CONFIRMED, "TRUE", "sam@vendor.io")
    google.last_editor = "jane@acme.com"  # Drive's coalesced last editor: the buyer edited earlier
    (stored,) = google.sync().events
    assert (stored.event.kind, stored.event.field) == (EventKind.CONFIRMATION_REJECTED, "nobody")
    assert stored.event.note == "Drive last showed jane@acme.com editing"
    assert google.plan().rows[2].confirmed_by == ()  # nothing written into Confirmed by on a guess
    assert google.log()[0][1] == "unknown (Drive showed jane@acme.com)"


def test_the_buyer_ticking_while_drive_names_the_seller_is_a_claim_with_the_hint(google: Harness) -> None:
    confirm(google, 2)
    google.last_editor = "sam@vendor.io"
    (stored,) = google.sync().events
    assert (stored.event.kind, stored.event.trust, stored.event.who) == (
        EventKind.CONFIRMED, Trust.CLAIMED, "jane@acme.com",
    )  # fmt: skip
    assert stored.event.note == "Drive last showed sam@vendor.io editing"
    row = google.store.latest_snapshot(google.record.id).snapshot
    assert row is not None
    assert row.rows[2].confirmation is not None
    assert not row.rows[2].verified
