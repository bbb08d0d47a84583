"""The periodic jobs, fanned out: a cron call enqueues a few fan units and answers; each fan unit pages
over the fleet on an index, enqueues one unit per owner (or per batch of channels), and enqueues its own
next page. So no request, the cron's included, grows with the fleet.

- reminders (hourly): the owners whose plans have reached 08:00 local, one unit per owner, local day and
  UTC offset (the zones that share both share the moment); a re-run in the same day enqueues nothing
  twice, and the ledger, keyed by local day, sends nothing twice whatever runs;
- reconcile (every 10 minutes): one unit per owner;
- channels (hourly): one unit per batch of at most RENEW_BATCH lapsing channels;
- pipeline (with the reminders, on a Monday): one unit per viewer whose week starts there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from mutualplan.app.days import every_zone, local_time
from mutualplan.app.services import Services
from mutualplan.app.units import Job, Unit
from mutualplan.app.watch import RENEW_MARGIN

FAN_PAGE = 200  # units one fan unit enqueues before handing the rest to its next page
RENEW_BATCH = 50  # channels one renewal unit replaces: two Drive calls each, about 10 s in all
REMIND_HOURS = range(8, 10)  # local hours at which an owner's reminders are enqueued (a missed 08:00 run is
# caught at 09:00; never later, so that nobody is mailed in the evening)
MONDAY = 0  # a viewer's week starts on their Monday: their Pipeline spreadsheets refreshed, their digest sent
SLOTS = {Job.REMIND: 60, Job.RECONCILE: 10, Job.RENEW: 60}  # minutes between a job's cron calls


def start(services: Services, job: Job) -> int:
    """What a cron call does: enqueue the job's fan units for now (none twice in one slot); how many."""
    at = slot_of(services.now(), SLOTS[job])
    if job is not Job.REMIND:
        return services.unit_queue.enqueue([fan(job, at, "")])
    groups = reminder_groups(at)
    fans = [fan(job, at, "", zones) for zones in groups.values()]
    mondays = [zones for (day, _), zones in groups.items() if day.weekday() == MONDAY]
    return services.unit_queue.enqueue([*fans, *(fan(Job.PIPELINE, at, "", zones) for zones in mondays)])


def slot_of(moment: datetime, minutes: int) -> datetime:
    """The start of the slot of so many minutes a moment falls in."""
    return moment.replace(minute=moment.minute - moment.minute % minutes, second=0, microsecond=0)


def reminder_groups(at: datetime) -> dict[tuple[date, timedelta | None], list[str]]:
    """The zones whose local time is within REMIND_HOURS, grouped by local day and UTC offset: every zone
    there is, so that no query lists the plans' own."""
    groups: dict[tuple[date, timedelta | None], list[str]] = {}
    for name, zone in every_zone().items():
        local = at.astimezone(zone)
        if local.hour in REMIND_HOURS:
            groups.setdefault((local.date(), local.utcoffset()), []).append(name)
    return groups


def fan(job: Job, at: datetime, after: str, zones: Iterable[str] = ()) -> Unit:
    """The fan unit of a job's slot, from a cursor on (zones: the reminder group it fans over)."""
    zone_list = ",".join(sorted(zones))
    payload = {"of": job.value, "at": at.isoformat(), "after": after, "zones": zone_list}
    return Unit(Job.FAN, f"{job.value}|{at.isoformat()}|{zone_list}|{after}", payload)


def run_fan(services: Services, unit: Unit) -> dict[str, int]:
    """One page of a job's units enqueued, and the next page's fan unit when there is more."""
    job, at, after = (
        Job(unit.payload["of"]),
        datetime.fromisoformat(unit.payload["at"]),
        unit.payload["after"],
    )
    zones = [zone for zone in unit.payload.get("zones", "").split(",") if zone]
    units, cursor = PAGES[job](services, at, after, zones)
    more = [fan(job, at, cursor, zones)] if cursor else []
    return {"enqueued": services.unit_queue.enqueue([*units, *more]), "units": len(units)}


Page = tuple[list[Unit], str]  # a page's units, and the cursor of the next page ("" at the end)


def reminder_page(services: Services, at: datetime, after: str, zones: list[str]) -> Page:
    """One unit per owner of plans in the zones (one local day and offset), for that local day."""
    owners = services.store.owners(after, FAN_PAGE, zones)
    day = local_time(at, zones[0]).date().isoformat() if zones else ""
    listed = ",".join(zones)
    units = [
        Unit(Job.REMIND, f"{owner}|{day}|{listed}", {"owner": owner, "day": day, "zones": listed})
        for owner in owners
    ]
    return units, owners[-1] if len(owners) == FAN_PAGE else ""


def pipeline_page(services: Services, at: datetime, after: str, zones: list[str]) -> Page:
    """One unit per viewer whose week starts in the zones (their Pipeline spreadsheet's, else UTC), for
    their Monday; the deployment's revenue-operations viewers with no spreadsheet are in UTC's first page."""
    viewers = services.store.pipeline_viewers(after, FAN_PAGE, zones)
    cursor = viewers[-1] if len(viewers) == FAN_PAGE else ""
    if "UTC" in zones and not after:
        named = services.config.revenue_viewers()
        viewers += sorted(viewer for viewer in named if not services.store.pipeline_sheets_of(viewer))
    day = local_time(at, zones[0]).date().isoformat() if zones else ""
    units = [
        Unit(Job.PIPELINE, f"{viewer}|{day}", {"viewer": viewer, "day": day})
        for viewer in sorted(set(viewers))
    ]
    return units, cursor


def reconcile_page(services: Services, at: datetime, after: str, zones: list[str]) -> Page:
    """One unit per owner: their changed spreadsheets, each then a sync."""
    owners = services.store.owners(after, FAN_PAGE)
    units = [
        Unit(Job.RECONCILE, f"{owner}|{at.isoformat()}", {"owner": owner, "at": at.isoformat()})
        for owner in owners
    ]
    return units, owners[-1] if len(owners) == FAN_PAGE else ""


def renewal_page(services: Services, at: datetime, after: str, zones: list[str]) -> Page:
    """One unit per batch of channels that lapse within the renewal margin."""
    lapsing = [channel.id for channel in services.store.lapsing_channels(at + RENEW_MARGIN, after, FAN_PAGE)]
    batches = [lapsing[start : start + RENEW_BATCH] for start in range(0, len(lapsing), RENEW_BATCH)]
    units = [
        Unit(Job.RENEW, f"{batch[0]}..{batch[-1]}|{at.isoformat()}", {"channels": ",".join(batch)})
        for batch in batches
    ]
    return units, lapsing[-1] if len(lapsing) == FAN_PAGE else ""


PAGES: dict[Job, Callable[[Services, datetime, str, list[str]], Page]] = {
    Job.REMIND: reminder_page,
    Job.RECONCILE: reconcile_page,
    Job.RENEW: renewal_page,
    Job.PIPELINE: pipeline_page,
}
