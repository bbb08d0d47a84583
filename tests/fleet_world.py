"""A sales team's fleet, for the fan-out tests and benchmarks/fleet.py: a simulated clock, Google as each
plan's owner behind fakes that count (and can kill a unit mid-way), and plans filled in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import NoReturn

from cryptography.fernet import Fernet
from sqlalchemy import insert

from mutualplan.adapters.google.identity import GoogleIdentity
from mutualplan.adapters.sealing import FernetSealer
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.ports import Drive, PlanAccess
from mutualplan.app.records import FileState, PlanRecord, Watch, WorkbookKind
from mutualplan.app.services import Services
from mutualplan.app.store_ports import TaskQueues
from mutualplan.app.units import Unit
from mutualplan.config import Config
from mutualplan.store.schema import plans, watch_channels
from mutualplan.store.sql import SqlStore

PUBLIC = "https://mp.example"


class Killed(BaseException):
    """The process running a unit died (nothing in the app may catch it, as nothing catches a SIGKILL)."""


@dataclass
class SimClock:
    """A clock that moves only when told: by a step of the simulation, or by a call's latency."""

    at: datetime

    def now(self) -> datetime:
        """The simulated now."""
        return self.at

    def advance(self, seconds: float) -> None:
        """Let time pass (a call's latency, or a pause)."""
        self.at += timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class Sent:
    """One message as Gmail took it."""

    sender: str
    to: str
    message_id: str  # made from the reminder's ledger key: one a message, the same if it were sent again
    at: datetime


@dataclass
class RecordingMailer:
    """Gmail as every owner: keeps each message with its moment; after kill_after sends, the process dies
    (the message that was sent last did go out)."""

    clock: SimClock
    latency: float = 0.0
    sent: list[Sent] = field(default_factory=list)
    kill_after: int | None = None

    def sender(self, sender: str) -> SenderMailer:
        """How to send as one owner."""
        return SenderMailer(self, sender)


@dataclass(frozen=True, slots=True)
class SenderMailer:
    """Gmail as one owner."""

    gmail: RecordingMailer
    sender: str

    def send(self, message: EmailMessage) -> None:
        """Keep it, after Gmail's latency; die when told to."""
        self.gmail.clock.advance(self.gmail.latency)
        to = str(message["To"]).rpartition("<")[2].rstrip(">")
        self.gmail.sent.append(Sent(self.sender, to, str(message["Message-ID"]), self.gmail.clock.now()))
        if self.gmail.kill_after is not None and len(self.gmail.sent) >= self.gmail.kill_after:
            self.gmail.kill_after = None
            raise Killed


@dataclass
class QuietDrive:
    """Drive as an owner where nothing changed: channels open, nothing listed."""

    clock: SimClock
    latency: float = 0.0
    calls: int = 0

    def changed_since(self, since: str | None) -> list[FileState]:
        self._call()
        return []

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        self._call()
        return Watch(channel_id, f"resource-{file_id}", expires_at)

    def stop(self, channel_id: str, resource_id: str) -> None:
        self._call()

    def state(self, file_id: str) -> FileState:
        raise AssertionError("no sync in these runs")

    def _call(self) -> None:
        self.calls += 1
        self.clock.advance(self.latency)


@dataclass
class FleetGoogle:
    """Google as each plan's owner: Gmail and Drive fakes; no user's token is ever used here."""

    gmail: RecordingMailer
    drive: QuietDrive

    @property
    def kind(self) -> WorkbookKind:
        return WorkbookKind.GOOGLE

    def mailer_for(self, sender: str) -> SenderMailer:
        return self.gmail.sender(sender)

    def drive_for_owner(self, owner: str) -> Drive:
        return self.drive  # type: ignore[return-value]

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> PlanAccess:
        raise AssertionError("no sync in these runs")

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> NoReturn:
        raise AssertionError("no Pipeline spreadsheet in these runs")

    def user_email(self, token: str) -> NoReturn:
        raise AssertionError("background work never acts with a user's token")

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> NoReturn:
        raise AssertionError("background work never acts with a user's token")

    def drive_for_user(self, token: str) -> NoReturn:
        raise AssertionError("background work never acts with a user's token")


@dataclass
class CountingQueue:
    """Cloud Tasks, counted: each unit kept once by name, in order."""

    units: list[Unit] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def enqueue(self, units: Sequence[Unit]) -> int:
        new = [unit for unit in units if unit.name not in self.names]
        self.names.update(unit.name for unit in new)
        self.units += new
        return len(new)

    def request_sync(self, plan_id: str, due_at: datetime) -> bool:
        raise AssertionError("no sync is asked for in these runs")

    def take(self) -> list[Unit]:
        """The units waiting, handed out (as a queue dispatches them)."""
        taken, self.units = self.units, []
        return taken


def fleet_services(
    store: SqlStore,
    clock: SimClock,
    folder: Path,
    google: FleetGoogle,
    queue: TaskQueues | None = None,
    mail_gap: timedelta = timedelta(),
) -> Services:
    """The app's services over the store, Google's fakes and the simulated clock (pauses move it)."""
    config = Config(folder, "", 10, public_url=PUBLIC, on_app_engine=True)
    sealer = FernetSealer(Fernet.generate_key().decode())
    return Services(
        store, google, TemplateFolder(), sealer, GoogleIdentity("", ""), config, clock.now,
        queue=queue, mail_gap=mail_gap, pause=clock.advance,
    )  # fmt: skip


def owner_of(number: int, owners: int) -> str:
    """The owner of plan number n, among so many."""
    return f"seller{number % owners:03d}@vendor.io"


def fill_plans(store: SqlStore, count: int, owners: int, zones: Sequence[str], created: datetime) -> None:
    """So many plans (no snapshot), spread over owners and zones, inserted in bulk."""
    rows = [
        {
            "id": f"plan-{n:06d}",
            "spreadsheet_id": f"sheet-{n}",
            "workbook": "google",
            "owner": owner_of(n, owners),
            "title": f"Deal {n}",
            "map_tab": "MAP",
            "stakeholders_tab": "Stakeholders",
            "log_tab": "Log",
            "created_at": created,
            "time_zone": zones[(n // owners) % len(zones)],
        }
        for n in range(count)
    ]
    with store.engine.begin() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(plans), rows[start : start + 5000])


def fill_channels(store: SqlStore, plan_ids: Iterable[str], expires_at: datetime) -> None:
    """A channel for each plan, all lapsing at one moment."""
    rows = [
        {
            "id": f"channel-{plan_id}",
            "plan_id": plan_id,
            "token_hash": "0" * 64,
            "resource_id": f"resource-{plan_id}",
            "expires_at": expires_at,
            "stopped": False,
        }
        for plan_id in plan_ids
    ]
    with store.engine.begin() as db:
        db.execute(insert(watch_channels), rows)


EPOCH = datetime(2026, 11, 26, tzinfo=UTC)
