"""The one moment history is trusted as found: the upgrade that brings in the registry and signed snapshots.

A store upgraded across that step has plans nobody registered, snapshots nobody signed and heads with
no signature. The upgrade registers and signs them as they are, once; from then on an unsigned
snapshot or head, or a plan missing from the registry, is tampering, and `audit verify` says so."""

from __future__ import annotations

from sqlalchemy import select, update

from mutualplan.plan.history.audit import GENESIS, head_mac, snapshot_mac
from mutualplan.store.base import utc
from mutualplan.store.plans import PlanTables
from mutualplan.store.schema import SIGNED_HISTORY, events, plans, registry, snapshots


def crossed_signed_history(start: int, end: int) -> bool:
    """Whether an upgrade from start to end took the store across the step that brought signed history."""
    return start < SIGNED_HISTORY <= end


class AdoptTables(PlanTables):
    """The adoption of history stored before it was signed."""

    def adopt_history(self) -> None:
        """Register every plan the registry lacks, and sign every unsigned snapshot and head, as found."""
        key = self.chain_key
        if key is None:
            return
        with self._transaction() as db:
            registered = set(db.execute(select(registry.c.plan_id)).scalars())
            found = db.execute(select(plans).order_by(plans.c.created_at, plans.c.id)).mappings().all()
            for plan in found:
                if plan["id"] not in registered:
                    self._register(db, plan["id"], plan["spreadsheet_id"], utc(plan["created_at"]))
                if not plan["head_mac"]:  # stored before signed heads: the chain's last event, as found
                    newest = select(events.c.seq, events.c.hash).where(events.c.plan_id == plan["id"])
                    last = db.execute(newest.order_by(events.c.seq.desc()).limit(1)).first()
                    count, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
                    mac = head_mac(key, plan["id"], count, last_hash)
                    signed = {"head_count": count, "head_hash": last_hash, "head_mac": mac}
                    db.execute(update(plans).where(plans.c.id == plan["id"]).values(**signed))
            unsigned = select(
                snapshots.c.plan_id, snapshots.c.version, snapshots.c.last_seq, snapshots.c.body
            )
            for row in db.execute(unsigned.where(snapshots.c.mac == "")).all():
                mac = snapshot_mac(key, row.plan_id, row.version, row.last_seq, row.body)
                at = (snapshots.c.plan_id == row.plan_id) & (snapshots.c.version == row.version)
                db.execute(update(snapshots).where(at).values(mac=mac))
