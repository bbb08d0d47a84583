"""Pushing a plan's figures to its opportunity or deal: the owned fields and Next Step, and nothing else.

Invariants:
- a push writes only mutualplan's own fields and Next Step, never the close date, stage, amount or
  forecast category (those change only on the seller's click: set_close_date);
- a push reads the seller's deals once and writes once (one request for all of a seller's plans due in one
  CRM), and writes only what differs from what the CRM holds: a push that changes nothing writes nothing;
- a CRM that refuses the seller's sign-in flags that seller's connection, and stops their pushes alone;
  a CRM over its limits or down leaves the pushes owed, for the queue to retry;
- a push owed after a sync runs at most once an hour per seller (the unit's name is the hour)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mutualplan.app.crm import session_of
from mutualplan.app.crm_ports import CrmLink
from mutualplan.app.days import local_day
from mutualplan.app.failures import CRM
from mutualplan.app.pipeline import LOOK_BACK_WEEKS
from mutualplan.app.records import AccountStatus, PlanInputs, PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.units import Job, Unit
from mutualplan.errors import CrmError, CrmRevokedError, InputError
from mutualplan.plan.checks.findings import Finding
from mutualplan.plan.crm import (
    Crm,
    CrmDeal,
    close_finding,
    hubspot_properties,
    next_step,
    owned_values,
    salesforce_fields,
    same_value,
)
from mutualplan.plan.crm.fields import LAST_SYNC_NAMES, CrmValue, kind_of
from mutualplan.plan.pipeline import WeeklyScore, score_week, week_of


@dataclass(frozen=True, slots=True)
class Preview:
    """What a push of one plan would write, in each CRM, and the plan's score it comes from."""

    score: WeeklyScore
    values: dict[str, CrmValue]  # the owned fields' values, by key
    salesforce: dict[str, object]
    hubspot: dict[str, str]

    def fields_for(self, crm: Crm) -> Mapping[str, object]:
        """What a push writes in one CRM."""
        return self.salesforce if crm is Crm.SALESFORCE else self.hubspot

    def as_json(self) -> dict[str, object]:
        """`mutualplan crm push PLAN --dry-run --json`: {"salesforce": {FIELD: VALUE}, "hubspot": {…}}."""
        return {"salesforce": self.salesforce, "hubspot": self.hubspot}


def kept_since(services: Services, plan_ids: Collection[str]) -> dict[str, list[WeeklyScore]]:
    """The plans' weeks kept lately (enough to find each one's week before this one, in any zone)."""
    since = week_of(services.now().date()) - timedelta(weeks=LOOK_BACK_WEEKS + 1)
    return services.store.scores_since(plan_ids, since)


def score_today(
    record: PlanRecord, inputs: PlanInputs, kept: Sequence[WeeklyScore], now: datetime
) -> WeeklyScore:
    """The plan's score as of today in its zone, after the latest week kept before this one."""
    today = local_day(now, record.time_zone)
    before = next((score for score in reversed(kept) if score.week < week_of(today)), None)
    return score_week(inputs.snapshot, inputs.slips, today, before)


def preview_of(
    services: Services,
    record: PlanRecord,
    inputs: PlanInputs | None = None,
    kept: Sequence[WeeklyScore] | None = None,
) -> Preview:
    """What a push of this plan would write now (its inputs and weeks kept, when read already); an
    InputError before its first sync."""
    inputs = inputs or services.store.plan_input(record.id)
    if inputs is None:
        raise InputError("The plan has not been synced yet: open it in the sidebar first")
    if kept is None:
        kept = kept_since(services, [record.id]).get(record.id, [])
    score = score_today(record, inputs, kept, services.now())
    values = owned_values(score, services.links.spreadsheet(record), services.now())
    step = next_step(score)
    return Preview(score, values, salesforce_fields(values, step), hubspot_properties(values, step))


def changed_fields(wanted: Mapping[str, object], held: Mapping[str, object]) -> dict[str, object]:
    """The fields whose value the CRM does not hold already; none when only the last-sync time differs."""
    changed = {
        name: value for name, value in wanted.items() if not same_value(kind_of(name), value, held.get(name))
    }
    return {} if changed.keys() <= LAST_SYNC_NAMES else changed


