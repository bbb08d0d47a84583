"""Sellers' offline authorisations."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from mutualplan.app.records import AccountRecord, AccountStatus
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import accounts


class AccountTables(SqlBase):
    """Accounts."""

    def account(self, email: str) -> AccountRecord | None:
        """A seller's offline authorisation."""
        with self.engine.connect() as db:
            row = db.execute(select(accounts).where(accounts.c.email == email.casefold())).mappings().first()
        if row is None:
            return None
        return AccountRecord(
            row["email"], row["refresh_token"], AccountStatus(row["status"]), utc(row["updated_at"])
        )

    def save_account(self, account: AccountRecord) -> None:
        """Keep (or replace) a seller's offline authorisation."""
        values = {**asdict(account), "email": account.email.casefold()}
        with self._transaction() as db:
            db.execute(delete(accounts).where(accounts.c.email == values["email"]))
            db.execute(insert(accounts).values(**values))

    def set_account_status(self, email: str, status: AccountStatus, at: datetime) -> None:
        """Mark an authorisation connected, or needing to be made again."""
        with self._transaction() as db:
            db.execute(
                update(accounts)
                .where(accounts.c.email == email.casefold())
                .values(status=status.value, updated_at=at)
            )
