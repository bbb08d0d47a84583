"""The audit log as its readers need it: a plan's history, and the hash chain checked link by link."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.ports import Plans, SyncLog
from mutualplan.errors import InputError
from mutualplan.plan.audit import StoredEvent, first_broken


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


def verify(plans: Plans, log: SyncLog, plan_id: str | None = None) -> list[ChainCheck]:
    """Recompute every plan's hash chain (or one plan's)."""
    plan_ids = [_known(plans, plan_id)] if plan_id else [record.id for record in plans.plans()]
    checks = []
    for each in plan_ids:
        stored = log.events(each)
        checks.append(ChainCheck(each, len(stored), first_broken(item.link() for item in stored)))
    return checks
