"""The store on SQLite and PostgreSQL: schema steps, the chained audit log, one sync per snapshot."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from mutualplan.app.audit import verify
from mutualplan.app.records import (
    AccountRecord,
    AccountStatus,
    PlanFailure,
    PlanRecord,
    ReminderClaim,
    SyncBase,
    WorkbookKind,
)
from mutualplan.errors import StoreError, SyncConflictError
from mutualplan.plan.history.audit import GENESIS, ChainKey, StoredEvent, chain, first_broken
from mutualplan.plan.history.events import Event, EventKind, Trust
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.store.adopt import crossed_signed_history
from mutualplan.store.plans import plan_row
from mutualplan.store.schema import LATEST, events, plans, snapshots, upgrade, version_of
from mutualplan.store.sql import SqlStore
from mutualplan.store.sync_log import SNAPSHOTS_KEPT, event_row
from tests.stores import open_store

NOW = datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=UTC)
PLAN = PlanRecord("plan-1", "sheet-1", WorkbookKind.LOCAL, "sam@vendor.io", "Acme", NOW)
SNAPSHOT = Snapshot(rows=(RowState("M01", 12, "Kickoff"),))
CONFIRMED = Event(
    EventKind.CONFIRMED, "M01", "dates", "", "… → 2027-01-05", "jane@acme.com", Trust.VERIFIED, 12
)
MOVED = Event(EventKind.DATE_MOVED, "M01", "due", "2027-01-05", "2027-01-12", sheet_row=12)
KEY = ChainKey.of("a test secret")
FIRST_PLAN_COLUMNS = {"id", "spreadsheet_id", "workbook", "owner", "title", "map_tab", "stakeholders_tab"}
FIRST_PLAN_COLUMNS |= {"log_tab", "created_at", "modified_time"}


LATER_EVENT_COLUMNS = {"via", "note", "key_id"}  # added by steps 5 and 6


def first_event_values(plan_id: str, stored: StoredEvent) -> dict[str, object]:
    """An event's row as the first schema version held it."""
    return {
        name: value for name, value in event_row(plan_id, stored).items() if name not in LATER_EVENT_COLUMNS
    }


def test_upgrading_an_empty_store_reaches_the_latest_version_and_again_changes_nothing(
    database_url: str,
) -> None:
    with open_store(database_url) as store:
        assert upgrade(store.engine) == (0, LATEST)
        assert upgrade(store.engine) == (LATEST, LATEST)
        assert version_of(store.engine) == LATEST
        store.check_schema()


def test_a_store_at_the_first_version_upgrades_keeps_its_plans_and_log_and_signs_them_once(
    database_url: str,
) -> None:
    with open_store(database_url) as store:
        upgrade(store.engine, to=1)
        (event,) = chain(GENESIS, 1, NOW, [("k1", CONFIRMED)])  # as the first version stored it
        first = {name: value for name, value in plan_row(PLAN).items() if name in FIRST_PLAN_COLUMNS}
        with store.engine.begin() as db:
            db.execute(insert(plans).values(**first))
            db.execute(insert(events).values(**first_event_values(PLAN.id, event)))
            body = SNAPSHOT.to_json()
            db.execute(
                insert(snapshots).values(plan_id=PLAN.id, version=1, taken_at=NOW, last_seq=1, body=body)
            )
        assert crossed_signed_history(*upgrade(store.engine))
        assert upgrade(store.engine) == (LATEST, LATEST)
        assert store.plan(PLAN.id) == PLAN
        assert [stored.event for stored in store.events(PLAN.id)] == [CONFIRMED]
        assert store.request_sync(PLAN.id, NOW)  # a table of the second step
        signed = SqlStore(store.engine, KEY)
        assert verify(signed, signed, signed, KEY)[0].problem is not None  # unsigned until adopted
        signed.adopt_history()
        assert [check.problem for check in verify(signed, signed, signed, KEY)] == [None]
        assert [item.plan_id for item in signed.registrations()] == [PLAN.id]
        assert signed.latest_snapshot(PLAN.id).snapshot == SNAPSHOT


