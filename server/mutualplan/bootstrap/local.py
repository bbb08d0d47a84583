"""The embedded default: the SQLite store, the embedded spreadsheets, the local outbox, one folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from mutualplan.adapters.crm.platform import configured_crms
from mutualplan.adapters.google.identity import GoogleIdentity
from mutualplan.adapters.local_platform import LocalPlatform
from mutualplan.adapters.local_workbook import LocalWorkspace
from mutualplan.adapters.outbox import LocalOutbox
from mutualplan.adapters.sealing import FernetSealer, new_secret_key
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.services import Services
from mutualplan.config import Config, private_file
from mutualplan.plan.history.audit import ChainKey
from mutualplan.store.adopt import crossed_signed_history
from mutualplan.store.base import make_engine
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore

LOCAL_URL = "http://127.0.0.1:8080"  # where `mutualplan demo` serves the sandbox, unless it said otherwise
SANDBOX_URL_FILE = "sandbox.url"  # where the last `mutualplan demo` served, kept in the workspace


def remember_local_url(folder: Path, url: str) -> None:
    """Keep the address the sandbox serves at, so that the commands' links point there."""
    private_file(folder / SANDBOX_URL_FILE).write_text(url, encoding="ascii")


def local_url(folder: Path) -> str:
    """Where the workspace's sandbox serves: the last demo's address, else the default."""
    kept = folder / SANDBOX_URL_FILE
    return kept.read_text(encoding="ascii").strip() if kept.is_file() else LOCAL_URL


def utc_now() -> datetime:
    """The clock."""
    return datetime.now(UTC)


def local_secret_key(folder: Path) -> str:
    """The workspace's own secret key (made once, readable by its owner alone) when none is set."""
    path = folder / "secret.key"
    if not path.exists():
        private_file(path).write_text(new_secret_key(), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def open_store(config: Config) -> SqlStore:
    """The store the config names, its audit chain signed with a key from the secret; the embedded SQLite
    store upgrades itself, any other must be upgraded."""
    store = SqlStore(make_engine(config.database_url), ChainKey.of(config.secret_key))
    if config.embedded_store:
        if crossed_signed_history(*upgrade(store.engine)):
            store.adopt_history()
    else:
        store.check_schema()
    return store


def local_services(config: Config, now: Callable[[], datetime] = utc_now, sandbox: bool = False) -> Services:
    """The embedded default in the config's folder (its own secret key when none is set)."""
    config = replace(
        config,
        public_url=config.public_url or local_url(config.data),
        secret_key=config.secret_key or local_secret_key(config.data),
    )
    sheets, outbox = LocalWorkspace(config.data, now), LocalOutbox(config.data, now)
    return Services(
        store=open_store(config),  # after the secret key is settled: it signs the audit chain
        platform=LocalPlatform(sheets, outbox),
        templates=TemplateFolder(),
        sealer=FernetSealer(config.secret_key),
        identity=GoogleIdentity(config.oauth_client_id, config.oauth_client_secret),
        config=config,
        now=now,
        sandbox=sandbox,
        sheets=sheets,
        outbox=outbox,
        crms=configured_crms(config),
    )
