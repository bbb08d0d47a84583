"""Drive push channels, notifications coalesced into syncs, the reconcile sweep: BAD_INPUTS 14 and 20."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from mutualplan.adapters.google.platform import GooglePlan
from mutualplan.app.following import follow
from mutualplan.app.ports import PlanAccess
from mutualplan.app.records import AccountStatus, ChannelRecord, FileState, PlanRecord, WorkbookKind
from mutualplan.app.watch import (
    RENEW_MARGIN,
    Notice,
    Opener,
    Renewal,
    open_channel,
    receive_notification,
    reconcile,
    renew_channels,
    run_due_syncs,
    token_hash,
)
from mutualplan.errors import GrantRevokedError
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.schema import upgrade
from tests.fake_drive import FakeDrive
from tests.integration.sync_harness import BUYER, Harness, harness
from tests.stores import open_store

ADDRESS = "https://mutualplan.example/hooks/drive"


def renew(
    plan: Harness,
    drive_for: Callable[[PlanRecord], FakeDrive],
    now: datetime,
    unwatched: list[PlanRecord] | None = None,
) -> Renewal:
    """The channels lapsing within the margin replaced, as the renewal units do (and some plans watched)."""
    lapsing = plan.store.lapsing_channels(now + RENEW_MARGIN, "", 100)
    return renew_channels(plan.store, drive_for, ADDRESS, now, lapsing, unwatched or [])


WINDOW = timedelta(seconds=10)


@pytest.fixture
def plan(google_plan: Harness) -> Harness:
    """The Google plan of every test here."""
    return google_plan


def channel_of(plan: Harness, drive: FakeDrive) -> tuple[ChannelRecord, str]:
    channel = open_channel(plan.store, drive, plan.record, ADDRESS, plan.now)
    return channel, drive.tokens[channel.id]


def opener(plan: Harness, drive: FakeDrive) -> Opener:
    def open_plan(record: PlanRecord, state: FileState | None) -> PlanAccess:
        return GooglePlan(plan.workbook, drive, record.spreadsheet_id, state)

    return open_plan


def _same(moment: datetime) -> datetime:
    return moment


def buyer_confirms(plan: Harness, drive: FakeDrive, index: int = 2) -> None:
    plan.edit(index, Column.CONFIRMED_BY, BUYER, "jane@acme.com")
    plan.edit(index, Column.CONFIRMED, "TRUE", "jane@acme.com")
    drive.touch(plan.record.spreadsheet_id, "jane@acme.com")


def test_a_channel_keeps_only_the_hash_of_its_token(plan: Harness, drive: FakeDrive) -> None:
    channel, token = channel_of(plan, drive)
    assert plan.store.channel(channel.id) == channel
    assert channel.token_hash == token_hash(token) != token
    assert channel.expires_at == plan.now + timedelta(days=1)


def test_a_notification_is_checked_against_its_channel(plan: Harness, drive: FakeDrive) -> None:
    channel, token = channel_of(plan, drive)

    def notify(channel_id: str, given: str, state: str = "update") -> Notice:
        return receive_notification(plan.store, plan.store, channel_id, given, state, plan.now, WINDOW)

    assert notify("no-such-channel", token) is Notice.UNKNOWN_CHANNEL
    assert notify(channel.id, "forged") is Notice.WRONG_TOKEN
    assert notify(channel.id, "") is Notice.WRONG_TOKEN
    assert notify(channel.id, token, "sync") is Notice.IGNORED
    assert plan.store.claim_due_syncs(plan.now + WINDOW) == []  # none of those queued anything
    assert notify(channel.id, token) is Notice.QUEUED
    assert notify(channel.id, token) is Notice.ALREADY_QUEUED  # a replayed message number too
    plan.store.stop_channel(channel.id)
    assert notify(channel.id, token) is Notice.UNKNOWN_CHANNEL


def test_fifty_notifications_in_ten_seconds_cost_at_most_two_reads(plan: Harness, drive: FakeDrive) -> None:
    assert plan.api is not None
    channel, token = channel_of(plan, drive)
    buyer_confirms(plan, drive)
    reads_before, start = plan.api.reads, plan.now
    moments = [start + timedelta(milliseconds=200 * n) for n in range(50)]
    moments[10], moments[11] = moments[11], moments[10]  # out of order
    moments.insert(20, moments[19])  # and a duplicate
    results = []
    for second in range(30):
        now = start + timedelta(seconds=second)
        for moment in [m for m in moments if now - timedelta(seconds=1) < m <= now]:
            receive_notification(plan.store, plan.store, channel.id, token, "update", moment, WINDOW)
        results += run_due_syncs(plan.store, opener(plan, drive), partial(_same, now)).synced
    assert plan.api.reads - reads_before <= 2
    assert [stored.event.kind for result in results for stored in result.events] == [EventKind.CONFIRMED]
    record = plan.store.plan(plan.record.id)
    assert record is not None
    assert record.modified_time == drive.files[plan.record.spreadsheet_id].modified_time


def test_reconcile_catches_up_on_a_lost_notification_with_one_drive_call_a_page(
    plan: Harness, drive: FakeDrive
) -> None:
    assert plan.api is not None
    buyer_confirms(plan, drive)  # and Drive's notification never comes
    reads = plan.api.reads
    report = reconcile(plan.store, drive, plan.store.plans_of(plan.record.owner), plan.store, plan.now)
    assert (report.failed, report.queued, plan.api.reads) == ([], [plan.record.id], reads)  # no Sheets read
    synced = run_due_syncs(plan.store, opener(plan, drive), lambda: plan.now)
    assert [s.event.kind for r in synced.synced for s in r.events] == [EventKind.CONFIRMED]
    reads = plan.api.reads
    again = reconcile(plan.store, drive, plan.store.plans_of(plan.record.owner), plan.store, plan.now)
    assert (again.queued, plan.api.reads) == ([], reads)  # unchanged since: no sync asked for
    assert drive.calls["list"] == 2


def test_a_sync_that_fails_is_reported_and_the_others_still_run(plan: Harness, drive: FakeDrive) -> None:
    ghost = PlanRecord("plan-ghost", "trashed-sheet", WorkbookKind.GOOGLE, "sam@vendor.io", "Gone", plan.now)
    plan.store.add_plan(ghost)
    plan.store.request_sync(ghost.id, plan.now)
    plan.store.request_sync(plan.record.id, plan.now)
    buyer_confirms(plan, drive)
    report = run_due_syncs(plan.store, opener(plan, drive), lambda: plan.now)
    assert report.failed == [("plan-ghost", "the file is gone from Google Drive")]
    assert [s.event.kind for r in report.synced for s in r.events] == [EventKind.CONFIRMED]


def test_channels_are_renewed_before_they_lapse_and_the_old_one_is_refused(
    plan: Harness, drive: FakeDrive
) -> None:
    old, token = channel_of(plan, drive)
    assert renew(plan, lambda record: drive, plan.now).opened == []  # a day to go
    later = old.expires_at - timedelta(hours=1)
    (new,) = renew(plan, lambda record: drive, later).opened
    assert (drive.stopped, new.plan_id) == ([old.id], plan.record.id)
    assert (
        receive_notification(plan.store, plan.store, old.id, token, "update", later, WINDOW)
        is Notice.UNKNOWN_CHANNEL
    )
    new_token = drive.tokens[new.id]
    assert (
        receive_notification(plan.store, plan.store, new.id, new_token, "update", later, WINDOW)
        is Notice.QUEUED
    )


def test_a_channel_that_already_lapsed_is_replaced_too(plan: Harness, drive: FakeDrive) -> None:
    old, _ = channel_of(plan, drive)
    lapsed = old.expires_at + timedelta(days=2)
    (new,) = renew(plan, lambda record: drive, lapsed).opened
    stopped = plan.store.channel(old.id)
    assert stopped is not None
    assert stopped.stopped
    assert not new.stopped


def test_one_plan_whose_grant_is_gone_never_stops_the_renewal_of_the_others(
    plan: Harness, drive: FakeDrive
) -> None:
    old, _ = channel_of(plan, drive)
    orphan = PlanRecord(
        "plan-orphan", "sheet-orphan", WorkbookKind.GOOGLE, "gone@vendor.io", "Orphan", plan.now
    )
    plan.store.add_plan(orphan)

    def drive_for(record: PlanRecord) -> FakeDrive:
        if record.owner == "gone@vendor.io":
            raise GrantRevokedError("gone@vendor.io has not connected mutualplan: Connect in the sidebar")
        return drive

    at = old.expires_at - timedelta(hours=1)
    renewal = renew(plan, drive_for, at, plan.store.unwatched_of("gone@vendor.io", at + RENEW_MARGIN))
    assert [channel.plan_id for channel in renewal.opened] == [plan.record.id]
    assert [plan_id for plan_id, _ in renewal.failed] == ["plan-orphan"]
    account = plan.store.account("gone@vendor.io")
    assert account is None or account.status is AccountStatus.RECONNECT


def test_a_google_plan_whose_first_watch_failed_gets_a_channel_at_the_next_renewal(
    plan: Harness, drive: FakeDrive
) -> None:
    assert plan.store.lapsing_channels(plan.now + timedelta(days=30), "", 10) == []  # never watched
    owner = plan.record.owner
    (opened,) = renew(plan, lambda record: drive, plan.now, plan.store.unwatched_of(owner, plan.now)).opened
    assert opened.plan_id == plan.record.id
    assert plan.store.unwatched_of(owner, plan.now) == []


def test_a_plan_stamped_on_google_is_registered_watched_and_baselined(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        upgrade(store.engine)
        with harness("google", tmp_path / "other", store) as stamped:
            drive = FakeDrive()
            drive.touch(stamped.record.spreadsheet_id, "sam@vendor.io")
            record = replace(stamped.record, id="plan-2")
            access = GooglePlan(stamped.workbook, drive, record.spreadsheet_id)
            result = follow(store, drive, access, record, ADDRESS, lambda: stamped.now)
            assert result.events == ()
            modified = drive.files[record.spreadsheet_id].modified_time
            assert store.plan("plan-2") == replace(record, modified_time=modified)
            open_channels = store.lapsing_channels(stamped.now + timedelta(days=2), "", 10)
            assert list(drive.tokens) == [channel.id for channel in open_channels]
            assert store.latest_snapshot("plan-2").version == 1
