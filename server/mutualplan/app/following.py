"""Following a plan: the one way a spreadsheet's plan becomes a plan the store keeps up with.

Whoever opens a spreadsheet (the sidebar, the sandbox, the CLI) comes through open_plan: a plan the
store knows is simply found; a copy of a plan (a template-gallery copy, "Make a copy") is adopted as a
plan of its own; a plan the store does not know (stamped elsewhere, or a store that lost it) is
followed again. Following is: register, watch the spreadsheet, take the first snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from mutualplan.app.ports import Drive, PlanAccess
from mutualplan.app.records import PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.stamping import adopt_copy, new_plan_id, stamp
from mutualplan.app.store_ports import Store
from mutualplan.app.sync import SyncResult
from mutualplan.app.watch import open_channel, sync_access
from mutualplan.errors import GrantRevokedError, InputError
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.sheet.layout import PlanMarker


def follow(
    store: Store,
    drive: Drive,
    access: PlanAccess,
    record: PlanRecord,
    address: str,
    now: Callable[[], datetime],
) -> SyncResult:
    """Start following a plan: register it, watch its spreadsheet (Drive posts to address), take the
    first snapshot every later sync starts from."""
    store.add_plan(record)
    open_channel(store, drive, record, address, now())
    return sync_access(store, record, access, now)


def as_owner(
    services: Services, record: PlanRecord, access: PlanAccess, user: Callable[[], str] | None = None
) -> PlanAccess:
    """The plan as its owner's offline grant, for the writes mutualplan keeps (IDs, write-backs, Log
    rows): the protected ranges are the owner's, whoever opened the sidebar. Until the owner connects,
    the caller's own access serves, when the caller (user, if told) is the owner."""
    try:
        return services.platform.plan_for_owner(record, None)
    except GrantRevokedError as exc:
        if user is None or user().casefold() == record.owner.casefold():
            return access
        raise InputError(
            f"{record.owner} owns this plan and has not connected mutualplan yet: "
            "ask them to open the sidebar and Connect"
        ) from exc


def open_plan(
    services: Services,
    access: PlanAccess,
    drive: Drive,
    title: str,
    time_zone: str,
    adopter: str | None,
    marker: PlanMarker | None = None,
) -> PlanRecord | None:
    """The store's record of the plan in a spreadsheet (None when it holds none): a copy is adopted as a
    plan owned by the adopter (by default the original's owner); a plan the store lost is followed.
    The marker, when the caller has read it already, saves a read."""
    workbook = access.workbook
    marker = marker or workbook.marker()
    if marker is None:
        return None
    if marker.is_copy_in(workbook.spreadsheet_id):
        adopted = adopt_copy(workbook, new_plan_id(), adopter)
        if adopted is not None:
            return _follow(services, access, adopted, drive, title, time_zone)
    found = services.store.plan(marker.plan_id)
    if found is not None and found.spreadsheet_id != workbook.spreadsheet_id:
        raise InputError(
            "This sheet's mutualplan marker was edited: it names a plan kept in another spreadsheet, so "
            "mutualplan will not show that plan here. Stamp this deal's plan in a new spreadsheet"
        )
    return found or _follow(services, access, marker, drive, title, time_zone)


def stamp_plan(
    services: Services,
    access: PlanAccess,
    drive: Drive,
    template_name: str,
    deal: Deal,
    today: date,
    title: str,
    time_zone: str,
) -> PlanRecord:
    """Stamp a plan into an empty spreadsheet, dated backward from the go-live, and follow it."""
    if access.workbook.marker() is not None:
        raise InputError("This spreadsheet already holds a plan")
    template = services.templates.named(template_name)
    marker = stamp(access.workbook, template, deal, today, new_plan_id())
    return _follow(services, access, marker, drive, title, time_zone)


def _follow(
    services: Services, access: PlanAccess, marker: PlanMarker, drive: Drive, title: str, time_zone: str
) -> PlanRecord:
    record = PlanRecord.of(marker, services.platform.kind, title or marker.tab, services.now(), time_zone)
    owned = as_owner(services, record, access)
    follow(services.store, drive, owned, record, services.hook_address, services.now)
    return record
