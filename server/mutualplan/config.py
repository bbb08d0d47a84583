"""Settings, declared once as data with help text, read from MUTUALPLAN_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import click

from mutualplan.errors import InputError


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: its environment variable, its default and what it is for."""

    env: str
    default: str
    help: str


SETTINGS = (
    Setting("MUTUALPLAN_DATA", "", "The folder of the local workspace: workbooks, store, outbox (default: the user's app folder)."),
    Setting("MUTUALPLAN_DATABASE_URL", "", "The store's database URL (default: SQLite in the MUTUALPLAN_DATA folder), e.g. postgresql+psycopg://user@host/db."),
    Setting("MUTUALPLAN_SYNC_WINDOW_SECONDS", "10", "Drive notifications for one spreadsheet within this many seconds make one sync."),
    Setting("MUTUALPLAN_PUBLIC_URL", "", "The base URL the add-on's endpoints are served at, e.g. https://mutualplan.example.com; also the audience of the ID tokens Google signs."),
    Setting("MUTUALPLAN_ADDON_SERVICE_ACCOUNT", "", "The add-on's service account (service-NUMBER@gcp-sa-gsuiteaddons.iam.gserviceaccount.com): the only caller of the add-on endpoints."),
    Setting("MUTUALPLAN_SCHEDULER_ACCOUNT", "", "A service account whose OIDC token may call the cron endpoints (Cloud Scheduler), besides App Engine's cron."),
    Setting("MUTUALPLAN_SECRET_KEY", "", "A Fernet key (mutualplan secret-key makes one): encrypts refresh tokens at rest and signs OAuth state. Keep it in Secret Manager."),
    Setting("MUTUALPLAN_OAUTH_CLIENT_ID", "", "The OAuth client for offline authorisation (background sync and reminders)."),
    Setting("MUTUALPLAN_OAUTH_CLIENT_SECRET", "", "The OAuth client's secret. Keep it in Secret Manager."),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in force."""

    data: Path
    database_url: str
    sync_window_seconds: float
    public_url: str = ""
    addon_service_account: str = ""
    scheduler_account: str = ""
    secret_key: str = ""
    oauth_client_id: str = ""
    oauth_client_secret: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, data: Path | None = None) -> Config:
        """The settings from the environment (and a --data folder, which wins)."""
        values = {setting.env: setting.default for setting in SETTINGS}
        values |= dict(os.environ if env is None else env)
        folder = data or Path(values["MUTUALPLAN_DATA"] or click.get_app_dir("mutualplan"))
        try:
            window = float(values["MUTUALPLAN_SYNC_WINDOW_SECONDS"])
        except ValueError as exc:
            raise InputError("MUTUALPLAN_SYNC_WINDOW_SECONDS takes a number of seconds, such as 10") from exc
        return cls(
            folder,
            values["MUTUALPLAN_DATABASE_URL"] or f"sqlite:///{folder / 'store.sqlite'}",
            window,
            public_url=values["MUTUALPLAN_PUBLIC_URL"].rstrip("/"),
            addon_service_account=values["MUTUALPLAN_ADDON_SERVICE_ACCOUNT"],
            scheduler_account=values["MUTUALPLAN_SCHEDULER_ACCOUNT"],
            secret_key=values["MUTUALPLAN_SECRET_KEY"],
            oauth_client_id=values["MUTUALPLAN_OAUTH_CLIENT_ID"],
            oauth_client_secret=values["MUTUALPLAN_OAUTH_CLIENT_SECRET"],
        )

    @property
    def embedded_store(self) -> bool:
        """True when the store is the default SQLite file, which upgrades itself when opened."""
        return not self.database_url.startswith("postgresql")
