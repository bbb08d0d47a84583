"""The ports the journeys talk through, one Protocol a role; adapters and the store implement them.

A journey takes only the roles it uses. `Store` gathers the roles the SQL store plays, for wiring."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from mutualplan.app.records import (
    AccountRecord,
    AccountStatus,
    ChainHead,
    ChannelRecord,
    FileState,
    OutboxEntry,
    PlanInputs,
    PlanRecord,
    ReminderClaim,
    SpreadsheetInfo,
    SyncBase,
    Watch,
    WorkbookKind,
)
from mutualplan.plan.audit import StoredEvent
from mutualplan.plan.diff import Editors
from mutualplan.plan.events import Event
from mutualplan.plan.grid import Grid
from mutualplan.plan.layout import PlanMarker, TableSpec, Write
from mutualplan.plan.reminder_settings import ReminderSettings
from mutualplan.plan.snapshot import Snapshot
from mutualplan.plan.template import Template


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


class LocalSheet(Workbook, Protocol):
    """An embedded spreadsheet, which also knows each cell's type, marks and last editor."""

    def table(self, tab: str) -> TableSpec | None:
        """The typed plan table of a tab, if it has one."""
        ...

    def marks(self, tab: str) -> dict[tuple[int, int], tuple[str, str]]:
        """Validation marks by (row, col): note and colour."""
        ...

    def editors(self, tab: str) -> Editors:
        """Who last edited each cell."""
        ...

    def last_edit(self) -> tuple[str | None, str | None]:
        """When the spreadsheet was last edited (ISO) and by whom."""
        ...


class LocalSheets(Protocol):
    """The embedded spreadsheets of a workspace."""

    def create(self, title: str) -> LocalSheet:
        """A new, empty spreadsheet."""
        ...

    def copy(self, spreadsheet_id: str, title: str) -> LocalSheet:
        """A copy of a spreadsheet, as Drive's Make a copy."""
        ...

    def open(self, plan_or_spreadsheet: str) -> LocalSheet:
        """A spreadsheet by its id, or by the id of the plan it holds."""
        ...

    def title(self, spreadsheet_id: str) -> str:
        """A spreadsheet's title."""
        ...

    def spreadsheets(self) -> list[SpreadsheetInfo]:
        """Every spreadsheet, with the plan it holds."""
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


class Outbox(Mailer, Protocol):
    """The local mailer, whose messages can be read back."""

    def entries(self) -> list[OutboxEntry]:
        """Every message, newest first."""
        ...

    def message(self, entry: OutboxEntry) -> EmailMessage:
        """One message as sent."""
        ...


class Sealer(Protocol):
    """Seals small values to hand through a browser or keep at rest: unreadable and unforgeable."""

    def seal(self, purpose: str, data: dict[str, Any]) -> str:
        """Data for one purpose, to hand through the browser and get back unchanged."""
        ...

    def unseal(self, purpose: str, sealed: str, max_age_seconds: int) -> dict[str, Any]:
        """Sealed data back, if ours, for this purpose and young enough; an InputError otherwise."""
        ...

    def encrypt(self, text: str) -> str:
        """A secret as stored (a refresh token)."""
        ...

    def decrypt(self, sealed: str) -> str:
        """A stored secret back."""
        ...


class TemplateLibrary(Protocol):
    """The plan templates."""

    def all(self) -> list[Template]:
        """Every template, by name."""
        ...

    def named(self, name: str) -> Template:
        """One template; an InputError lists the names there are."""
        ...


class Platform(Protocol):
    """Where plans live (Google, or this machine): their spreadsheets, Drive and mail, as the person in the
    sidebar (their token) or as a plan's owner (their offline grant, for background work)."""

    @property
    def kind(self) -> WorkbookKind:
        """What the plans stamped here are kept in."""
        ...

    def user_email(self, token: str) -> str:
        """Whose a sidebar token is."""
        ...

    def plan_for_user(self, token: str, spreadsheet_id: str) -> PlanAccess:
        """A spreadsheet as the person in the sidebar, with the platform's word on who edited it."""
        ...

    def drive_for_user(self, token: str) -> Drive:
        """Drive as the person in the sidebar."""
        ...

    def drive_for_owner(self, owner: str) -> Drive:
        """Drive as a plan's owner, with their offline grant."""
        ...

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> PlanAccess:
        """A plan as its owner, for background syncs (state: what Drive already said of the file)."""
        ...

    def mailer_for(self, sender: str) -> Mailer:
        """How to send mail as a plan's owner."""
        ...