def test_a_store_behind_the_code_says_to_upgrade(database_url: str) -> None:
    with open_store(database_url) as store:
        upgrade(store.engine, to=1)
        with pytest.raises(StoreError, match="run mutualplan db upgrade"):
            store.check_schema()


def test_events_come_back_as_stored_with_their_moment_in_utc(store: SqlStore) -> None:
    store.add_plan(PLAN)
    stored = store.record_sync(PLAN.id, 0, SNAPSHOT, [CONFIRMED, MOVED], NOW)
    assert store.events(PLAN.id) == stored
    assert [item.seq for item in stored] == [1, 2]
    assert store.latest_snapshot(PLAN.id) == SyncBase(1, SNAPSHOT, last_seq=2)


def test_the_audit_log_is_a_hash_chain_that_shows_a_rewritten_event(store: SqlStore) -> None:
    store.add_plan(PLAN)
    store.record_sync(PLAN.id, 0, SNAPSHOT, [CONFIRMED], NOW)
    store.record_sync(PLAN.id, 1, SNAPSHOT, [MOVED], NOW + timedelta(minutes=5))
    assert first_broken(stored.link() for stored in store.events(PLAN.id)) is None
    with store.engine.begin() as db:
        db.execute(update(events).where(events.c.seq == 1).values(who="mallory@vendor.io"))
    assert first_broken(stored.link() for stored in store.events(PLAN.id)) == (
        1,
        "its content does not match its hash",
    )


def test_a_second_sync_from_the_same_snapshot_stores_nothing(store: SqlStore) -> None:
    store.add_plan(PLAN)
    store.record_sync(PLAN.id, 0, SNAPSHOT, [CONFIRMED], NOW)
    with pytest.raises(SyncConflictError):
        store.record_sync(PLAN.id, 0, SNAPSHOT, [CONFIRMED, MOVED], NOW)
    assert [stored.event for stored in store.events(PLAN.id)] == [CONFIRMED]
    assert store.latest_snapshot(PLAN.id) == SyncBase(1, SNAPSHOT, last_seq=1)


def test_adding_a_plan_twice_keeps_the_first(store: SqlStore) -> None:
    store.add_plan(PLAN)
    store.add_plan(PlanRecord("plan-1", "other", WorkbookKind.GOOGLE, "x@y.z", "Other", NOW))
    assert store.plans() == [PLAN]


def test_the_plan_in_a_spreadsheet_is_the_one_most_lately_registered_there(store: SqlStore) -> None:
    store.add_plan(PLAN)
    adopted = PlanRecord("plan-2", "sheet-1", WorkbookKind.LOCAL, "ann@vendor.io", "Acme", NOW + timedelta(1))
    store.add_plan(adopted)
    assert (store.plan_in("sheet-1"), store.plan_in("sheet-9")) == (adopted, None)


def test_a_plans_time_zone_is_kept_as_last_told(store: SqlStore) -> None:
    store.add_plan(PLAN)
    store.set_time_zone(PLAN.id, "Asia/Kolkata")
    assert store.plan(PLAN.id) == replace(PLAN, time_zone="Asia/Kolkata")


def test_a_pending_sync_is_asked_for_once_and_claimed_once_when_due(store: SqlStore) -> None:
    store.add_plan(PLAN)
    assert store.request_sync(PLAN.id, NOW + timedelta(seconds=10))
    assert not store.request_sync(PLAN.id, NOW + timedelta(seconds=12))
    assert store.claim_due_syncs(NOW + timedelta(seconds=9)) == []
    assert store.claim_due_syncs(NOW + timedelta(seconds=10)) == [PLAN.id]
    assert store.claim_due_syncs(NOW + timedelta(seconds=11)) == []


