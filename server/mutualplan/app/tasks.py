"""Running units of background work: one place decides what each unit does, whichever queue delivered it
(a Cloud Task calling /tasks/run, or the store's own queue drained here).

Invariants:
- every unit is idempotent: a sync per window, a renewal of a channel not yet replaced, reminders at most
  once each by the ledger; so at-least-once delivery, a retry or a double delivery, does nothing twice;
- no unit runs much longer than TASK_BUDGET: an owner's reminders stop there and enqueue a continuation
  that starts at the last plan not finished, the ledger saying which of its messages went;
- a claim a killed run left is settled by the owner's next unit once it is older than UNFINISHED_AFTER:
  given back and sent when no send began, "unknown" (never sent again by itself, and shown on the plan's
  home card) when one did; a unit that finds a younger one enqueues a check for when it is old enough;
- a failure that may pass (a quota, an outage) asks the queue to retry, with its own backoff; any other
  failure is reported and the unit is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from mutualplan.app.crm_push import owe_weekly, push_due
from mutualplan.app.fanout import MONDAY, run_fan
from mutualplan.app.pipeline_weekly import weekly_pipeline
from mutualplan.app.records import ChannelRecord, PlanRecord
from mutualplan.app.remind import UNFINISHED_AFTER, RemindReport, reminding
from mutualplan.app.services import Services
from mutualplan.app.units import Job, Outcome, Unit
from mutualplan.app.watch import (
    RENEW_MARGIN,
    Renewal,
    RunReport,
    reconcile,
    renew_channels,
    sync_due,
    sync_queued,
)
from mutualplan.errors import GoogleApiError

logger = logging.getLogger(__name__)

# A unit's own deadline: its request, its last send included, ends well within 30 s.
TASK_BUDGET = timedelta(seconds=20)
LEASE = timedelta(minutes=2)  # the embedded queue hands a unit out again after this (a killed runner)
MAX_ATTEMPTS = 8  # the embedded queue gives a unit up after so many runs (Cloud Tasks: the queue's own)
DRAIN_AT_ONCE = 20  # units the embedded queue leases at a time
FORGET_DONE_AFTER = timedelta(days=3)  # a done unit's name stays taken this long (past its local day)


@dataclass
class UnitRun:
    """What one run of a unit did: whether the queue must retry it, what to say, and its reminders."""

    outcome: Outcome
    said: dict[str, Any]
    reminders: RemindReport | None = None
    retry_after: timedelta = timedelta()  # the least wait before a retry, as the far end asked


def run_unit(services: Services, unit: Unit) -> UnitRun:
    """Do what a unit is for; one that lacks what its job needs is done (a retry cannot mend it), and said."""
    missing = [name for name in NEEDS[unit.job] if not unit.payload.get(name)]
    if missing:
        logger.error("unit %s lacks %s: dropped", unit.name, ", ".join(missing))
        return UnitRun(Outcome.DONE, {"error": f"a {unit.job.value} unit names its {', '.join(missing)}"})
    return HANDLERS[unit.job](services, unit)


def _outcome(passing: bool) -> Outcome:
    return Outcome.RETRY if passing else Outcome.DONE


def _said(report: RunReport) -> dict[str, Any]:
    failed = [{"plan": plan_id, "error": message} for plan_id, message in report.failed]
    events = sum(len(result.events) for result in report.synced)
    return {"synced": len(report.synced), "events": events, "queued": len(report.queued), "failed": failed}


def _sync(services: Services, unit: Unit) -> UnitRun:
    report = sync_queued(services, unit.payload["plan"])
    return UnitRun(_outcome(report.passing), _said(report))


def _reconcile(services: Services, unit: Unit) -> UnitRun:
    """An owner's changed spreadsheets, each then a sync; at the hour's first slot, also a channel for each
    of their Google plans that has none (its first watch failed)."""
    owner, now = unit.payload["owner"], services.now()
    records = services.store.plans_of(owner)
    report = reconcile(
        services.store, services.platform.drive_for_owner(owner), records, services.sync_queue, now
    )
    said = _said(report)
    if datetime.fromisoformat(unit.payload["at"]).minute < 10:
        unwatched = services.store.unwatched_of(owner, now + RENEW_MARGIN)
        renewal = _renew_for(services, [], unwatched)
        said["watched"] = len(renewal.opened)
        report.passing |= renewal.passing
    return UnitRun(_outcome(report.passing), said)


def _renew(services: Services, unit: Unit) -> UnitRun:
    lapsing = [services.store.channel(channel_id) for channel_id in unit.payload["channels"].split(",")]
    renewal = _renew_for(services, [channel for channel in lapsing if channel is not None], [])
    failed = [{"plan": plan_id, "error": message} for plan_id, message in renewal.failed]
    return UnitRun(_outcome(renewal.passing), {"renewed": len(renewal.opened), "failed": failed})


def _renew_for(services: Services, lapsing: list[ChannelRecord], unwatched: list[PlanRecord]) -> Renewal:
    drive_for = services.platform.drive_for_owner
    return renew_channels(
        services.store, lambda record: drive_for(record.owner), services.hook_address, services.now(),
        lapsing, unwatched,
    )  # fmt: skip


def _remind(services: Services, unit: Unit) -> UnitRun:
    """An owner's reminders for one local day, in the zones named, from the plan after "after" on, until
    TASK_BUDGET; the rest, and any claim too young to settle, go to a continuation."""
    owner, day = unit.payload["owner"], date.fromisoformat(unit.payload["day"])
    zones = unit.payload["zones"].split(",")
    records = services.store.plans_of(owner, zones, unit.payload.get("after", ""))
    started = services.now()
    report = reminding(services, owner=owner, stop_at=started + TASK_BUDGET).run(records, day)
    if day.weekday() == MONDAY and not unit.payload.get("after"):  # the week's score: the CRMs hear of it
        owe_weekly(services, owner, day.isoformat())
    young = services.store.unfinished_since(owner, started - UNFINISHED_AFTER)
    if report.cut_off or young is not None:  # young: a run killed moments ago; settle its claims when safe
        after = report.done_through if report.cut_off else unit.payload.get("after", "")
        services.unit_queue.enqueue([_continued(unit, after, young + UNFINISHED_AFTER if young else None)])
    said = {
        "sent": len(report.sent), "messages": report.messages, "skipped": len(report.skipped),
        "unknown": len(report.unknown), "resent": len(report.released),
        "continued": report.cut_off or young is not None,
        "failed": [{"plan": plan_id, "error": message} for plan_id, message in report.failed],
    }  # fmt: skip
    return UnitRun(_outcome(report.passing), said, report)


def _continued(unit: Unit, after: str, not_before: datetime | None) -> Unit:
    """The same owner's day, from the plan after "after" on (and from a moment, when given): the next part,
    named so that a unit run twice continues once."""
    base, _, part = unit.key.partition("#")
    payload = {**unit.payload, "after": after}
    return Unit(Job.REMIND, f"{base}#{int(part or 0) + 1}", payload, not_before)


def _pipeline(services: Services, unit: Unit) -> UnitRun:
    """A viewer's week: their Pipeline spreadsheets refreshed, their digest mailed (at most once)."""
    try:
        done = weekly_pipeline(services, unit.payload["viewer"], date.fromisoformat(unit.payload["day"]))
    except GoogleApiError as exc:  # the digest's send: a quota or an outage passes, the queue retries
        return UnitRun(_outcome(exc.passing), {"error": str(exc)})
    said = {"refreshed": done.refreshed, "mailed": done.mailed, "failed": list(done.failed)}
    return UnitRun(Outcome.DONE, said)


