"""The store's ports, one Protocol a role; a journey takes the roles it uses. `Store` gathers every role
the SQL store plays, for wiring."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from mutualplan.app.crm_ports import CrmStore
from mutualplan.app.pipeline_ports import PipelineSheets, PipelineStore
from mutualplan.app.records import (
    AccountRecord,
    AccountStatus,
    ChainHead,
    ChannelRecord,
    PlanDay,
    PlanFailure,
    PlanInputs,
    PlanRecord,
    Registration,
    RegistryHead,
    ReminderClaim,
    SyncBase,
    Unfinished,
    UnknownReminder,
)
from mutualplan.app.units import Leased, Unit
from mutualplan.plan.history.audit import HeadMark, StoredEvent
from mutualplan.plan.history.events import Event
from mutualplan.plan.history.log_tab import LogSeen
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.settings import ReminderSettings


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


class UnitQueue(Protocol):
    """Where units of background work wait: Cloud Tasks, or the store's own queue."""

    def enqueue(self, units: Sequence[Unit]) -> int:
        """Keep units to run, each unless one of its name is already there: how many were new."""


class TaskQueues(SyncQueue, UnitQueue, Protocol):
    """A queue engine outside the store (Cloud Tasks): syncs and every other unit."""


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


class PlanFailures(Protocol):
    """The last failure of each kind of background work on a plan, until that work next succeeds."""

    def record_failure(self, plan_id: str, job: str, at: datetime, said: str) -> None:
        """Keep a plan's latest failure of one job (replacing the one before)."""

    def clear_failures(self, plan_ids: Collection[str], job: str) -> None:
        """Forget these plans' failures of one job: it just succeeded for them (one write a run)."""

    def failures(self, plan_id: str) -> list[PlanFailure]:
        """A plan's failures still standing, newest first."""


class ReminderLedger(Protocol):
    """Each reminder at most once, and who asked for no more mail."""

    def claim_reminder(self, claim: ReminderClaim) -> bool:
        """Claim a reminder before sending it: False when its key is taken (sent, or being sent)."""

    def finish_reminder(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed reminder sent; None gives the claim back (the send surely failed)."""

    def start_sending(self, key: str, at: datetime) -> None:
        """Note that a claimed message's send begins: from now on, whether it went out may be unknown."""

    def resolve_unfinished(self, claimed_before: datetime, sender: str | None = None) -> Unfinished:
        """Settle the claims a killed run left: given back when no send began, else unknown."""

    def unfinished_since(self, sender: str, since: datetime) -> datetime | None:
        """When the oldest claim of a sender still unfinished was made (since a moment)."""

    def unknown_reminders(self, plan_id: str, since: datetime) -> list[UnknownReminder]:
        """A plan's messages whose send began but was never known to end, newest first."""

    def sent_since(self, sender: str, since: datetime) -> int:
        """How many reminders a sender claimed since a moment (the daily cap counts these)."""

    def mail_since(self, since: Mapping[str, datetime]) -> dict[str, PlanDay]:
        """What each plan has mailed since its own moment: its messages, and their recipients."""

    def reserve_send(self, sender: str, now: datetime, gap: timedelta) -> datetime:
        """When a sender's next send may begin (now, or gap after the last one reserved), taken for it."""

    def plan_mail_since(self, plan_id: str, kind: str, since: datetime, recipient: str = "") -> int:
        """How many messages of a kind one plan claimed since a moment (to one recipient, if named)."""

    def unsubscribe(self, email: str, at: datetime, plan_id: str = "") -> None:
        """Mail nobody at this address again about one plan, or (no plan) about any."""

    def unsubscribed(self) -> set[str]:
        """Every address that stopped every plan's reminders, in lower case."""

    def unsubscribed_by_plan(self, plan_ids: Collection[str] | None = None) -> dict[str, set[str]]:
        """Each plan's (or each named plan's) addresses that stopped its reminders, in lower case."""


class LinkGenerations(Protocol):
    """Revocable confirmation links: each person's links on a plan carry a generation."""

    def link_generation(self, plan_id: str, email: str) -> int:
        """The generation a person's links must name to be honoured."""

    def revoke_links(self, plan_id: str, email: str) -> int:
        """Revoke every link the person holds for the plan; the new generation."""


class Fleet(Protocol):
    """Pages of the fleet, each on an index, for the jobs that fan out over it."""

    def owners(self, after: str, limit: int, zones: Collection[str] | None = None) -> list[str]:
        """Up to limit plan owners after one (in order), of every plan or of those living in some zones."""

    def plans_of(self, owner: str, zones: Collection[str] | None = None, after: str = "") -> list[PlanRecord]:
        """An owner's plans (those living in some zones, if named) after a plan id, in id order."""

    def lapsing_channels(self, before: datetime, after: str, limit: int) -> list[ChannelRecord]:
        """Up to limit open channels that expire before a moment, after a channel id, in id order."""

    def unwatched_of(self, owner: str, open_until: datetime) -> list[PlanRecord]:
        """An owner's Google plans with no open channel lasting past a moment."""


class EmbeddedQueue(Protocol):
    """The store's own queue of units, where no Cloud Tasks queue is configured."""

    def enqueue(self, units: Sequence[Unit], now: datetime) -> int:
        """Keep units to run, each unless one of its name was ever enqueued: how many were new."""

    def lease_due(self, now: datetime, lease: timedelta, limit: int) -> list[Leased]:
        """Hand out up to limit due units, oldest first, each to this caller alone until now + lease."""

    def finish_task(self, name: str, now: datetime) -> None:
        """Mark a unit done: its name stays taken."""

    def retry_task(self, name: str, at: datetime) -> None:
        """Give a unit back, to run again from a moment."""

    def next_task_at(self) -> datetime | None:
        """When the earliest unit not done may run; None when the queue is empty."""

    def forget_tasks_done(self, before: datetime) -> int:
        """Drop the units done before a moment (their names free again); how many."""


class Store(
    Plans,
    SyncLog,
    Registry,
    PlanInputsLoader,
    Channels,
    Accounts,
    PlanFailures,
    ReminderLedger,
    LinkGenerations,
    Fleet,
    EmbeddedQueue,
    PipelineStore,
    PipelineSheets,
    CrmStore,
    Protocol,
):
    """Every role the SQL store plays."""
