"""The store's accounts (offline authorisations) and per-plan reminder settings."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from mutualplan.plan.reminder_settings import ReminderSettings
from mutualplan.ports import AccountRecord
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import accounts, reminder_settings


class AccountTables(SqlBase):
    """Accounts and reminder settings."""

    def account(self, email: str) -> AccountRecord | None:
        """A seller's offline authorisation."""
        with self.engine.connect() as db:
            row = db.execute(select(accounts).where(accounts.c.email == email.casefold())).mappings().first()
        if row is None:
            return None
        return AccountRecord(row["email"], row["refresh_token"], row["status"], utc(row["updated_at"]))

    def save_account(self, account: AccountRecord) -> None:
        """Keep (or replace) a seller's offline authorisation."""
        values = {**asdict(account), "email": account.email.casefold()}
        with self._transaction() as db:
            db.execute(delete(accounts).where(accounts.c.email == values["email"]))
            db.execute(insert(accounts).values(**values))

    def set_account_status(self, email: str, status: str, at: datetime) -> None:
        """Mark an authorisation connected, or needing to be made again."""
        with self._transaction() as db:
            db.execute(
                update(accounts)
                .where(accounts.c.email == email.casefold())
                .values(status=status, updated_at=at)
            )

    def reminder_settings(self, plan_id: str) -> ReminderSettings:
        """A plan's reminder settings (the defaults until the seller saves some)."""
        with self.engine.connect() as db:
            chosen = select(reminder_settings).where(reminder_settings.c.plan_id == plan_id)
            row = db.execute(chosen).first()
        return settings_of(row)

    def save_reminder_settings(self, plan_id: str, settings: ReminderSettings) -> None:
        """Keep a plan's reminder settings."""
        with self._transaction() as db:
            db.execute(delete(reminder_settings).where(reminder_settings.c.plan_id == plan_id))
            db.execute(insert(reminder_settings).values(plan_id=plan_id, **asdict(settings)))


def settings_of(row: Any) -> ReminderSettings:
    """Reminder settings from their row (the defaults when there is none)."""
    if row is None:
        return ReminderSettings()
    return ReminderSettings(row.days_ahead, row.owners, row.champion, row.digest)