def _crm(services: Services, unit: Unit) -> UnitRun:
    """A seller's pushes owed: one read and one write per CRM; a CRM over its limits or down is retried,
    after what it asked for (Retry-After)."""
    report = push_due(services, unit.payload["owner"])
    if report.retry_after is None:
        return UnitRun(Outcome.DONE, report.as_json())
    return UnitRun(Outcome.RETRY, report.as_json(), retry_after=timedelta(seconds=report.retry_after))


def _fan(services: Services, unit: Unit) -> UnitRun:
    return UnitRun(Outcome.DONE, run_fan(services, unit))


NEEDS: dict[Job, tuple[str, ...]] = {
    Job.SYNC: ("plan",),
    Job.RECONCILE: ("owner", "at"),
    Job.RENEW: ("channels",),
    Job.REMIND: ("owner", "day", "zones"),
    Job.FAN: ("of", "at"),
    Job.PIPELINE: ("viewer", "day"),
    Job.CRM: ("owner",),
}
HANDLERS: dict[Job, Callable[[Services, Unit], UnitRun]] = {
    Job.SYNC: _sync,
    Job.RECONCILE: _reconcile,
    Job.RENEW: _renew,
    Job.REMIND: _remind,
    Job.FAN: _fan,
    Job.PIPELINE: _pipeline,
    Job.CRM: _crm,
}


@dataclass
class Drained:
    """What a drain of the store's own queue ran: the syncs whose window closed, and each unit's run."""

    syncs: RunReport = field(default_factory=RunReport)
    runs: list[UnitRun] = field(default_factory=list)

    @property
    def reminders(self) -> list[RemindReport]:
        """The reminder runs among them."""
        return [run.reminders for run in self.runs if run.reminders is not None]

    @property
    def digests(self) -> int:
        """The weekly pipeline digests the runs mailed."""
        return sum(1 for run in self.runs if run.said.get("mailed") is True)

    def add(self, syncs: RunReport, runs: list[UnitRun] | None = None) -> None:
        """Count in more syncs and runs."""
        self.syncs.synced += syncs.synced
        self.syncs.failed += syncs.failed
        self.runs += runs or []

    def as_json(self) -> dict[str, Any]:
        """What a drain says (`/cron/sync-due`, `mutualplan tasks run --json`)."""
        return {
            **_said(self.syncs),
            "units": len(self.runs),
            "retried": sum(run.outcome is Outcome.RETRY for run in self.runs),
        }


def drain(services: Services, until: datetime | None = None) -> Drained:
    """Run the store's due syncs, then its due units, leasing a few at a time, until none is due (units
    the runs enqueue included); stop leasing at until, when given."""
    services.store.forget_tasks_done(services.now() - FORGET_DONE_AFTER)
    drained = Drained(sync_due(services))
    while until is None or services.now() < until:
        leased = services.store.lease_due(services.now(), LEASE, 1 if until else DRAIN_AT_ONCE)
        if not leased:
            break
        for each in leased:
            run = run_unit(services, each.unit)
            drained.runs.append(run)
            if run.outcome is Outcome.RETRY and each.attempts >= MAX_ATTEMPTS:
                logger.error(
                    "unit %s given up after %d attempts: %s", each.unit.name, each.attempts, run.said
                )
            if run.outcome is Outcome.DONE or each.attempts >= MAX_ATTEMPTS:
                services.store.finish_task(each.unit.name, services.now())
            else:
                backoff = max(timedelta(seconds=10 * 2 ** (each.attempts - 1)), run.retry_after)
                services.store.retry_task(each.unit.name, services.now() + backoff)
        drained.add(sync_due(services))  # reconcile units ask for syncs
    return drained
