"""The ports the use cases talk through; adapters implement them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from mutualplan.plan.audit import StoredEvent
from mutualplan.plan.events import Event
from mutualplan.plan.grid import Grid
from mutualplan.plan.history import Slip
from mutualplan.plan.layout import LOG_TAB, MAP_TAB, STAKEHOLDERS_TAB, PlanMarker, Write
from mutualplan.plan.reminder_settings import ReminderSettings
from mutualplan.plan.snapshot import Snapshot


class Workbook(Protocol):
    """One spreadsheet: read a tab into a Grid; apply a list of writes at once."""

    @property
    def spreadsheet_id(self) -> str:
        """The spreadsheet's own id."""
        ...

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        ...

    def read(self, tab: str) -> Grid:
        """Every cell of one tab."""
        ...

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs in one read; a tab that does not exist is left out. write_to names tabs the
        caller writes next, whose cells are not wanted: an adapter may get ready for that in the same read."""
        ...

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Apply the writes all together, as the editor (None: the app itself)."""
        ...

    def marker(self) -> PlanMarker | None:
        """The plan marker, when the spreadsheet holds a stamped plan."""
        ...


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A plan the store knows: where its spreadsheet is and who owns it."""

    id: str
    spreadsheet_id: str
    workbook: str  # "local" or "google"
    owner: str
    title: str
    created_at: datetime
    tabs: tuple[str, str, str] = (MAP_TAB, STAKEHOLDERS_TAB, LOG_TAB)  # MAP, Stakeholders, Log
    modified_time: str | None = None  # Drive's modifiedTime as of the last sync
    time_zone: str = "UTC"  # the spreadsheet's: "today" for reminders is today there

    @classmethod
    def of(
        cls, marker: PlanMarker, workbook: str, title: str, created_at: datetime, time_zone: str = "UTC"
    ) -> PlanRecord:
        """The record of a stamped or adopted plan."""
        tabs = (marker.tab, marker.stakeholders_tab, marker.log_tab)
        return cls(
            marker.plan_id,
            marker.spreadsheet_id,
            workbook,
            marker.owner,
            title,
            created_at,
            tabs,
            None,
            time_zone,
        )


@dataclass(frozen=True, slots=True)
class FileState:
    """What Drive tells of a file: when it last changed, and who changed it (when Drive shows it)."""

    id: str
    modified_time: str  # RFC 3339, as Drive writes it: compared as text, it sorts as time
    last_editor: str | None = None


@dataclass(frozen=True, slots=True)
class Watch:
    """A push channel Drive opened on a file."""

    channel_id: str
    resource_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ChannelRecord:
    """A Drive push channel on a plan's spreadsheet; only the SHA-256 of its token is kept."""

    id: str
    plan_id: str
    token_hash: str
    resource_id: str
    expires_at: datetime
    stopped: bool = False


ACCOUNT_CONNECTED, ACCOUNT_RECONNECT = "connected", "reconnect needed"


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """A seller's offline authorisation: the refresh token, encrypted, and whether Google still takes it."""

    email: str
    refresh_token: str | None  # Fernet-encrypted
    status: str  # connected | reconnect needed
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReminderClaim:
    """A ledger entry: one reminder, claimed before it is sent."""

    key: str
    plan_id: str
    kind: str
    recipient: str
    sender: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What the store holds of a plan's past, as reminding and validation need it: its newest snapshot,
    reminder settings, ledger keys and slips."""

    snapshot: Snapshot
    settings: ReminderSettings
    claimed: frozenset[str]
    slips: tuple[Slip, ...]


@dataclass(frozen=True, slots=True)
class SyncBase:
    """What a sync starts from: the newest snapshot (None before the first), its version, and the
    number of the audit log's last event as of it."""

    version: int = 0
    snapshot: Snapshot | None = None
    last_seq: int = 0