@dataclass
class PushReport:
    """What a push did: each plan's fields written, plans left as they were, plans waiting for their
    seller to connect, failures, the close dates the plans do not support, connections refused, and when
    to try again (None: no need)."""

    written: dict[str, dict[str, object]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (plan, what the seller must do)
    failed: list[tuple[str, str]] = field(default_factory=list)
    findings: dict[str, Finding] = field(default_factory=dict)
    revoked: list[Crm] = field(default_factory=list)
    retry_after: float | None = None

    def as_json(self) -> dict[str, object]:
        """What `mutualplan crm push --json` and a unit's run say."""
        return {
            "written": self.written, "unchanged": self.unchanged,
            "waiting": [{"plan": plan_id, "why": said} for plan_id, said in self.waiting],
            "failed": [{"plan": plan_id, "error": said} for plan_id, said in self.failed],
            "findings": {plan_id: found.message for plan_id, found in self.findings.items()},
            "revoked": [crm.value for crm in self.revoked], "retry": self.retry_after is not None,
        }  # fmt: skip


def push_links(services: Services, owner: str, links: Sequence[CrmLink]) -> PushReport:
    """Push these links of one seller: per CRM, one read of their deals and one write of what differs."""
    report = PushReport()
    wanted = {link.plan_id for link in links}
    records = {record.id: record for record in services.store.plans_of(owner) if record.id in wanted}
    inputs = dict(services.store.plan_inputs(list(records)))
    loaded = Loaded(records, inputs, kept_since(services, list(inputs)))
    for crm in Crm:
        mine = [
            link for link in links if link.crm is crm and link.plan_id in inputs
        ]  # synced plans of theirs
        if mine:
            _push_crm(services, owner, crm, mine, loaded, report)
    services.store.clear_failures([*report.written, *report.unchanged], CRM)
    for plan_id, said in report.failed:  # kept for the plan's home card until a push succeeds
        services.store.record_failure(plan_id, CRM, services.now(), said)
    return report


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one seller's push read of the store at once: their plans, inputs and weeks kept."""

    records: Mapping[str, PlanRecord]
    inputs: Mapping[str, PlanInputs]
    kept: Mapping[str, list[WeeklyScore]]

    def preview(self, services: Services, plan_id: str) -> Preview:
        """What a push of one of the plans writes."""
        return preview_of(services, self.records[plan_id], self.inputs[plan_id], self.kept.get(plan_id, []))


def _push_crm(
    services: Services, owner: str, crm: Crm, links: Sequence[CrmLink], loaded: Loaded, report: PushReport
) -> None:
    store, now = services.store, services.now()
    try:
        client = session_of(services, owner, crm)
        previews = {link.plan_id: loaded.preview(services, link.plan_id) for link in links}
        found = client.read([link.record_id for link in links])
        changes: dict[str, dict[str, object]] = {}
        held: dict[str, Mapping[str, object]] = {}  # plan → its fields, which the CRM holds already
        for link in links:
            preview, deal = previews[link.plan_id], found.get(link.record_id)
            if deal is None:
                report.failed.append(
                    (
                        link.plan_id,
                        f"{crm.label} has no {crm.record} {link.record_id} you can see: link the plan again",
                    )
                )
                continue
            _note_finding(report, link.plan_id, deal, preview.score)
            changed = changed_fields(preview.fields_for(crm), deal.written)
            if changed:
                changes[link.record_id] = changed
            else:
                report.unchanged.append(link.plan_id)
                held[link.plan_id] = preview.fields_for(crm)
        store.crm_pushed(held, now)
        refused = client.write(changes) if changes else {}
    except CrmRevokedError as exc:
        store.set_crm_status(owner, crm, AccountStatus.RECONNECT, now)
        report.revoked.append(crm)
        report.failed += _still_owed(report, links, str(exc))
        return
    except CrmError as exc:
        if exc.passing:
            report.retry_after = max(report.retry_after or 0.0, exc.retry_after)
        report.failed += _still_owed(report, links, str(exc))
        return
    except InputError as exc:  # not connected: the pushes stay owed until the seller connects
        report.waiting += [(link.plan_id, str(exc)) for link in links]
        return
    written: dict[str, Mapping[str, object]] = {}
    for link in links:
        if link.record_id not in changes:
            continue
        if refused.get(link.record_id):
            report.failed.append((link.plan_id, f"{crm.label} refused it: {refused[link.record_id]}"))
            continue
        written[link.plan_id] = previews[link.plan_id].fields_for(crm)
        report.written[link.plan_id] = changes[link.record_id]
    store.crm_pushed(written, now)


def _still_owed(report: PushReport, links: Sequence[CrmLink], said: str) -> list[tuple[str, str]]:
    """The links a failure leaves owed, with what it said (those the CRM held already are not)."""
    held = set(report.unchanged)
    return [(link.plan_id, said) for link in links if link.plan_id not in held]


def _note_finding(report: PushReport, plan_id: str, deal: CrmDeal, score: WeeklyScore) -> None:
    found = close_finding(deal, score)
    if found is not None:
        report.findings[plan_id] = found


def push_due(services: Services, owner: str) -> PushReport:
    """Push every link of the seller a push is owed for (the queue's unit)."""
    return push_links(services, owner, services.store.crm_links_of(owner, due_only=True))


def push_unit(owner: str, at: datetime, key: str = "") -> Unit:
    """A seller's push, named for the hour it runs at the end of (or for its key): many syncs in an hour
    make one push, the hour's last figures."""
    hour = at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    name = key or hour.isoformat()
    return Unit(Job.CRM, f"{owner}|{name}", {"owner": owner}, None if key else hour)


def owe_pushes(services: Services, plan_ids: Collection[str]) -> int:
    """After syncs that changed something: owe a push of each linked plan whose written fields would
    change, and enqueue its seller's push for the end of the hour; how many plans."""
    store, owed = services.store, 0
    links = [link for plan_id in plan_ids if (link := store.crm_link(plan_id)) is not None]
    for link in links:
        record = store.plan(link.plan_id)
        if record is None:
            continue
        wanted = preview_of(services, record).fields_for(link.crm)
        if changed_fields(wanted, link.pushed):
            store.mark_crm_due([link.plan_id])
            services.unit_queue.enqueue([push_unit(link.owner, services.now())])
            owed += 1
    return owed


def owe_weekly(services: Services, owner: str, day: str) -> int:
    """At the seller's weekly score: owe a push of every linked plan of theirs, pushed at once."""
    links = services.store.crm_links_of(owner)
    if not links:
        return 0
    services.store.mark_crm_due([link.plan_id for link in links])
    return services.unit_queue.enqueue([push_unit(owner, services.now(), f"week {day}")])
