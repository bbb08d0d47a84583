"""What the app's journeys keep and hand around: plans, channels, accounts, ledger entries, sync inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from mutualplan.plan.history.audit import Link, registry_content
from mutualplan.plan.history.log_tab import NOTHING_SEEN, LogSeen
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import PlanMarker, PlanTabs


class WorkbookKind(StrEnum):
    """Where a plan's spreadsheet lives."""

    LOCAL = "local"  # the embedded workbook (the CLI, the sandbox)
    GOOGLE = "google"  # a Google Sheet


class AccountStatus(StrEnum):
    """Whether Google still takes a seller's offline authorisation."""

    CONNECTED = "connected"
    RECONNECT = "reconnect needed"


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A plan the store knows: where its spreadsheet is and who owns it."""

    id: str
    spreadsheet_id: str
    workbook: WorkbookKind
    owner: str
    title: str
    created_at: datetime
    tabs: PlanTabs = PlanTabs()  # noqa: RUF009 -- an immutable NamedTuple
    modified_time: str | None = None  # Drive's modifiedTime as of the last sync
    time_zone: str = "UTC"  # the spreadsheet's: "today" for reminders is today there

    @classmethod
    def of(
        cls,
        marker: PlanMarker,
        workbook: WorkbookKind,
        title: str,
        created_at: datetime,
        time_zone: str = "UTC",
    ) -> PlanRecord:
        """The record of a stamped or adopted plan."""
        return cls(
            marker.plan_id,
            marker.spreadsheet_id,
            workbook,
            marker.owner,
            title,
            created_at,
            marker.tabs,
            None,
            time_zone,
        )


@dataclass(frozen=True, slots=True)
class PlanFile:
    """A plan file's grids: the plan's tab, and its Stakeholders and Risks tabs when it has them."""

    plan: Grid
    stakeholders: Grid | None = None
    risks: Grid | None = None


@dataclass(frozen=True, slots=True)
class SpreadsheetSettings:
    """Where a spreadsheet is: its time zone ("today" there) and locale (how 03/04/2027 reads)."""

    time_zone: str
    locale: str


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


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """A seller's offline authorisation: the refresh token, encrypted, and whether Google still takes it."""

    email: str
    refresh_token: str | None  # encrypted by the Sealer
    status: AccountStatus
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
    covers: tuple[str, ...] = ()  # the keys of the reminders a day's message carries


@dataclass(frozen=True, slots=True)
class Unfinished:
    """What became of the claims a killed run left: given back (no send began), or unknown (one did)."""

    released: list[str]
    unknown: list[str]


@dataclass(frozen=True, slots=True)
class PlanFailure:
    """The last failure of one kind of background work on a plan (sync, remind, renew), until it next
    succeeds: when, and what it said."""

    job: str
    at: datetime
    said: str


@dataclass(frozen=True, slots=True)
class PipelineView:
    """One view of another person's plans: who looked at whose, where, when, and how many plans."""

    at: datetime
    viewer: str
    owner: str
    place: str
    plans: int


@dataclass(frozen=True, slots=True)
class PipelineSheet:
    """A Pipeline spreadsheet: whose pipeline it shows, where it lives, and its zone (Monday 08:00 there)."""

    spreadsheet_id: str
    viewer: str
    workbook: WorkbookKind
    time_zone: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UnknownReminder:
    """A message whose send began and was never known to end: it may or may not have gone out."""

    recipient: str
    kind: str
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class PlanDay:
    """What one plan has mailed on its local day so far: how many messages, and to whom."""

    messages: int = 0
    recipients: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What the store holds of a plan's past, as reminding and validation need it: its newest snapshot,
    reminder settings, ledger keys and slips."""

    snapshot: Snapshot
    settings: ReminderSettings
    claimed: Mapping[str, str]  # each ledger key of the plan → its state (sent, claimed, unknown)
    slips: tuple[Slip, ...]


@dataclass(frozen=True, slots=True)
class ChainHead:
    """What the store keeps beside a plan's audit log to show a cut: the count and last hash the plan's
    row records (signed), and the last event number its newest snapshot counts."""

    count: int
    last_hash: str
    mac: str
    snapshot_last_seq: int
    snapshot_version: int = 0
    snapshot_signed: bool = True  # False: the newest snapshot's body is not what the store's key signed


@dataclass(frozen=True, slots=True)
class RegistryHead:
    """The plan registry's recorded head: how many registrations, the last one's hash, its signature."""

    count: int = 0
    last_hash: str = ""
    mac: str = ""


@dataclass(frozen=True, slots=True)
class Registration:
    """One link of the plan registry: plan P registered, in spreadsheet S, at T."""

    seq: int
    plan_id: str
    spreadsheet_id: str
    at: datetime
    prev: str
    hash: str
    key_id: str = ""

    def link(self) -> Link:
        """The registration as the chain checks it."""
        content = registry_content(self.seq, self.plan_id, self.spreadsheet_id, self.at)
        return Link(self.seq, content, self.prev, self.hash, self.key_id)


@dataclass(frozen=True, slots=True)
class SyncBase:
    """What a sync starts from: the newest snapshot (None before the first), its version, and the
    number of the audit log's last event as of it."""

    version: int = 0
    snapshot: Snapshot | None = None
    last_seq: int = 0
    log_seen: LogSeen = NOTHING_SEEN  # the Log lines the last check found right


@dataclass(frozen=True, slots=True)
class SpreadsheetInfo:
    """A local spreadsheet and the plan it holds."""

    id: str
    title: str
    plan_id: str | None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A message in the outbox."""

    id: int
    message_id: str
    sender: str
    recipient: str
    subject: str
    sent_at: str
    file: Path
