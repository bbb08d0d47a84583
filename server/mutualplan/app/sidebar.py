"""The sidebar's journeys, one function a button, each returning what its card shows.

The same functions serve Google's sidebar and the sandbox's: only the platform behind services differs
(a Google spreadsheet with Drive's word on editors, or the embedded workbook with its per-cell editors).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from mutualplan.app.confirming import confirmation_link
from mutualplan.app.days import local_day
from mutualplan.app.following import as_owner, open_plan, stamp_plan
from mutualplan.app.ports import PlanAccess
from mutualplan.app.reading import read_plan
from mutualplan.app.records import PlanRecord, SpreadsheetSettings
from mutualplan.app.remind import reminding, title_of
from mutualplan.app.services import Services
from mutualplan.app.sidebar_views import (
    AskPreview,
    Gallery,
    HomeView,
    Opening,
    ProposalView,
    StampForm,
    Unconfirmed,
)
from mutualplan.app.stamping import restore_marker
from mutualplan.app.syncing import sync_now
from mutualplan.app.validating import history_of, validate
from mutualplan.errors import InputError
from mutualplan.plan.checks.review import Report
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.history.audit import StoredEvent
from mutualplan.plan.history.confirmation import confirm_request_lines, unconfirmed_within
from mutualplan.plan.history.own_rows import own_rows
from mutualplan.plan.people.naming import named_up_front
from mutualplan.plan.reminders.planner import PlanToRemind, Skipped, confirm_request
from mutualplan.plan.reminders.settings import MAX_DAYS_AHEAD, ReminderSettings
from mutualplan.plan.sheet.cells import email_domain
from mutualplan.plan.sheet.model import Side
from mutualplan.plan.sheet.stakeholders import champion_of
from mutualplan.plan.sheet.text import plural

GALLERY_WEEKS = 26  # the gallery's first go-live: six months out
ACTIVITY_SHOWN = 20
UNKNOWN_SHOWN_FOR = timedelta(days=7)  # how long the home card lists a message that may not have gone out
EDITED_MARKER = (
    "This sheet carries a mutualplan marker that another app edited, so it no longer says which plan the "
    "sheet holds, and mutualplan follows none here. Stamp a plan again below (tabs already here keep "
    "their names), or, if this sheet is a copy of a plan, open that plan and use Drive's Make a copy: "
    "a copy is adopted as a plan of its own."
)


def where(opening: Opening, access: PlanAccess) -> SpreadsheetSettings:
    """The spreadsheet's own time zone and locale (the sidebar's zone when the file keeps none)."""
    return access.workbook.settings() or SpreadsheetSettings(opening.time_zone, "")


def today_of(services: Services, opening: Opening, access: PlanAccess) -> date:
    """Today where the spreadsheet is."""
    return local_day(services.now(), where(opening, access).time_zone)


def _open(services: Services, opening: Opening) -> tuple[PlanAccess, PlanRecord | None]:
    if not opening.spreadsheet_id:
        raise InputError("Grant mutualplan access to this spreadsheet first")
    platform = services.platform
    # The plan's tab, when the store knows it, comes with the marker: Validate costs a read and a write.
    known = services.store.plan_in(opening.spreadsheet_id)
    access = platform.plan_for_user(opening.token, opening.spreadsheet_id, known.tabs.read if known else ())
    marker = access.workbook.marker()
    if marker is None and known is not None and access.workbook.marker_edited():
        marker = restore_marker(access.workbook, known)  # the store, not the edited sheet, says which plan
    if marker is None:
        return access, None
    # Who the user is costs Google a call: asked only when a copy is to be adopted as theirs.
    user = platform.user_email(opening.token) if marker.is_copy_in(opening.spreadsheet_id) else None
    drive = platform.drive_for_user(opening.token)
    time_zone = where(opening, access).time_zone  # learnt with the marker: no call
    record = open_plan(services, access, drive, opening.title, time_zone, user, marker)
    if record is not None and record.time_zone != time_zone:  # reminders keep to the sheet's zone
        services.store.set_time_zone(record.id, time_zone)
        record = replace(record, time_zone=time_zone)
    return access, record


def current_plan(services: Services, opening: Opening) -> tuple[PlanAccess, PlanRecord]:
    """The plan in the spreadsheet (a copy adopted, a lost plan followed again)."""
    access, record = _open(services, opening)
    if record is None:
        raise InputError("This spreadsheet holds no plan yet: stamp one from the gallery")
    return access, record


def home(services: Services, opening: Opening) -> HomeView | Gallery:
    """The plan at a glance, or the gallery for a spreadsheet with none."""
    access, record = _open(services, opening)
    if record is None:
        first = today_of(services, opening, access) + timedelta(weeks=GALLERY_WEEKS)
        notice = EDITED_MARKER if access.workbook.marker_edited() else ""
        return Gallery(tuple(services.templates.all()), first, notice)
    return _home_view(services, opening, access, record)


def _home_view(services: Services, opening: Opening, access: PlanAccess, record: PlanRecord) -> HomeView:
    found = services.store.plan_input(record.id)
    history = found.snapshot.history(found.slips) if found else None
    today, locale = today_of(services, opening, access), where(opening, access).locale or None
    report = read_plan(access.workbook, record.tabs).review(today, locale, history)
    proposals = tuple(
        ProposalView(row.id, row.step, row.due, row.proposal.due, row.proposal.reason, row.proposal.by)
        for row in (found.snapshot.rows if found else ())
        if row.proposal is not None
    )
    account = services.store.account(record.owner) if record.owner else None
    head = report.plan.head
    title = " — ".join(part for part in (head.customer, head.deal) if part) or record.title
    status = account.status if account else None
    user = services.platform.user_email(opening.token)
    if found is None or found.snapshot.side_of(user) is not Side.CUSTOMER:
        warning = found.snapshot.domain_moved if found else ""
        unknown = services.store.unknown_reminders(record.id, services.now() - UNKNOWN_SHOWN_FOR)
        return HomeView(
            record.id, title, report.health, status, record.owner, proposals, warning=warning,
            unknown_mail=tuple(unknown), failures=tuple(services.store.failures(record.id)),
        )  # fmt: skip
    own_link = confirmation_link(services, record.id, user)[0]  # Google vouched for who they are
    mine = own_rows(found.snapshot, user)
    return HomeView(record.id, title, report.health, status, record.owner, (), own_link, mine)


def sellers_plan(services: Services, opening: Opening) -> tuple[PlanAccess, PlanRecord]:
    """The plan, for what only the seller's side does (reminders, links, accepting proposals): a
    customer-side user is sent to their own page instead."""
    access, record = current_plan(services, opening)
    found = services.store.latest_snapshot(record.id).snapshot
    if found is not None and found.side_of(services.platform.user_email(opening.token)) is Side.CUSTOMER:
        raise InputError(
            "That is for the seller's side. Yours is Confirm or propose dates, on the plan's home card"
        )
    return access, record


def stamp(services: Services, opening: Opening, form: StampForm) -> HomeView:
    """Stamp the chosen template, dated backward from the go-live, and follow the plan; its home view."""
    if not opening.spreadsheet_id:
        raise InputError("Grant mutualplan access to this spreadsheet first")
    if form.go_live is None:
        raise InputError("Pick the customer's go-live date")
    domain = email_domain(form.customer_domain)
    platform = services.platform
    owner = platform.user_email(opening.token)
    deal = Deal(
        form.go_live, form.deal, form.customer, domain, owner, form.outcome, form.done_before_today,
        form.external_deadline, named_up_front(form.champion, form.team),
    )  # fmt: skip
    access = platform.plan_for_user(opening.token, opening.spreadsheet_id)
    drive = platform.drive_for_user(opening.token)
    today, time_zone = today_of(services, opening, access), where(opening, access).time_zone
    record = stamp_plan(services, access, drive, form.template, deal, today, opening.title, time_zone)
    return _home_view(services, opening, access, record)


def owned(services: Services, opening: Opening, access: PlanAccess, record: PlanRecord) -> PlanAccess:
    """The plan as its owner, for a sync the sidebar starts (see as_owner)."""
    return as_owner(services, record, access, lambda: services.platform.user_email(opening.token))


def check(services: Services, opening: Opening) -> tuple[Report, str]:
    """Validate: check every row, mark the sheet; the findings, and a link to the plan's tab that a cell's
    A1 name completes (see Links.cells)."""
    access, record = current_plan(services, opening)
    history = history_of(services.store, record.id)
    today, locale = today_of(services, opening, access), where(opening, access).locale or None
    report = validate(access.workbook, today, locale, history, record.tabs)
    return report, services.links.cells(record, access.workbook.tab_gid(record.tabs.map))


def activity(services: Services, opening: Opening) -> list[StoredEvent]:
    """The latest confirmations, voids and slips."""
    _, record = current_plan(services, opening)
    return services.store.events(record.id)[-ACTIVITY_SHOWN:]


def ask(services: Services, opening: Opening) -> AskPreview:
    """The next 30 days' unconfirmed dates, and the words to ask the champion with."""
    access, record = sellers_plan(services, opening)
    plan = read_plan(access.workbook, record.tabs).plan()
    today = today_of(services, opening, access)
    rows = unconfirmed_within(plan, today, history_of(services.store, record.id))
    champion = champion_of(plan.stakeholders)
    listed = tuple(
        Unconfirmed(
            row.sheet_row, row.step, row.due.value, ", ".join(owner.party.label for owner in row.owners)
        )
        for row in rows
        if row.due.value
    )
    to = f"{champion.name} <{champion.email}>" if champion else ""
    return AskPreview(
        listed, to, "\n".join(confirm_request_lines([(item.due, item.step) for item in listed]))
    )


