"""Keeping up with the sheet: Drive push channels, notifications coalesced into syncs, the reconcile sweep.

A notification says only "this file changed": it is a hint to sync. Notifications for one plan within
the sync window make one pending sync; the runner claims due syncs, each by one caller. The reconcile
sweep asks Drive which spreadsheets changed (one call a page, not one read a plan) and syncs those
whose modifiedTime moved past the last sync's, catching whatever notifications were lost.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import Protocol

from mutualplan.app.ports import Drive, Store, Workbook
from mutualplan.app.records import AccountStatus, ChannelRecord, FileState, PlanRecord
from mutualplan.app.sync import SyncResult, sync
from mutualplan.errors import GrantRevokedError, MutualplanError, WorkbookError
from mutualplan.plan.diff import Editors

CHANNEL_LIFETIME = timedelta(days=1)
RENEW_MARGIN = timedelta(hours=2)  # renewal runs hourly: a channel is replaced well before it lapses


def token_hash(token: str) -> str:
    """What the store keeps of a channel token."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_channel(
    store: Store, drive: Drive, record: PlanRecord, address: str, now: datetime
) -> ChannelRecord:
    """Watch a plan's spreadsheet: Drive will post to address when it changes."""
    channel_id, token = secrets.token_hex(16), secrets.token_urlsafe(32)
    watch = drive.watch(record.spreadsheet_id, channel_id, token, address, now + CHANNEL_LIFETIME)
    channel = ChannelRecord(channel_id, record.id, token_hash(token), watch.resource_id, watch.expires_at)
    store.add_channel(channel)
    return channel


def track_google_plan(
    store: Store,
    drive: Drive,
    access: PlanAccess,
    record: PlanRecord,
    address: str,
    now: Callable[[], datetime],
) -> SyncResult:
    """Start following a plan just stamped or adopted on Google: register it, watch its spreadsheet,
    and take the first snapshot every later sync starts from."""
    store.add_plan(record)
    open_channel(store, drive, record, address, now())
    report = RunReport()
    sync_plan(store, record, lambda: access, now, report)
    if report.failed:
        raise WorkbookError(report.failed[0][1])
    return report.synced[0]


def renew_channels(
    store: Store, drive_for: Callable[[PlanRecord], Drive], address: str, now: datetime
) -> list[ChannelRecord]:
    """Replace every channel that lapses soon (or has lapsed), then stop the old one."""
    opened = []
    for old in store.channels_expiring(now + RENEW_MARGIN):
        record = store.plan(old.plan_id)
        if record is None:
            store.stop_channel(old.id)
            continue
        drive = drive_for(record)
        opened.append(open_channel(store, drive, record, address, now))
        store.stop_channel(old.id)
        with suppress(MutualplanError):  # a lapsed channel is already gone; ours is marked stopped anyway
            drive.stop(old.id, old.resource_id)
    return opened


class Notice(StrEnum):
    """What became of a Drive notification."""

    QUEUED = "queued"  # a sync is due at the end of the window
    ALREADY_QUEUED = "already queued"  # coalesced into the sync already waiting
    IGNORED = "ignored"  # the "sync" message a new channel sends first
    UNKNOWN_CHANNEL = "unknown channel"  # never opened, or stopped: 404
    WRONG_TOKEN = "wrong token"  # 403


def receive_notification(
    store: Store, channel_id: str, token: str, state: str, now: datetime, window: timedelta
) -> Notice:
    """Check a notification against its channel (constant-time token compare) and queue one sync."""
    channel = store.channel(channel_id)
    if channel is None or channel.stopped:
        return Notice.UNKNOWN_CHANNEL
    if not hmac.compare_digest(token_hash(token), channel.token_hash):
        return Notice.WRONG_TOKEN
    if state == "sync":
        return Notice.IGNORED
    return Notice.QUEUED if store.request_sync(channel.plan_id, now + window) else Notice.ALREADY_QUEUED


class PlanAccess(Protocol):
    """A plan's spreadsheet and the platform's word on who edited it."""

    @property
    def workbook(self) -> Workbook:
        """The plan's spreadsheet."""
        ...

    def editors(self, tab: str) -> Editors:
        """Who edited the tab's cells."""
        ...

    @property
    def modified_time(self) -> str | None:
        """Drive's modifiedTime as of the editors asked for (None where there is no Drive)."""
        ...


@dataclass
class GooglePlan:
    """A Google spreadsheet, with Drive's last modifying user as its editor (asked once, when needed)."""

    workbook: Workbook
    drive: Drive
    spreadsheet_id: str
    state: FileState | None = None

    def editors(self, tab: str) -> Editors:
        """Drive's last modifying user: Sheets gives no per-cell editors."""
        if self.state is None:
            self.state = self.drive.state(self.spreadsheet_id)
        return Editors(last=self.state.last_editor)

    @property
    def modified_time(self) -> str | None:
        """Drive's modifiedTime as of the editors asked for."""
        return self.state.modified_time if self.state else None


Opener = Callable[[PlanRecord, FileState | None], PlanAccess]  # a plan (and what Drive said of it) → access


@dataclass
class RunReport:
    """What a run of syncs did, and what failed (a failure never stops the other plans)."""

    synced: list[SyncResult] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (plan id, what to do)


def sync_plan(
    store: Store,
    record: PlanRecord,
    open_access: Callable[[], PlanAccess],
    now: Callable[[], datetime],
    report: RunReport,
) -> None:
    """Sync one plan, remembering Drive's modifiedTime; a failure (opening it included) goes in the report."""
    try:
        access = open_access()
        report.synced.append(sync(store, access.workbook, record, access.editors, now))
        if access.modified_time:
            store.set_modified_time(record.id, access.modified_time)
    except MutualplanError as exc:
        _failed(store, record, exc, now(), report)


def _failed(store: Store, record: PlanRecord, exc: MutualplanError, at: datetime, report: RunReport) -> None:
    """Report a plan that failed; a grant Google no longer takes flags its owner's account."""
    report.failed.append((record.id, str(exc)))
    if isinstance(exc, GrantRevokedError):
        store.set_account_status(record.owner, AccountStatus.RECONNECT, at)


def run_due_syncs(store: Store, open_plan: Opener, now: Callable[[], datetime]) -> RunReport:
    """Sync the plans whose coalesced sync is due."""
    report = RunReport()
    for plan_id in store.claim_due_syncs(now()):
        record = store.plan(plan_id)
        if record is not None:
            sync_plan(store, record, partial(open_plan, record, None), now, report)
    return report


def reconcile(
    store: Store, drive_for: Callable[[str], Drive], open_plan: Opener, now: Callable[[], datetime]
) -> RunReport:
    """Sync the Google plans whose spreadsheet changed since their last sync, by owner."""
    report = RunReport()
    by_owner: dict[str, list[PlanRecord]] = {}
    for record in store.plans():
        if record.workbook == "google":
            by_owner.setdefault(record.owner, []).append(record)
    for owner, records in by_owner.items():
        times = [record.modified_time for record in records]
        since = None if None in times else min(time for time in times if time)
        try:
            changed = {state.id: state for state in drive_for(owner).changed_since(since)}
        except MutualplanError as exc:
            for record in records:
                _failed(store, record, exc, now(), report)
            continue
        for record in records:
            state = changed.get(record.spreadsheet_id)
            if state and (record.modified_time is None or state.modified_time > record.modified_time):
                sync_plan(store, record, partial(open_plan, record, state), now, report)
    return report
