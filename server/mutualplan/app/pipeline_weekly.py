"""A viewer's Pipeline spreadsheets and weekly digest.

Invariants:
- a Pipeline spreadsheet holds only what its viewer may see (app.pipeline), written by one apply: values
  only (text as text, never a formula), its tabs protected; a tab deleted by hand comes back;
- the weekly unit of a viewer (their Monday, 08:00 in their Pipeline spreadsheet's zone, else UTC)
  refreshes their spreadsheets as their own offline grant, and mails their digest to them alone, at most
  once a week (claimed in its ledger before it is sent); the digest holds figures, steps and names and
  the plans' spreadsheets, never a buyer's link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from mutualplan.app.mail import compose
from mutualplan.app.pipeline import (
    COLUMNS,
    TREND_WEEKS,
    Deal,
    Pipeline,
    PipelineViews,
    Place,
    deal_values,
    keep_scores_of,
    pipeline_of,
    visible_owners,
)
from mutualplan.app.pipeline_picture import PICTURE_ALT, deals_png
from mutualplan.app.ports import Workbook
from mutualplan.app.records import PipelineSheet
from mutualplan.app.services import Services
from mutualplan.app.sidebar_views import Opening
from mutualplan.config import Config
from mutualplan.errors import GoogleApiError, InputError
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.pipeline import WeeklyScore, week_of
from mutualplan.plan.pipeline.digest import manager_digest_lines
from mutualplan.plan.pipeline.sheet import refresh_writes
from mutualplan.plan.reminders.planner import Recipient, Reminder, ReminderKind
from mutualplan.plan.sheet.grid import CellValue
from mutualplan.plan.sheet.text import plural

DIGEST_SUBJECT = "Your pipeline"  # the subject opens with it: "Your pipeline: week of 7 Dec 2026"
DIGEST_FOOTER = "You get this because you may see these deals in mutualplan: yours, or shared with you."
PICTURED = 25  # the deals the digest's picture draws, what needs attention first


def weekly_rows(pipeline: Pipeline) -> list[list[CellValue]]:
    """The Weekly scores tab: one row per deal per week, oldest week first."""
    return [
        [
            deal.record.title, point.week, point.status.value, point.confirmation_rate_30d,
            point.signature_supported, point.slips_this_week, point.overdue_open,
        ]
        for deal in pipeline.deals
        for point in deal.series
    ]  # fmt: skip


def refresh_sheet(
    store: PipelineViews, config: Config, workbook: Workbook, viewer: str, now: datetime
) -> int:
    """Write a viewer's pipeline into a Pipeline spreadsheet in one apply; how many deals it holds."""
    found = pipeline_of(store, config, viewer, now, Place.SPREADSHEET, weeks=TREND_WEEKS)
    deals = [[values[key] for _, key in COLUMNS] for values in map(deal_values, found.deals)]
    headings = [heading for heading, _ in COLUMNS]
    workbook.apply(refresh_writes(viewer, set(workbook.tabs()), headings, deals, weekly_rows(found)))
    return len(found.deals)


def make_pipeline_sheet(services: Services, opening: Opening) -> str:
    """Make the opened (empty, or any) spreadsheet the opener's Pipeline spreadsheet, written at once and
    refreshed every week; what to say of it."""
    if not opening.spreadsheet_id:
        raise InputError("Grant mutualplan access to this spreadsheet first")
    platform = services.platform
    viewer = platform.user_email(opening.token).casefold()
    access = platform.plan_for_user(opening.token, opening.spreadsheet_id)
    if access.workbook.marker() is not None:
        raise InputError("This spreadsheet holds a plan: make the Pipeline in a spreadsheet of its own")
    kept = services.store.pipeline_sheet(opening.spreadsheet_id)
    if kept is not None and kept.viewer != viewer:  # one viewer's deals must never be written into another's
        raise InputError(
            f"This is {kept.viewer}'s Pipeline spreadsheet: make yours in a spreadsheet of your own"
        )
    count = refresh_sheet(services.store, services.config, access.workbook, viewer, services.now())
    settings = access.workbook.settings()
    time_zone = settings.time_zone if settings else opening.time_zone
    sheet = PipelineSheet(opening.spreadsheet_id, viewer, platform.kind, time_zone, services.now())
    services.store.add_pipeline_sheet(sheet)
    return f"Pipeline written: {plural(count, 'deal')}; it is refreshed every Monday"