@dataclass(frozen=True, slots=True)
class Grant:
    """What Google's token endpoint gave for an offline authorisation."""

    email: str
    refresh_token: str | None
    scopes: frozenset[str]


class Identity(Protocol):
    """Google's word on who someone is: signed ID tokens, and the offline-authorisation exchange."""

    def verified_email(self, authorization: str | None, audiences: Sequence[str]) -> str | None:
        """The verified email of a Google-signed ID token in an Authorization header, else None."""
        ...

    def consent_url(self, email: str, state: str, challenge: str, redirect_uri: str) -> str:
        """Google's consent screen for offline access (PKCE S256), for one account."""
        ...

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> Grant:
        """Exchange an authorisation code for the grant."""
        ...


class Plans(Protocol):
    """The plans the store follows, and each one's reminder settings."""

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

    def reminder_settings(self, plan_id: str) -> ReminderSettings:
        """A plan's reminder settings (the defaults until the seller saves some)."""
        ...

    def save_reminder_settings(self, plan_id: str, settings: ReminderSettings) -> None:
        """Keep a plan's reminder settings."""
        ...


class SyncLog(Protocol):
    """Each plan's snapshots and its audit log, stored together."""

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

    def events_since(self, plan_id: str, after_seq: int) -> list[StoredEvent]:
        """A plan's events numbered after after_seq, oldest first."""
        ...

    def chain_head(self, plan_id: str) -> ChainHead:
        """The plan's recorded chain head, and its newest snapshot's last event number."""
        ...


class PlanInputsLoader(Protocol):
    """What the store holds of plans' pasts, as reminding, validation and pictures need it."""

    def plan_inputs(self) -> Iterator[tuple[str, PlanInputs]]:
        """Every synced plan's inputs, in a few queries whatever their number."""
        ...

    def plan_input(self, plan_id: str) -> PlanInputs | None:
        """One plan's inputs; None before its first sync."""
        ...


class Channels(Protocol):
    """Drive push channels, and the queue of syncs they ask for."""

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

    def plans_unwatched(self, open_until: datetime) -> list[PlanRecord]:
        """The Google plans with no open channel lasting past a moment."""
        ...

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Ask for a sync at due_at unless one is waiting; True when this request is new."""
        ...

    def claim_due_syncs(self, now: datetime) -> list[str]:
        """Take the plans whose sync is due; each goes to exactly one caller."""
        ...


class Accounts(Protocol):
    """Sellers' offline authorisations."""

    def account(self, email: str) -> AccountRecord | None:
        """A seller's offline authorisation."""
        ...

    def save_account(self, account: AccountRecord) -> None:
        """Keep (or replace) a seller's offline authorisation."""
        ...

    def set_account_status(self, email: str, status: AccountStatus, at: datetime) -> None:
        """Mark an authorisation connected, or needing to be made again."""
        ...


class ReminderLedger(Protocol):
    """Each reminder at most once, and who asked for no more mail."""

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

    def unsubscribe(self, email: str, at: datetime, plan_id: str = "") -> None:
        """Mail nobody at this address again about one plan, or (no plan) about any."""
        ...

    def unsubscribed(self) -> set[str]:
        """Every address that stopped every plan's reminders, in lower case."""
        ...

    def unsubscribed_by_plan(self) -> dict[str, set[str]]:
        """Each plan's addresses that stopped its reminders, in lower case."""
        ...


class LinkGenerations(Protocol):
    """Revocable confirmation links: each person's links on a plan carry a generation."""

    def link_generation(self, plan_id: str, email: str) -> int:
        """The generation a person's links must name to be honoured."""
        ...

    def revoke_links(self, plan_id: str, email: str) -> int:
        """Revoke every link the person holds for the plan; the new generation."""
        ...


class Store(Plans, SyncLog, PlanInputsLoader, Channels, Accounts, ReminderLedger, LinkGenerations, Protocol):
    """Every role the SQL store plays."""
