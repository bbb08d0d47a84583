"""What every entry point carries: the ports bootstrap wired for one place of running."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from mutualplan.app.crm_ports import Crms
from mutualplan.app.links import Links
from mutualplan.app.ports import Identity, LocalSheets, Outbox, Platform, Sealer, TemplateLibrary
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.store_ports import EmbeddedQueue, Store, SyncQueue, TaskQueues, UnitQueue
from mutualplan.app.units import Unit
from mutualplan.config import Config
from mutualplan.errors import NotFoundError


@dataclass
class Services:
    """The ports the journeys work through: the store, the platform plans live on, the templates, the
    sealer, Google's word on identity, the clock, and the settings in force."""

    store: Store
    platform: Platform
    templates: TemplateLibrary
    sealer: Sealer
    identity: Identity
    config: Config
    now: Callable[[], datetime]
    sandbox: bool = False  # the local sandbox: add-on calls from loopback need no ID token
    sheets: LocalSheets | None = None  # the embedded spreadsheets, where plans live on this machine
    outbox: Outbox | None = None  # the local outbox, where mail goes on this machine
    queue: TaskQueues | None = None  # where syncs and units wait (Cloud Tasks); by default the store
    mail_gap: timedelta = timedelta()  # the least time between two sends as one person (Gmail's rate)
    crms: Crms | None = (
        None  # the CRMs the deployment is set up for (None: none, or their extras not installed)
    )
    pause: Callable[[float], None] = time.sleep  # wait that many seconds (a simulated clock moves instead)

    @property
    def sync_queue(self) -> SyncQueue:
        """Where a plan's next sync waits."""
        return self.queue or self.store

    @property
    def unit_queue(self) -> UnitQueue:
        """Where units of background work wait."""
        return self.queue or StoreUnits(self.store, self.now)

    def sheet_mark(self, record: PlanRecord) -> str | None:
        """The audit head a plan's spreadsheet carries, where it can be read here (the embedded ones)."""
        if self.sheets is None or record.workbook is not WorkbookKind.LOCAL:
            return None
        try:
            return self.sheets.open(record.spreadsheet_id).head_mark()
        except NotFoundError:
            return None

    @property
    def links(self) -> Links:
        """This server's sealed links."""
        return Links(self.sealer, self.config.public_url)

    @property
    def hook_address(self) -> str:
        """Where Drive posts notifications."""
        return f"{self.config.public_url}/hooks/drive"


@dataclass(frozen=True, slots=True)
class StoreUnits:
    """The store's own queue of units, as the unit queue port (stamped with the services' now)."""

    store: EmbeddedQueue
    now: Callable[[], datetime]

    def enqueue(self, units: Sequence[Unit]) -> int:
        """Keep units to run, each unless one of its name was ever enqueued: how many were new."""
        return self.store.enqueue(units, self.now())