@dataclass(frozen=True, slots=True)
class DigestDeal:
    """A deal as the digest lists it."""

    title: str
    opens: str
    score: WeeklyScore
    before: WeeklyScore | None


@dataclass(frozen=True, slots=True)
class WeekDone:
    """What a viewer's weekly unit did."""

    refreshed: int
    mailed: bool
    failed: tuple[str, ...] = ()


def weekly_pipeline(services: Services, viewer: str, day: date) -> WeekDone:
    """A viewer's week: the week's scores of the plans they see kept (where no reminder run kept them
    yet), their Pipeline spreadsheets refreshed, their digest mailed (at most once)."""
    viewer, store = viewer.casefold(), services.store
    owners = visible_owners(store, services.config, viewer)
    keep_scores_of(store, [record for owner in owners for record in store.plans_of(owner)], services.now())
    refreshed, failed = 0, []
    for sheet in store.pipeline_sheets_of(viewer):
        try:
            workbook = services.platform.workbook_for_owner(viewer, sheet.spreadsheet_id)
            refresh_sheet(store, services.config, workbook, viewer, services.now())
        except GoogleApiError as exc:  # one spreadsheet's failure is that spreadsheet's alone
            failed.append(f"{sheet.spreadsheet_id}: {exc}")
        else:
            refreshed += 1
    mailed = send_digest(services, viewer, day)
    return WeekDone(refreshed, mailed, tuple(failed))


@dataclass(frozen=True, slots=True)
class Digest:
    """A viewer's weekly digest: its words, its picture, and the plans' links it makes links of."""

    reminder: Reminder
    picture: bytes
    links: tuple[str, ...]


def digest_of(services: Services, viewer: str, day: date) -> Digest | None:
    """The viewer's digest for the week of a day; None when they see no deal."""
    found = pipeline_of(services.store, services.config, viewer, services.now(), Place.DIGEST, TREND_WEEKS)
    if not found.deals:
        return None
    listed = [_listed(services, deal) for deal in found.deals]
    subject = f"{DIGEST_SUBJECT}: week of {format_day(week_of(day))}"
    words = Reminder(
        ReminderKind.PIPELINE, "", Recipient(viewer), subject, tuple(manager_digest_lines(listed)),
        period=week_of(day).isoformat(),
    )  # fmt: skip
    return Digest(words, deals_png(found.deals[:PICTURED]), tuple(deal.opens for deal in listed))


def _listed(services: Services, deal: Deal) -> DigestDeal:
    return DigestDeal(deal.record.title, services.links.spreadsheet(deal.record), deal.score, deal.before)


def send_digest(services: Services, viewer: str, day: date) -> bool:
    """Mail a viewer their week's digest, as themselves, at most once; whether it went now."""
    digest = digest_of(services, viewer, day)
    if digest is None or viewer in services.store.unsubscribed():
        return False
    key = f"pipeline|{viewer}|{digest.reminder.period}"
    message = compose(
        digest.reminder, viewer, "", services.links.unsubscribe(viewer), picture=digest.picture,
        picture_alt=PICTURE_ALT, footer=DIGEST_FOOTER, linked=digest.links,
    )  # fmt: skip
    if not services.store.claim_pipeline_mail(key, viewer, services.now()):
        return False
    try:
        services.platform.mailer_for(viewer).send(message)
    except GoogleApiError as exc:
        if exc.status != 0:  # Google said no: nothing went, so the claim is given back for a retry
            services.store.finish_pipeline_mail(key, None)
        raise
    services.store.finish_pipeline_mail(key, services.now())
    return True
