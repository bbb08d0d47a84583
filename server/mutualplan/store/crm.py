"""Sellers' CRM sign-ins and plans' links to their opportunities and deals."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, bindparam, delete, insert, select, update

from mutualplan.app.crm_ports import CrmConnection, CrmLink
from mutualplan.app.records import AccountStatus
from mutualplan.plan.crm import Crm
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import crm_connections, crm_links


class CrmTables(SqlBase):
    """CRM sign-ins and links."""

    def crm_connection(self, owner: str, crm: Crm) -> CrmConnection | None:
        """A seller's sign-in to one CRM."""
        where = (crm_connections.c.owner == owner.casefold()) & (crm_connections.c.crm == crm.value)
        with self.engine.connect() as db:
            row = db.execute(select(crm_connections).where(where)).mappings().first()
        if row is None:
            return None
        return CrmConnection(
            row["owner"], Crm(row["crm"]), row["secret"], row["instance_url"], row["user_id"],
            AccountStatus(row["status"]), utc(row["updated_at"]),
        )  # fmt: skip

    def save_crm_connection(self, connection: CrmConnection) -> None:
        """Keep (or replace) a seller's sign-in."""
        values = {
            **asdict(connection), "owner": connection.owner.casefold(), "crm": connection.crm.value,
            "status": connection.status.value,
        }  # fmt: skip
        with self._transaction() as db:
            db.execute(delete(crm_connections).where(self._connection_is(connection.owner, connection.crm)))
            db.execute(insert(crm_connections).values(**values))

    def set_crm_status(self, owner: str, crm: Crm, status: AccountStatus, at: datetime) -> None:
        """Mark a sign-in connected, or needing to be made again."""
        with self._transaction() as db:
            db.execute(
                update(crm_connections)
                .where(self._connection_is(owner, crm))
                .values(status=status.value, updated_at=at)
            )

    def drop_crm_connection(self, owner: str, crm: Crm) -> bool:
        """Forget a sign-in (Disconnect); False when there was none."""
        with self._transaction() as db:
            return bool(db.execute(delete(crm_connections).where(self._connection_is(owner, crm))).rowcount)

    @staticmethod
    def _connection_is(owner: str, crm: Crm) -> Any:
        return (crm_connections.c.owner == owner.casefold()) & (crm_connections.c.crm == crm.value)

    def crm_link(self, plan_id: str) -> CrmLink | None:
        """A plan's link to its opportunity or deal."""
        with self.engine.connect() as db:
            row = db.execute(select(crm_links).where(crm_links.c.plan_id == plan_id)).mappings().first()
        return None if row is None else _link(row)

    def save_crm_link(self, link: CrmLink) -> None:
        """Keep (or replace) a plan's link."""
        values = {
            **asdict(link), "crm": link.crm.value, "owner": link.owner.casefold(),
            "pushed": json.dumps(dict(link.pushed), sort_keys=True),
        }  # fmt: skip
        with self._transaction() as db:
            db.execute(delete(crm_links).where(crm_links.c.plan_id == link.plan_id))
            db.execute(insert(crm_links).values(**values))

    def drop_crm_link(self, plan_id: str) -> bool:
        """Unlink a plan; False when it had no link."""
        with self._transaction() as db:
            return bool(db.execute(delete(crm_links).where(crm_links.c.plan_id == plan_id)).rowcount)

    def crm_links_of(self, owner: str, due_only: bool = False) -> list[CrmLink]:
        """A seller's links (those with a push owed, when asked), by plan id."""
        query = select(crm_links).where(crm_links.c.owner == owner.casefold())
        if due_only:
            query = query.where(crm_links.c.due.is_(True))
        with self.engine.connect() as db:
            return [_link(row) for row in db.execute(query.order_by(crm_links.c.plan_id)).mappings()]

    def mark_crm_due(self, plan_ids: Sequence[str]) -> None:
        """Owe a push of these plans."""
        if plan_ids:
            with self._transaction() as db:
                db.execute(update(crm_links).where(crm_links.c.plan_id.in_(plan_ids)).values(due=True))

    def crm_pushed(self, pushed: Mapping[str, Mapping[str, object]], at: datetime) -> None:
        """Keep what a push found or wrote of each plan (plan → fields), and owe none, in one write."""
        if not pushed:
            return
        rows = [
            {"plan": plan_id, "text": json.dumps(dict(fields), sort_keys=True)}
            for plan_id, fields in pushed.items()
        ]
        statement = (
            update(crm_links)
            .where(crm_links.c.plan_id == bindparam("plan"))
            .values(due=False, pushed=bindparam("text"), pushed_at=at)
        )
        with self._transaction() as db:
            db.execute(statement, rows)


def _link(row: RowMapping) -> CrmLink:
    pushed_at = row["pushed_at"]
    return CrmLink(
        row["plan_id"], Crm(row["crm"]), row["record_id"], row["owner"], utc(row["linked_at"]),
        bool(row["due"]), json.loads(row["pushed"]), utc(pushed_at) if pushed_at else None,
    )  # fmt: skip
