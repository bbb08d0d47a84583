"""The signed registry of plans: an append-only keyed chain of "plan P registered, spreadsheet S, at T".

A plan whose rows vanish from every table, or that is registered again with a fresh chain, is still
named by the registry; cutting or rewriting the registry itself breaks its chain or its signed head."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from mutualplan.app.records import Registration, RegistryHead
from mutualplan.plan.history.audit import GENESIS, chain_hash, registry_content, registry_mac
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.schema import registry, registry_head

HEAD_ROW = 1  # the registry head's one row


class RegistryTables(SqlBase):
    """The registry's links and its head."""

    def _register(self, db: Connection, plan_id: str, spreadsheet_id: str, at: datetime) -> None:
        """Append "plan registered" to the registry, in the caller's transaction; a registry written
        meanwhile makes the transaction fail on the link's number (the caller tries again)."""
        last = db.execute(select(registry.c.seq, registry.c.hash).order_by(registry.c.seq.desc()).limit(1))
        found = last.first()
        seq, prev = (found.seq + 1, found.hash) if found else (1, GENESIS)
        digest = chain_hash(prev, registry_content(seq, plan_id, spreadsheet_id, at), self.chain_key)
        key_id = self.chain_key.id if self.chain_key else ""
        link = {"plan_id": plan_id, "spreadsheet_id": spreadsheet_id, "at": at, "prev": prev, "hash": digest}
        db.execute(insert(registry).values(seq=seq, key_id=key_id, **link))
        mac = registry_mac(self.chain_key, seq, digest) if self.chain_key else ""
        head = {"count": seq, "hash": digest, "mac": mac}
        moved = db.execute(update(registry_head).where(registry_head.c.id == HEAD_ROW).values(**head))
        if moved.rowcount == 0:
            db.execute(insert(registry_head).values(id=HEAD_ROW, **head))

    def registrations(self) -> list[Registration]:
        """Every registration, oldest first."""
        with self.engine.connect() as db:
            rows = db.execute(select(registry).order_by(registry.c.seq)).mappings().all()
        return [_registration_of(row) for row in rows]

    def registry_head(self) -> RegistryHead:
        """The registry's recorded head (count 0 and no signature before the first registration)."""
        with self.engine.connect() as db:
            row = db.execute(select(registry_head).where(registry_head.c.id == HEAD_ROW)).mappings().first()
        return RegistryHead(row["count"], row["hash"], row["mac"]) if row else RegistryHead()


def _registration_of(row: Any) -> Registration:
    return Registration(
        row["seq"], row["plan_id"], row["spreadsheet_id"], utc(row["at"]), row["prev"], row["hash"],
        row["key_id"],
    )  # fmt: skip
