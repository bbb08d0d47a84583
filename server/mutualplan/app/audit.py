"""The audit log as its readers need it: a plan's history, and everything that keeps it whole checked.

`verify` holds against anyone who can write the database without the key: each plan's chain link by
link; its signed head (an empty one too) against the chain's end; its newest snapshot against its
signature; the signed registry, so that a plan removed, or registered again with a fresh chain, is
named; `history_lost` events a sync recorded; and, where the spreadsheet can be read here, the signed
head the sheet carries. A rollback of the whole store to an older copy of itself is what the sheet's
head is for; the operator who holds the key can forge anything, and the guide's trust model says so."""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mutualplan.app.records import ChainHead, PlanRecord, Registration, RegistryHead
from mutualplan.app.store_ports import Plans, Registry, SyncLog
from mutualplan.errors import InputError, UnreadableEventError
from mutualplan.plan.history.audit import (
    ChainKey,
    HeadMark,
    StoredEvent,
    first_broken,
    head_mac,
    registry_mac,
)
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.history.write_back import when_text

REGISTRY = "registry"  # what a check of the registry itself is reported under
SheetMarks = Callable[[PlanRecord], str | None]  # the head a plan's spreadsheet carries, where readable


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """One plan's history (or the registry's): how many events, and what is wrong (None when whole)."""

    plan_id: str
    events: int
    problem: str | None


def _known(plans: Plans, plan_id: str) -> str:
    if plans.plan(plan_id) is None:
        raise InputError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    return plan_id


def history(plans: Plans, log: SyncLog, plan_id: str) -> list[StoredEvent]:
    """A plan's audit log, oldest first."""
    return log.events(_known(plans, plan_id))


def verify(
    plans: Plans,
    log: SyncLog,
    registry: Registry,
    chain_key: ChainKey | None,
    plan_id: str | None = None,
    sheet_marks: SheetMarks | None = None,
) -> list[ChainCheck]:
    """Check every plan's history and the registry (or one plan's history and its registration)."""
    registrations = registry.registrations()
    registered = {item.plan_id: item for item in registrations}
    if plan_id is not None and plans.plan(plan_id) is None:
        if plan_id not in registered:
            _known(plans, plan_id)
        return [_gone(registered[plan_id])]
    records = [plans.plan(plan_id)] if plan_id else plans.plans()
    times = Counter(item.plan_id for item in registrations)
    checks = []
    for record in records:
        assert record is not None  # known above
        problem = _plan_problem(record, log, chain_key, times[record.id], registrations, sheet_marks)
        checks.append(ChainCheck(record.id, problem[0], problem[1]))
    if plan_id is None:
        known = {record.id for record in records if record is not None}
        checks += [_gone(item) for item in registered.values() if item.plan_id not in known]
        if chain_key is not None:
            checks += _registry_checks(registrations, registry.registry_head(), chain_key)
    return checks


def _plan_problem(
    record: PlanRecord,
    log: SyncLog,
    chain_key: ChainKey | None,
    registered: int,
    registrations: Sequence[Registration],
    sheet_marks: SheetMarks | None,
) -> tuple[int, str | None]:
    try:
        stored = log.events(record.id)
    except UnreadableEventError as exc:
        return 0, f"event {exc.seq}: it can't be read: {exc}"
    broken = first_broken((item.link() for item in stored), chain_key)
    if broken is not None:
        return len(stored), f"event {broken[0]}: {broken[1]}"
    head = log.chain_head(record.id)
    problem = _cut(record.id, stored, head, chain_key) or _lost(stored)
    if problem is None and chain_key is not None:
        problem = _unregistered(record.id, registered, registrations) or _snapshot(head)
    if problem is None and sheet_marks is not None:
        problem = _sheet_ahead(record, log, sheet_marks, head)
    return len(stored), problem


def _cut(plan_id: str, stored: list[StoredEvent], head: ChainHead, chain_key: ChainKey | None) -> str | None:
    """Whether the chain was cut short or its head rewritten: what the plan's row and snapshots count."""
    last = stored[-1].seq if stored else 0
    counted = max(head.count, head.snapshot_last_seq)
    if counted > last:
        missing = f"events {last + 1} to {counted} are missing"
        return f"event {last + 1}: {missing}: the plan's records count {counted}"
    if head.count and head.last_hash != stored[head.count - 1].hash:
        return f"event {head.count}: it does not match the last hash the plan's row records"
    if chain_key is not None:
        if not head.mac:
            return "its chain head is not signed: events, snapshots or the head were wiped or written by hand"
        if head.count != last or not hmac.compare_digest(
            head_mac(chain_key, plan_id, head.count, head.last_hash), head.mac
        ):
            return f"event {head.count}: the plan's recorded head was rewritten"
    return None


def _lost(stored: list[StoredEvent]) -> str | None:
    """A sync found the spreadsheet had seen more history than the store held."""
    for item in stored:
        if item.event.kind is EventKind.HISTORY_LOST:
            event = item.event
            found = f"found by the sync of {when_text(item.at)}"
            return (
                f"event {item.seq}: history was lost: the spreadsheet had seen {event.old} events, the store "
                f"held {event.new} ({found}); restore the store from a backup"
            )
    return None


def _unregistered(plan_id: str, registered: int, registrations: Sequence[Registration]) -> str | None:
    if registered == 0:
        return "it is not in the signed registry of plans: it was added outside mutualplan"
    if registered > 1:
        again = [item for item in registrations if item.plan_id == plan_id][1]
        return (
            f"it was registered again on {when_text(again.at)}, with a fresh chain: the history it had "
            "before is gone; restore the store from a backup"
        )
    return None


def _snapshot(head: ChainHead) -> str | None:
    if head.snapshot_version and head.snapshot_last_seq != head.count:
        return (
            f"its newest snapshot (version {head.snapshot_version}) counts {head.snapshot_last_seq} events, "
            f"its chain {head.count}: newer snapshots were deleted"
        )
    if not head.snapshot_signed:
        return (
            f"its newest snapshot (version {head.snapshot_version}) is not what mutualplan signed: it was "
            "edited outside mutualplan, and nothing is counted from it"
        )
    return None


def _sheet_ahead(record: PlanRecord, log: SyncLog, sheet_marks: SheetMarks, head: ChainHead) -> str | None:
    mark = HeadMark.of_text(sheet_marks(record))
    if mark is not None and mark.plan_id == record.id and not log.chain_holds(record.id, mark):
        return f"the spreadsheet saw {mark.count} events, the store has {head.count}"
    return None


def _gone(item: Registration) -> ChainCheck:
    return ChainCheck(
        item.plan_id,
        0,
        f"it was registered on {when_text(item.at)} in spreadsheet {item.spreadsheet_id}, and is gone from "
        "the store; restore the store from a backup",
    )


def _registry_checks(
    registrations: list[Registration], head: RegistryHead, chain_key: ChainKey
) -> list[ChainCheck]:
    broken = first_broken((item.link() for item in registrations), chain_key)
    if broken is not None:
        return [ChainCheck(REGISTRY, len(registrations), f"registration {broken[0]}: {broken[1]}")]
    last = registrations[-1] if registrations else None
    count, last_hash = (last.seq, last.hash) if last else (0, "")
    if head.count != count:
        cut = f"its head counts {head.count} registrations, its chain {count}: registrations were cut"
        return [ChainCheck(REGISTRY, count, cut)]
    if count and (
        head.last_hash != last_hash
        or not hmac.compare_digest(registry_mac(chain_key, count, last_hash), head.mac)
    ):
        return [ChainCheck(REGISTRY, count, "its head was rewritten")]
    return []
