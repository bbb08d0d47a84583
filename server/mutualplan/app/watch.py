"""Keeping up with the sheet: Drive push channels, notifications coalesced into syncs, the reconcile sweep.

A notification says only "this file changed": it is a hint to sync. Notifications for one plan within
the sync window make one pending sync — a row of the store's own queue, which the sync-due cron claims,
each by one caller, or one named Cloud Task, which calls the app when the window closes. The reconcile
sweep asks Drive which spreadsheets changed (one call a page, not one read a plan) and syncs those
whose modifiedTime moved past the last sync's, catching whatever notifications were lost.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from mutualplan.app.crm_push import owe_pushes
from mutualplan.app.failures import RENEW, SYNC, plan_failed
from mutualplan.app.ports import Drive, PlanAccess
from mutualplan.app.records import ChannelRecord, FileState, PlanRecord, WorkbookKind
from mutualplan.app.services import Services
from mutualplan.app.store_ports import Channels, Store, SyncQueue
from mutualplan.app.sync import SyncResult, sync
from mutualplan.errors import MutualplanError

CHANNEL_LIFETIME = timedelta(days=1)
RENEW_MARGIN = timedelta(hours=2)  # renewal runs hourly: a channel is replaced well before it lapses


def token_hash(token: str) -> str:
    """What the store keeps of a channel token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_channel(
    store: Channels, drive: Drive, record: PlanRecord, address: str, now: datetime
) -> ChannelRecord:
    """Watch a plan's spreadsheet: Drive will post to address when it changes."""
    channel_id, token = secrets.token_hex(16), secrets.token_urlsafe(32)
    watch = drive.watch(record.spreadsheet_id, channel_id, token, address, now + CHANNEL_LIFETIME)
    channel = ChannelRecord(channel_id, record.id, token_hash(token), watch.resource_id, watch.expires_at)
    store.add_channel(channel)
    return channel


@dataclass
class Renewal:
    """What a renewal run opened, and which plans failed and why (one failure never stops the others)."""

    opened: list[ChannelRecord] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (plan id, what to do)
    passing: bool = False  # a failure may pass (a quota, an outage): worth a retry


def renew_channels(
    store: Store,
    drive_for: Callable[[PlanRecord], Drive],
    address: str,
    now: datetime,
    lapsing: Iterable[ChannelRecord] = (),
    unwatched: Iterable[PlanRecord] = (),
) -> Renewal:
    """Replace channels that lapse soon (or have lapsed), stopping the old ones; and watch Google plans
    that have no channel at all (their first watch failed). A plan that fails is reported, and its
    owner's account flagged when Google no longer takes the grant; the other plans go on. A channel
    replaced already (a unit run twice) is left alone."""
    renewal = Renewal()
    for old in lapsing:
        if old.stopped:
            continue
        record = store.plan(old.plan_id)
        if record is None:
            store.stop_channel(old.id)
            continue
        if _watched(store, drive_for, record, address, now, renewal):
            store.stop_channel(old.id)
            with suppress(MutualplanError):  # a lapsed channel is already gone; ours is marked stopped anyway
                drive_for(record).stop(old.id, old.resource_id)
    for record in unwatched:
        _watched(store, drive_for, record, address, now, renewal)
    store.clear_failures({channel.plan_id for channel in renewal.opened}, RENEW)
    return renewal


def _watched(
    store: Store, drive_for: Callable[[PlanRecord], Drive], record: PlanRecord, address: str, now: datetime,
    renewal: Renewal,
) -> bool:  # fmt: skip
    try:
        renewal.opened.append(open_channel(store, drive_for(record), record, address, now))
    except Exception as exc:  # one plan's failure is that plan's alone (app.failures)
        plan_failed(store, record, RENEW, exc, now, renewal)
        return False
    return True


class Notice(StrEnum):
    """What became of a Drive notification."""

    QUEUED = "queued"  # a sync is due at the end of the window
    ALREADY_QUEUED = "already queued"  # coalesced into the sync already waiting
    IGNORED = "ignored"  # the "sync" message a new channel sends first
    UNKNOWN_CHANNEL = "unknown channel"  # never opened, or stopped: 404
    WRONG_TOKEN = "wrong token"  # 403


