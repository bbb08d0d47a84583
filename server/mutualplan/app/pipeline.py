"""The manager's pipeline: whose plans a person may see, each deal's weekly score kept at its owner's
weekly run, and the pipeline as one viewer sees it.

Invariants:
- a person sees a plan only when they own it, its owner shares their plans' health with them, or they
  are a revenue-operations viewer (MUTUALPLAN_PIPELINE_VIEWERS); and only a plan owned at their own
  address's domain, whatever a share or a setting says;
- a share names an address at the owner's own domain; stopping it holds at the next view (nothing is
  cached), and every view of another person's plans is logged;
- a pipeline holds figures, steps and names, never a buyer's link;
- a week's score is kept once, by the first run of that week; a later run keeps it as it was.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from mutualplan.app.days import local_day
from mutualplan.app.pipeline_ports import PipelineStore
from mutualplan.app.records import PipelineView, PlanInputs, PlanRecord
from mutualplan.app.store_ports import Fleet, PlanInputsLoader, Plans
from mutualplan.config import Config
from mutualplan.errors import InputError
from mutualplan.plan.people.confirmers import domain_of
from mutualplan.plan.people.parties import is_email_address
from mutualplan.plan.pipeline import (
    Trend,
    WeeklyScore,
    WeekPoint,
    attention_key,
    score_week,
    trend_of,
    week_of,
)
from mutualplan.plan.sheet.grid import CellValue

TREND_WEEKS = 12  # the weeks a picture and `mutualplan score` show by default
OWNERS_A_PAGE = 500
OPERATOR = "operator"  # who the log says viewed every plan through the CLI
LOOK_BACK_WEEKS = 5  # a week's score follows the latest kept within this many weeks (a missed run)


class PipelineViews(PipelineStore, Fleet, PlanInputsLoader, Plans, Protocol):
    """What showing a pipeline needs of the store."""


class Place(StrEnum):
    """Where a pipeline was viewed, as the log of views says."""

    CARD = "card"
    SPREADSHEET = "spreadsheet"
    DIGEST = "digest"
    CLI = "cli"


@dataclass(frozen=True, slots=True)
class Deal:
    """One plan in a pipeline: its scores of the last weeks, the latest last."""

    record: PlanRecord
    history: tuple[WeeklyScore, ...]  # never empty: the last two weeks' scores, or today's when provisional
    points: tuple[WeekPoint, ...] = ()  # the longer series, when one was asked for (else the history's)
    provisional: bool = False  # no week kept yet: today's figures, shown and not kept

    @property
    def score(self) -> WeeklyScore:
        """The latest score."""
        return self.history[-1]

    @property
    def before(self) -> WeeklyScore | None:
        """The score before the latest, when one was kept."""
        return self.history[-2] if len(self.history) > 1 else None

    @property
    def series(self) -> tuple[WeekPoint, ...]:
        """The deal's weeks, oldest first: the longer series when one was read, else the history's."""
        return self.points or tuple(score.point for score in self.history)

    @property
    def trend(self) -> Trend:
        """The confirmation rate, week by week."""
        return trend_of(self.series)

    @property
    def supported(self) -> bool:
        """Whether the signature rests on the buyer's verified word."""
        return self.score.figures.signature_supported

    def as_json(self) -> dict[str, object]:
        """The deal as `mutualplan pipeline --json` prints it."""
        return {
            "plan": self.record.id,
            "title": self.record.title,
            "owner": self.record.owner,
            "provisional": self.provisional,
            "trend": self.trend.arrow,
            **self.score.as_json(),
        }


# The pipeline's columns, for the CSV export and the Pipeline spreadsheet: (heading, value of a deal).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Deal", "title"),
    ("Owner", "owner"),
    ("Status", "status"),
    ("Signature supported", "signature_supported"),
    ("Confirmed, next 30 days (share)", "confirmation"),
    ("Trend", "trend"),
    ("Next milestone", "next_milestone"),
    ("Milestone due", "next_milestone_due"),
    ("Milestone confirmed", "next_milestone_confirmed"),
    ("Slips this week", "slips_this_week"),
    ("Slips in all", "slips_total"),
    ("Days slipped in all", "slip_days_total"),
    ("Overdue steps", "overdue_open"),
    ("Customer owners", "customer_owners"),
    ("Days to signature", "days_to_signature"),
    ("Days to go-live", "days_to_go_live"),
    ("Risks past their date", "risks_past_date"),
    ("Proposals waiting", "proposals_waiting"),
    ("Why", "reasons"),
    ("Week", "week"),
)


