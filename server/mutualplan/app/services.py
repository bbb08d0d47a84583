"""What every entry point carries: the ports bootstrap wired for one place of running."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mutualplan.app.links import Links
from mutualplan.app.ports import Identity, LocalSheets, Outbox, Platform, Sealer, TemplateLibrary
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.app.store_ports import Store, SyncQueue
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
    queue: SyncQueue | None = None  # where syncs wait (Cloud Tasks); by default the store's own table

    @property
    def sync_queue(self) -> SyncQueue:
        """Where a plan's next sync waits."""
        return self.queue or self.store

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