def ask_send(services: Services, opening: Opening) -> str:
    """Send this week's request to the champion now (the weekly job then knows it was sent): what became
    of it, in a sentence."""
    access, record = sellers_plan(services, opening)
    owner = owned(services, opening, access, record)
    sync_now(services, owner.workbook, owner.editors, record)  # the sheet as it is now
    found = services.store.plan_input(record.id)
    if found is None:
        raise InputError("This plan has not been synced yet: open it again in a minute")
    plan = PlanToRemind(
        record.id, title_of(found.snapshot, record), record.owner, found.snapshot, found.settings
    )
    asked = confirm_request(plan, today_of(services, opening, access))
    if asked is None:
        return "Every open step due in the next 30 days is confirmed: nothing to ask"
    if isinstance(asked, Skipped):
        return f"Not sent: {asked.why}"
    if asked.key in found.claimed:
        return f"{asked.to.email} was already asked this week"
    why_not = reminding(services).send(record, asked, sender_name=plan.seller_name)
    if why_not is not None:
        return f"Not sent: {why_not}"
    dates = sum(line.startswith("•") for line in asked.lines)
    return f"Sent to {asked.to.name or asked.to.email}: {plural(dates, 'date')} to confirm"


def reminder_settings(services: Services, opening: Opening) -> ReminderSettings:
    """The plan's reminder settings."""
    _, record = sellers_plan(services, opening)
    return services.store.reminder_settings(record.id)


def save_reminder_settings(
    services: Services, opening: Opening, days_ahead: str, picked: frozenset[str]
) -> HomeView:
    """Keep the reminder settings the card's form says; the home view after."""
    days = days_ahead.strip() or "3"
    if not days.isdigit() or len(days) > 3 or int(days) > MAX_DAYS_AHEAD:
        raise InputError(f"Days before a due date is a whole number from 0 to {MAX_DAYS_AHEAD}")
    chosen = ReminderSettings(int(days), "owners" in picked, "champion" in picked, "digest" in picked)
    access, record = sellers_plan(services, opening)
    services.store.save_reminder_settings(record.id, chosen)
    return _home_view(services, opening, access, record)