def deal_values(deal: Deal) -> dict[str, CellValue]:
    """A deal's values by column key: numbers as numbers (a sheet charts them), dates as dates."""
    figures = deal.score.figures
    values: dict[str, CellValue] = {
        "title": deal.record.title,
        "owner": deal.record.owner,
        "status": deal.score.status.value,
        "confirmation": figures.confirmation_rate_30d,
        "trend": deal.trend.arrow,
        "reasons": "; ".join(deal.score.reasons),
        "week": deal.score.week,
    }
    for _, key in COLUMNS:
        if key not in values:
            values[key] = getattr(figures, key)
    return values


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The deals one person may see, what needs attention first."""

    viewer: str
    deals: tuple[Deal, ...]

    def as_json(self) -> dict[str, object]:
        """The pipeline as `mutualplan pipeline --json` prints it."""
        return {"viewer": self.viewer, "deals": [deal.as_json() for deal in self.deals]}

    def as_csv(self) -> str:
        """The pipeline as `mutualplan pipeline --csv` prints it: the export for another CRM."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([heading for heading, _ in COLUMNS])
        for deal in self.deals:
            values = deal_values(deal)
            writer.writerow([_spreadsheet_safe(_text(values[key])) for _, key in COLUMNS])
        return out.getvalue()


def _spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet opening the CSV reads as text, never as a formula (OWASP's CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def visible_owners(store: PipelineStore, config: Config, viewer: str) -> list[str]:
    """The owners whose plans a person may see: their own, those who share with them, and, for a
    revenue-operations viewer, every owner at their domain; never an owner of another domain."""
    viewer = viewer.casefold()
    domain = domain_of(viewer)
    owners = {viewer, *store.sharing_with(viewer)}
    if viewer in config.revenue_viewers():
        owners.update(store.owners_at(domain))
    return sorted(owner for owner in owners if domain_of(owner) == domain)


def pipeline_of(
    store: PipelineViews, config: Config, viewer: str, now: datetime, place: Place, weeks: int = 2
) -> Pipeline:
    """The deals a person may see, what needs attention first, each with its last weeks' scores; a view
    of another person's plans is logged."""
    viewer = viewer.casefold()
    return _pipeline(store, viewer, visible_owners(store, config, viewer), now, place, weeks)


def operator_pipeline(store: PipelineViews, now: datetime, weeks: int = 2) -> Pipeline:
    """Every plan in the store, as the deployment's operator sees it (the CLI without --for); logged."""
    owners, after = [], ""
    while page := store.owners(after, OWNERS_A_PAGE):
        owners += page
        after = page[-1]
    return _pipeline(store, OPERATOR, owners, now, Place.CLI, weeks)


def _pipeline(
    store: PipelineViews, viewer: str, owners: Iterable[str], now: datetime, place: Place, weeks: int
) -> Pipeline:
    records = store.plans_of_owners(list(owners))
    counts = Counter(record.owner for record in records)
    views = [
        PipelineView(now, viewer, owner, place.value, count)
        for owner, count in counts.items()
        if owner != viewer
    ]
    store.log_pipeline_views(views)
    deals = deals_of(store, records, now, weeks)
    return Pipeline(
        viewer, tuple(sorted(deals, key=lambda deal: (attention_key(deal.score), deal.record.title)))
    )


def deals_of(store: PipelineViews, records: Collection[PlanRecord], now: datetime, weeks: int) -> list[Deal]:
    """The plans as deals: their kept scores of the last two weeks, and their headline figures of the
    last weeks (when more are asked for); a plan with none kept yet is scored on today's figures, not
    kept (a plan never synced has no figures, and is left out)."""
    ids, this_week = [record.id for record in records], week_of(now.date())
    kept = store.scores_since(ids, this_week - timedelta(weeks=1))
    points = store.week_points(ids, this_week - timedelta(weeks=weeks - 1)) if weeks > 2 else {}
    missing = [record.id for record in records if record.id not in kept]
    found = dict(store.plan_inputs(missing)) if missing else {}
    deals = []
    for record in records:
        scores = kept.get(record.id)
        if scores:
            deals.append(Deal(record, tuple(scores), tuple(points.get(record.id, ()))))
        elif record.id in found:
            inputs = found[record.id]
            score = score_week(inputs.snapshot, inputs.slips, local_day(now, record.time_zone))
            deals.append(Deal(record, (score,), provisional=True))
    return deals


def keep_week_scores(
    store: PipelineStore, inputs: Mapping[str, PlanInputs], days: Mapping[str, date], at: datetime
) -> int:
    """Keep this week's score of each plan that has none yet ("this week" in its own zone), after the
    latest kept before it; how many were kept. The weekly run's step: every later run that week finds
    them kept and scores nothing."""
    weeks = {plan_id: week_of(days[plan_id]) for plan_id in inputs}
    if not weeks:
        return 0
    kept = store.scores_since(list(weeks), min(weeks.values()) - timedelta(weeks=LOOK_BACK_WEEKS))
    new: list[tuple[str, WeeklyScore]] = []
    for plan_id, found in inputs.items():
        earlier = [score for score in kept.get(plan_id, ()) if score.week <= weeks[plan_id]]
        if earlier and earlier[-1].week == weeks[plan_id]:
            continue
        before = earlier[-1] if earlier else None
        new.append((plan_id, score_week(found.snapshot, found.slips, days[plan_id], before)))
    store.record_scores(new, at)
    return len(new)


def keep_scores_of(store: PipelineViews, records: Collection[PlanRecord], now: datetime) -> int:
    """Keep this week's score of each of these plans that has none yet ("this week" in its own zone),
    loading the inputs of those alone; how many were kept. Whichever weekly run comes first keeps them."""
    days = {record.id: local_day(now, record.time_zone) for record in records}
    if not days:
        return 0
    kept = store.scores_since(list(days), min(week_of(day) for day in days.values()))
    missing = [
        plan_id
        for plan_id, day in days.items()
        if not any(score.week == week_of(day) for score in kept.get(plan_id, ()))
    ]
    if not missing:
        return 0
    return keep_week_scores(store, dict(store.plan_inputs(missing)), days, now)


def deal_series(store: PipelineViews, plan_id: str, weeks: int, today: date) -> list[WeeklyScore]:
    """One plan's kept scores of its last weeks, oldest first; an InputError for a plan not known."""
    if store.plan(plan_id) is None:
        raise InputError(f"the store knows no plan '{plan_id}' (mutualplan plans lists them)")
    return store.scores_since([plan_id], week_of(today) - timedelta(weeks=weeks - 1)).get(plan_id, [])


def share_pipeline(store: PipelineStore, owner: str, viewer: str, at: datetime) -> str:
    """Share an owner's plans' health with a colleague at the owner's own domain; what to say of it.
    An InputError says what to fix."""
    owner, viewer = owner.casefold(), viewer.strip().casefold()
    if not is_email_address(viewer):
        raise InputError(
            f"'{viewer[:60]}' is not an email address: write one, such as lead@{domain_of(owner)}"
        )
    if domain_of(viewer) != domain_of(owner):
        raise InputError(
            f"your plans' health can be shared only with people at {domain_of(owner)}, your own domain;"
            f" {viewer} is not"
        )
    if viewer == owner:
        raise InputError("you see your own plans already: name a colleague")
    store.share_pipeline(owner, viewer, at)
    return f"{viewer} now sees your plans' health in their pipeline."


def stop_sharing(store: PipelineStore, owner: str, viewer: str) -> str:
    """Stop sharing an owner's plans with someone, at once; what to say of it."""
    if store.stop_sharing(owner.casefold(), viewer.strip().casefold()):
        return f"{viewer} no longer sees your plans."
    return f"Your plans were not shared with {viewer}."
