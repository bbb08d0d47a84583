"""The audit log as its readers need it: a plan's history, and the hash chain checked link by link."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from mutualplan.app.records import ChainHead
from mutualplan.app.store_ports import Plans, SyncLog
from mutualplan.errors import InputError, UnreadableEventError
from mutualplan.plan.audit import ChainKey, StoredEvent, first_broken, head_mac


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """One plan's chain: how many events, and the first broken link (None when whole)."""

    plan_id: str
    events: int
    broken: tuple[int, str] | None


def _known(plans: Plans, plan_id: str) -> str:
    if plans.plan(plan_id) is None:
        raise InputError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    return plan_id


def history(plans: Plans, log: SyncLog, plan_id: str) -> list[StoredEvent]:
    """A plan's audit log, oldest first."""
    return log.events(_known(plans, plan_id))


def verify(
    plans: Plans, log: SyncLog, chain_key: ChainKey | None, plan_id: str | None = None
) -> list[ChainCheck]:
    """Check every plan's audit log (or one plan's): each link, with the server's key where it was
    signed; no event missing, from the first to the last one the plan's head and snapshots count."""
    plan_ids = [_known(plans, plan_id)] if plan_id else [record.id for record in plans.plans()]
    checks = []
    for each in plan_ids:
        try:
            stored = log.events(each)
        except UnreadableEventError as exc:
            checks.append(ChainCheck(each, 0, (exc.seq, f"it can't be read: {exc}")))
            continue
        broken = first_broken((item.link() for item in stored), chain_key)
        checks.append(
            ChainCheck(each, len(stored), broken or _cut(each, stored, log.chain_head(each), chain_key))
        )
    return checks


def _cut(
    plan_id: str, stored: list[StoredEvent], head: ChainHead, chain_key: ChainKey | None
) -> tuple[int, str] | None:
    """Whether the chain was cut short or its head rewritten: what the plan's row and snapshots count."""
    last = stored[-1].seq if stored else 0
    counted = max(head.count, head.snapshot_last_seq)
    if counted > last:
        return last + 1, f"events {last + 1} to {counted} are missing: the plan's records count {counted}"
    if head.count and head.last_hash != stored[head.count - 1].hash:
        return head.count, "it does not match the last hash the plan's row records"
    if chain_key is not None and stored:
        if not head.mac:  # stored before signed heads (its next sync signs it), or wiped
            return last, "the plan's chain head is not signed: sync the plan once, and look into it if it was"
        if head.count != last or not hmac.compare_digest(
            head_mac(chain_key, plan_id, head.count, head.last_hash), head.mac
        ):
            return head.count, "the plan's recorded head was rewritten"
    return None