def receive_notification(
    store: Channels,
    queue: SyncQueue,
    channel_id: str,
    token: str,
    state: str,
    now: datetime,
    window: timedelta,
) -> Notice:
    """Check a notification against its channel (constant-time token compare) and queue one sync."""
    channel = store.channel(channel_id)
    if channel is None or channel.stopped:
        return Notice.UNKNOWN_CHANNEL
    if not hmac.compare_digest(token_hash(token), channel.token_hash):
        return Notice.WRONG_TOKEN
    if state == "sync":
        return Notice.IGNORED
    return Notice.QUEUED if queue.request_sync(channel.plan_id, now + window) else Notice.ALREADY_QUEUED


Opener = Callable[[PlanRecord, FileState | None], PlanAccess]  # a plan (and what Drive said of it) → access


@dataclass
class RunReport:
    """What a run of syncs did, and what failed (a failure never stops the other plans)."""

    synced: list[SyncResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (plan id, what to do)
    queued: list[str] = field(default_factory=list)  # plans whose sync was asked for (reconcile)
    passing: bool = False  # a failure may pass (a quota, an outage): worth a retry


def sync_access(
    store: Store, record: PlanRecord, access: PlanAccess, now: Callable[[], datetime]
) -> SyncResult:
    """Sync one plan through its access, remembering Drive's modifiedTime as of it."""
    result = sync(store, access.workbook, record, access.editors, now)
    if access.modified_time:
        store.set_modified_time(record.id, access.modified_time)
    return result


def sync_plan(
    store: Store,
    record: PlanRecord,
    open_access: Callable[[], PlanAccess],
    now: Callable[[], datetime],
    report: RunReport,
) -> None:
    """Sync one plan; any failure (opening it included) is that plan's alone, in the report."""
    try:
        report.synced.append(sync_access(store, record, open_access(), now))
    except Exception as exc:  # one plan's failure is that plan's alone (app.failures)
        plan_failed(store, record, SYNC, exc, now(), report)
        return
    store.clear_failures([record.id], SYNC)


def run_due_syncs(store: Store, open_plan: Opener, now: Callable[[], datetime]) -> RunReport:
    """Sync the plans whose coalesced sync is due."""
    report = RunReport()
    for plan_id in store.claim_due_syncs(now()):
        record = store.plan(plan_id)
        if record is not None:
            sync_plan(store, record, partial(open_plan, record, None), now, report)
    return report


def reconcile(
    store: Store, drive: Drive, records: Sequence[PlanRecord], queue: SyncQueue, now: datetime
) -> RunReport:
    """Ask for a sync of each of an owner's Google plans whose spreadsheet changed since its last sync (one
    Drive call a page, whatever the number of plans; no Sheets read)."""
    report = RunReport()
    records = [record for record in records if record.workbook is WorkbookKind.GOOGLE]
    if not records:
        return report
    times = [record.modified_time for record in records]
    since = None if None in times else min(time for time in times if time)
    try:
        changed = {state.id: state for state in drive.changed_since(since)}
    except Exception as exc:  # the owner's plans fail together, and only they
        for record in records:
            plan_failed(store, record, SYNC, exc, now, report)
        return report
    for record in records:
        state = changed.get(record.spreadsheet_id)
        if state and (record.modified_time is None or state.modified_time > record.modified_time):
            queue.request_sync(record.id, now)
            report.queued.append(record.id)
    return report


def on_notification(services: Services, channel_id: str, token: str, state: str) -> Notice:
    """A Drive push notification, checked and queued as one sync per window."""
    window = timedelta(seconds=services.config.sync_window_seconds)
    return receive_notification(
        services.store, services.sync_queue, channel_id, token, state, services.now(), window
    )


def sync_due(services: Services) -> RunReport:
    """Run the syncs whose window has closed in the store's own queue, each plan as its owner."""
    return _crm_told(services, run_due_syncs(services.store, services.platform.plan_for_owner, services.now))


def _crm_told(services: Services, report: RunReport) -> RunReport:
    """Owe a CRM push of each plan whose sync changed something the CRM shows (pushed within the hour)."""
    changed = [result.plan_id for result in report.synced if result.events]
    if changed:
        owe_pushes(services, changed)
    return report


def sync_queued(services: Services, plan_id: str) -> RunReport:
    """Run one sync a queue called for (a Cloud Task), the plan as its owner; an unknown plan is none."""
    report = RunReport()
    record = services.store.plan(plan_id)
    if record is not None:
        opened = partial(services.platform.plan_for_owner, record, None)
        sync_plan(services.store, record, opened, services.now, report)
    return _crm_told(services, report)
