"""Settings, declared once as data with help text, read from MUTUALPLAN_* environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import click


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
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Config:
    """The settings in force."""

    data: Path
    database_url: str
    sync_window_seconds: float

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, data: Path | None = None) -> Config:
        """The settings from the environment (and a --data folder, which wins)."""
        values = {setting.env: setting.default for setting in SETTINGS} | dict(
            env if env is not None else os.environ
        )
        folder = data or Path(values["MUTUALPLAN_DATA"] or click.get_app_dir("mutualplan"))
        try:
            window = float(values["MUTUALPLAN_SYNC_WINDOW_SECONDS"])
        except ValueError as exc:
            raise click.UsageError(
                "MUTUALPLAN_SYNC_WINDOW_SECONDS takes a number of seconds, such as 10"
            ) from exc
        return cls(
            folder, values["MUTUALPLAN_DATABASE_URL"] or f"sqlite:///{folder / 'store.sqlite'}", window
        )

    @property
    def embedded_store(self) -> bool:
        """True when the store is the default SQLite file, which upgrades itself when opened."""
        return not self.database_url.startswith("postgresql")
