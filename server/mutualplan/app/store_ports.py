"""The store's ports, one Protocol a role; a journey takes the roles it uses. `Store` gathers every role
the SQL store plays, for wiring."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from mutualplan.app.records import (
    AccountRecord,
    AccountStatus,
    ChainHead,
    ChannelRecord,
    PlanDay,
    PlanInputs,
    PlanRecord,
    Registration,
    RegistryHead,
    ReminderClaim,
    SyncBase,
)
from mutualplan.plan.audit import HeadMark, StoredEvent
from mutualplan.plan.events import Event
from mutualplan.plan.log_tab import LogSeen
from mutualplan.plan.reminder_settings import ReminderSettings
from mutualplan.plan.snapshot import Snapshot


class Plans(Protocol):
    """The plans the store follows, and each one's reminder settings."""

    def add_plan(self, record: PlanRecord) -> None:
        """Register a plan (once)."""

    def plan(self, plan_id: str) -> PlanRecord | None:
        """A registered plan."""

    def plans(self) -> list[PlanRecord]:
        """Every registered plan."""

    def plan_in(self, spreadsheet_id: str) -> PlanRecord | None:
        """The plan most lately registered in a spreadsheet."""

    def set_modified_time(self, plan_id: str, modified_time: str) -> None:
        """Remember Drive's modifiedTime as of the last sync."""

    def set_time_zone(self, plan_id: str, time_zone: str) -> None:
        """Remember the spreadsheet's time zone (its owner may change it in File › Settings)."""

    def reminder_settings(self, plan_id: str) -> ReminderSettings:
        """A plan's reminder settings (the defaults until the seller saves some)."""

    def save_reminder_settings(self, plan_id: str, settings: ReminderSettings) -> None:
        """Keep a plan's reminder settings."""


class SyncLog(Protocol):
    """Each plan's snapshots and its audit log, stored together."""

    def latest_snapshot(self, plan_id: str) -> SyncBase:
        """The newest snapshot, with its version and the audit log's last event number as of it."""

    def record_sync(
        self,
        plan_id: str,
        base_version: int,
        snapshot: Snapshot,
        found: Sequence[Event],
        at: datetime,
        log_seen: LogSeen = ...,
    ) -> list[StoredEvent]:
        """Store the events and the next snapshot at once; SyncConflictError if synced meanwhile."""

    def events(self, plan_id: str) -> list[StoredEvent]:
        """A plan's audit log, oldest first."""

    def events_since(self, plan_id: str, after_seq: int) -> list[StoredEvent]:
        """A plan's events numbered after after_seq, oldest first."""

    def chain_head(self, plan_id: str) -> ChainHead:
        """The plan's recorded chain head, and its newest snapshot's last event number."""

    def chain_holds(self, plan_id: str, mark: HeadMark) -> bool:
        """Whether the plan's chain still holds a head its spreadsheet carried (True for a head the
        store's key never signed: it proves nothing)."""


class Registry(Protocol):
    """The signed registry of plans."""

    def registrations(self) -> list[Registration]:
        """Every registration, oldest first."""

    def registry_head(self) -> RegistryHead:
        """The registry's recorded head."""


class PlanInputsLoader(Protocol):
    """What the store holds of plans' pasts, as reminding, validation and pictures need it."""

    def plan_inputs(self, plan_ids: Collection[str] | None = None) -> Iterator[tuple[str, PlanInputs]]:
        """Every synced plan's inputs, or the named plans', in a few queries whatever their number."""

    def plan_input(self, plan_id: str) -> PlanInputs | None:
        """One plan's inputs; None before its first sync."""


class SyncQueue(Protocol):
    """Where a plan's next sync waits: the store's own table (run by the sync-due cron), or Cloud Tasks."""

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        """Ask for a sync at due_at unless one is waiting; True when this request is new."""


class Channels(SyncQueue, Protocol):
    """Drive push channels, and the embedded queue of syncs they ask for."""

    def add_channel(self, channel: ChannelRecord) -> None:
        """Keep a push channel."""

    def channel(self, channel_id: str) -> ChannelRecord | None:
        """A push channel by its id."""

    def channels_expiring(self, before: datetime) -> list[ChannelRecord]:
        """The open channels that expire before a moment (expired ones included)."""

    def stop_channel(self, channel_id: str) -> None:
        """Mark a channel stopped: its notifications are refused from now on."""

    def plans_unwatched(self, open_until: datetime) -> list[PlanRecord]:
        """The Google plans with no open channel lasting past a moment."""

    def claim_due_syncs(self, now: datetime) -> list[str]:
        """Take the plans whose sync is due; each goes to exactly one caller."""


class Accounts(Protocol):
    """Sellers' offline authorisations."""

    def account(self, email: str) -> AccountRecord | None:
        """A seller's offline authorisation."""

    def save_account(self, account: AccountRecord) -> None:
        """Keep (or replace) a seller's offline authorisation."""

    def set_account_status(self, email: str, status: AccountStatus, at: datetime) -> None:
        """Mark an authorisation connected, or needing to be made again."""


class ReminderLedger(Protocol):
    """Each reminder at most once, and who asked for no more mail."""

    def claim_reminder(self, claim: ReminderClaim) -> bool:
        """Claim a reminder before sending it: False when its key is taken (sent, or being sent)."""

    def finish_reminder(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed reminder sent; None gives the claim back (the send surely failed)."""

    def mark_unfinished(self, claimed_before: datetime) -> list[str]:
        """Claims left unfinished (a crash between claim and send) become unknown: never sent again."""

    def sent_since(self, sender: str, since: datetime) -> int:
        """How many reminders a sender claimed since a moment (the daily cap counts these)."""

    def mail_since(self, since: datetime, plan_id: str | None = None) -> dict[str, PlanDay]:
        """What each plan (or one) has mailed since a moment: its messages, and their recipients."""

    def plan_mail_since(self, plan_id: str, kind: str, since: datetime, recipient: str = "") -> int:
        """How many messages of a kind one plan claimed since a moment (to one recipient, if named)."""

    def unsubscribe(self, email: str, at: datetime, plan_id: str = "") -> None:
        """Mail nobody at this address again about one plan, or (no plan) about any."""

    def unsubscribed(self) -> set[str]:
        """Every address that stopped every plan's reminders, in lower case."""

    def unsubscribed_by_plan(self) -> dict[str, set[str]]:
        """Each plan's addresses that stopped its reminders, in lower case."""


class LinkGenerations(Protocol):
    """Revocable confirmation links: each person's links on a plan carry a generation."""

    def link_generation(self, plan_id: str, email: str) -> int:
        """The generation a person's links must name to be honoured."""

    def revoke_links(self, plan_id: str, email: str) -> int:
        """Revoke every link the person holds for the plan; the new generation."""


class Store(
    Plans, SyncLog, Registry, PlanInputsLoader, Channels, Accounts, ReminderLedger, LinkGenerations, Protocol
):
    """Every role the SQL store plays."""