def test_a_plans_failure_of_a_job_is_kept_replaced_by_the_next_and_cleared_by_a_success(
    store: SqlStore,
) -> None:
    store.add_plan(PLAN)
    store.record_failure(PLAN.id, "sync", NOW, "the tab is gone")
    store.record_failure(PLAN.id, "remind", NOW + timedelta(minutes=1), "a bug")
    store.record_failure(PLAN.id, "sync", NOW + timedelta(minutes=2), "the tab is still gone")
    assert store.failures(PLAN.id) == [
        PlanFailure("sync", NOW + timedelta(minutes=2), "the tab is still gone"),
        PlanFailure("remind", NOW + timedelta(minutes=1), "a bug"),
    ]
    store.clear_failures([PLAN.id], "sync")
    store.clear_failures([PLAN.id, "plan-none"], "renew")  # none to clear: nothing happens
    store.clear_failures([], "remind")
    assert [failure.job for failure in store.failures(PLAN.id)] == ["remind"]


def test_an_account_is_kept_by_its_email_in_any_case_and_replaced_whole(store: SqlStore) -> None:
    store.save_account(AccountRecord("Sam@Vendor.io", "encrypted-1", AccountStatus.CONNECTED, NOW))
    store.save_account(AccountRecord("sam@vendor.io", "encrypted-2", AccountStatus.CONNECTED, NOW))
    assert store.account("SAM@vendor.io") == AccountRecord(
        "sam@vendor.io", "encrypted-2", AccountStatus.CONNECTED, NOW
    )
    store.set_account_status("sam@vendor.io", AccountStatus.RECONNECT, NOW + timedelta(hours=1))
    account = store.account("sam@vendor.io")
    assert account is not None
    assert (account.status, account.refresh_token) == (AccountStatus.RECONNECT, "encrypted-2")
    assert store.account("nobody@vendor.io") is None


def test_reminder_settings_are_the_defaults_until_saved(store: SqlStore) -> None:
    store.add_plan(PLAN)
    assert store.reminder_settings(PLAN.id) == ReminderSettings()
    chosen = ReminderSettings(days_ahead=5, owners=False, champion=True, digest=False)
    store.save_reminder_settings(PLAN.id, chosen)
    assert store.reminder_settings(PLAN.id) == chosen


def test_plan_inputs_load_every_plans_newest_snapshot_settings_ledger_and_slips_at_once(
    store: SqlStore,
) -> None:
    store.add_plan(PLAN)
    other = PlanRecord("plan-2", "sheet-2", WorkbookKind.LOCAL, "sam@vendor.io", "Globex", NOW)
    store.add_plan(other)
    newer = Snapshot(rows=(RowState("M01", 12, "Kickoff, moved"),))
    store.record_sync(PLAN.id, 0, SNAPSHOT, [CONFIRMED], NOW)
    store.record_sync(
        PLAN.id, 1, newer, [MOVED, replace(MOVED, row="M02", old="2027-01-20", new="2027-01-12")], NOW
    )
    store.save_reminder_settings(PLAN.id, ReminderSettings(days_ahead=7))
    store.claim_reminder(ReminderClaim("k1", PLAN.id, "due", "jane@acme.com", "sam@vendor.io", NOW))
    inputs = dict(store.plan_inputs())
    assert set(inputs) == {PLAN.id}  # plan-2 was never synced
    found = inputs[PLAN.id]
    assert (found.snapshot, found.settings.days_ahead, found.claimed) == (newer, 7, {"k1": "claimed"})
    assert found.slips == (Slip("M01", date(2027, 1, 5), date(2027, 1, 12)),)  # the move earlier is no slip
    assert store.plan_input(PLAN.id) == found
    assert store.plan_input("plan-2") is None


def test_a_plan_keeps_only_its_newest_snapshots(store: SqlStore) -> None:
    store.add_plan(PLAN)
    for version in range(SNAPSHOTS_KEPT + 5):
        store.record_sync(PLAN.id, version, SNAPSHOT, [], NOW)
    with store.engine.connect() as db:
        versions = sorted(db.execute(select(snapshots.c.version)).scalars())
    assert versions == list(range(6, SNAPSHOTS_KEPT + 6))
    assert store.latest_snapshot(PLAN.id).version == SNAPSHOTS_KEPT + 5