class Store(Protocol):
    """Plans, their snapshots, the audit log and pending syncs."""

    def add_plan(self, record: PlanRecord) -> None:
        """Register a plan (once)."""
        ...

    def plan(self, plan_id: str) -> PlanRecord | None:
        """A registered plan."""
        ...

    def plans(self) -> list[PlanRecord]:
        """Every registered plan."""
        ...

    def set_modified_time(self, plan_id: str, modified_time: str) -> None:
        """Remember Drive's modifiedTime as of the last sync."""
        ...

    def latest_snapshot(self, plan_id: str) -> SyncBase:
        """The newest snapshot, with its version and the audit log's last event number as of it."""
        ...

    def record_sync(
        self, plan_id: str, base_version: int, snapshot: Snapshot, found: Sequence[Event], at: datetime
    ) -> list[StoredEvent]:
        """Store the events and the next snapshot at once; SyncConflictError if synced meanwhile."""
        ...

    def events(self, plan_id: str) -> list[StoredEvent]:
        """A plan's audit log, oldest first."""
        ...

    def add_channel(self, channel: ChannelRecord) -> None:
        """Keep a push channel."""
        ...

    def channel(self, channel_id: str) -> ChannelRecord | None:
        """A push channel by its id."""
        ...

    def channels_expiring(self, before: datetime) -> list[ChannelRecord]:
        """The open channels that expire before a moment (expired ones included)."""
        ...

    def stop_channel(self, channel_id: str) -> None:
        """Mark a channel stopped: its notifications are refused from now on."""
        ...

    def account(self, email: str) -> AccountRecord | None:
        """A seller's offline authorisation."""
        ...

    def save_account(self, account: AccountRecord) -> None:
        """Keep (or replace) a seller's offline authorisation."""
        ...

    def set_account_status(self, email: str, status: str, at: datetime) -> None:
        """Mark an authorisation connected, or needing to be made again."""
        ...

    def reminder_settings(self, plan_id: str) -> ReminderSettings:
        """A plan's reminder settings (the defaults until the seller saves some)."""
        ...

    def save_reminder_settings(self, plan_id: str, settings: ReminderSettings) -> None:
        """Keep a plan's reminder settings."""
        ...

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Ask for a sync at due_at unless one is waiting; True when this request is new."""
        ...

    def plan_inputs(self, plan_id: str | None = None) -> Iterator[tuple[str, PlanInputs]]:
        """What reminding needs, plan by plan (every synced plan, or one), in a few queries whatever their
        number."""
        ...

    def claim_reminder(self, claim: ReminderClaim) -> bool:
        """Claim a reminder before sending it: False when its key is taken (sent, or being sent)."""
        ...

    def finish_reminder(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed reminder sent; None gives the claim back (the send surely failed)."""
        ...

    def mark_unfinished(self, claimed_before: datetime) -> list[str]:
        """Claims left unfinished (a crash between claim and send) become unknown: never sent again."""
        ...

    def sent_since(self, sender: str, since: datetime) -> int:
        """How many reminders a sender claimed since a moment (the daily cap counts these)."""
        ...

    def unsubscribe(self, email: str, at: datetime) -> None:
        """Mail nobody at this address again."""
        ...

    def unsubscribed(self) -> set[str]:
        """Every address that unsubscribed, in lower case."""
        ...

    def claim_due_syncs(self, now: datetime) -> list[str]:
        """Take the plans whose sync is due; each goes to exactly one caller."""
        ...


class Drive(Protocol):
    """The Drive calls sync needs: push channels, who changed a file, which files changed."""

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        """Open a push channel on a file."""
        ...

    def stop(self, channel_id: str, resource_id: str) -> None:
        """Close a push channel."""
        ...

    def state(self, file_id: str) -> FileState:
        """When a file last changed and who changed it."""
        ...

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        """The spreadsheets that changed after a moment (RFC 3339), one call a page."""
        ...


class Mailer(Protocol):
    """Sends one message (Gmail as the seller; the local outbox; a fake in tests)."""

    def send(self, message: EmailMessage) -> None:
        """Send it, or raise the project's own error."""
        ...
