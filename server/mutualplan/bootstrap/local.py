"""The one place that picks adapters for the embedded default: local workbooks, the SQLite store, a clock.
(Google's adapters are picked in bootstrap_google, which the server alone loads.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mutualplan.adapters.local_workbook import LocalWorkbook, LocalWorkspace
from mutualplan.adapters.outbox import LocalOutbox
from mutualplan.adapters.sealing import Sealer, new_secret_key
from mutualplan.app.mail import unsubscribe_url
from mutualplan.app.records import PlanRecord
from mutualplan.app.sync import SyncResult, sync
from mutualplan.config import Config
from mutualplan.errors import NotFoundError
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore


def local_secret_key(folder: Path) -> str:
    """The workspace's own secret key (made once, readable by its owner alone) when none is set."""
    path = folder / "secret.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_secret_key(), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def utc_now() -> datetime:
    """The clock."""
    return datetime.now(UTC)


LOCAL_URL = "http://127.0.0.1:8080"  # where `mutualplan demo` serves the sandbox


@dataclass
class Local:
    """The embedded default: local workbooks, the store and the outbox, in one folder."""

    workspace: LocalWorkspace
    store: SqlStore
    outbox: LocalOutbox
    sealer: Sealer
    base_url: str = LOCAL_URL
    now: Callable[[], datetime] = utc_now

    @classmethod
    def open(cls, config: Config, now: Callable[[], datetime] = utc_now) -> Local:
        """The workspace and store the config names; the embedded SQLite store upgrades itself."""
        store = SqlStore(make_engine(config.database_url))
        if config.embedded_store:
            upgrade(store.engine)
        else:
            store.check_schema()
        sealer = Sealer(config.secret_key or local_secret_key(config.data))
        outbox = LocalOutbox(config.data, now)
        return cls(
            LocalWorkspace(config.data, now), store, outbox, sealer, config.public_url or LOCAL_URL, now
        )

    def unsubscribe_url(self, email: str) -> str:
        """A recipient's one-click unsubscribe link, sealed so that nobody can forge another's."""
        return unsubscribe_url(self.base_url, self.sealer, email)

    def record_of(self, workbook: LocalWorkbook) -> PlanRecord:
        """The store's record of the plan in a workbook, registering it the first time."""
        marker = workbook.marker()
        if marker is None:
            raise NotFoundError(f"spreadsheet {workbook.spreadsheet_id} holds no stamped plan")
        record = self.store.plan(marker.plan_id)
        if record is None:
            title = self.workspace.title(workbook.spreadsheet_id)
            record = PlanRecord.of(marker, "local", title, self.now())
            self.store.add_plan(record)
        return record

    def sync(self, workbook: LocalWorkbook) -> SyncResult:
        """Sync a local plan now: a local edit's sync runs before the command that made it returns."""
        return sync(self.store, workbook, self.record_of(workbook), workbook.editors, self.now)
