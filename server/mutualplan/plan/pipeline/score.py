"""A deal's weekly score: its health figures as they stood that week, its status and whether its signature
is supported. One is kept per plan per week (the week's Monday names it); the series is the trend."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from mutualplan.plan.dates.reading import plausible
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import RowState, Snapshot
from mutualplan.plan.pipeline.figures import Figures
from mutualplan.plan.pipeline.signature import signature_support
from mutualplan.plan.pipeline.status import STATUS_RULE, DealStatus, StatusRule, status_of
from mutualplan.plan.reminders.digest import CONFIRM_WINDOW_DAYS, must_be_true_by_signature
from mutualplan.plan.sheet.model import Side


def week_of(day: date) -> date:
    """The Monday of a day's week: the name of its score."""
    return day - timedelta(days=day.weekday())


class WeekPoint(NamedTuple):
    """A week's headline figures: a point of a deal's series, for a trend or a chart (the store keeps
    them beside the whole score, so that a long series is read without the rest)."""

    week: date
    status: DealStatus
    confirmation_rate_30d: float | None
    signature_supported: bool
    slips_this_week: int
    overdue_open: int


@dataclass(frozen=True, slots=True)
class WeeklyScore:
    """One week's score of a deal: its figures, and the status the rule gives them, with why."""

    week: date
    figures: Figures
    status: DealStatus
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The score as `mutualplan score --json` prints it (dates ISO)."""
        return {
            "week": self.week.isoformat(),
            "status": self.status.value,
            "reasons": list(self.reasons),
            **{name: _json_value(getattr(self.figures, name)) for name in _FIELDS},
        }

    @property
    def point(self) -> WeekPoint:
        """The week's headline figures."""
        figures = self.figures
        return WeekPoint(
            self.week, self.status, figures.confirmation_rate_30d, figures.signature_supported,
            figures.slips_this_week, figures.overdue_open,
        )  # fmt: skip

    def to_stored(self) -> str:
        """The score as the store keeps it: one JSON list, in Figures' field order (a pipeline reads
        thousands at once, and a list reads back several times faster than an object)."""
        values = [_json_value(getattr(self.figures, name)) for name in _FIELDS]
        return json.dumps(
            [self.week.isoformat(), self.status.value, list(self.reasons), *values], separators=(",", ":")
        )

    @classmethod
    def from_stored(cls, text: str) -> WeeklyScore:
        """A score back from the store's list."""
        week, status, reasons, *values = json.loads(text)
        for index in _DATE_AT:
            values[index] = _DAY(values[index]) if values[index] else None
        for index in _LIST_AT:
            values[index] = tuple(values[index])
        return cls(_DAY(week), Figures(*values), DealStatus(status), tuple(reasons))


def score_week(
    snapshot: Snapshot,
    slips: Sequence[Slip],
    today: date,
    before: WeeklyScore | None = None,
    rule: StatusRule = STATUS_RULE,
) -> WeeklyScore:
    """The deal's score for today's week, after the week before's (None: the first kept)."""
    rows = _tally(snapshot.rows, today)
    counted = [slip.days for slip in slips if slip.days > 0 and slip.counts(today)]
    support = signature_support(snapshot)
    milestone = rows.next_milestone
    earlier = before.figures if before is not None else None
    dates_key = hashlib.blake2b(";".join(rows.dates).encode(), digest_size=8).hexdigest()
    quiet = 0
    if earlier is not None and rows.overdue and not _active(earlier, rows, dates_key):
        quiet = earlier.quiet_weeks + 1
    signature, go_live = snapshot.target_signature, snapshot.go_live
    figures = Figures(
        confirmation_rate_30d=_share(rows.confirmed, rows.window),
        dates_next_30d=rows.window,
        confirmed_next_30d=rows.confirmed,
        confirmed_share_future=_share(rows.future_confirmed, rows.future),
        customer_owners=len(rows.customer_owners),
        single_threaded=len(rows.customer_owners) <= rule.single_threaded_owners,
        slips_total=len(counted),
        slip_days_total=sum(counted),
        slips_this_week=max(0, len(counted) - earlier.slips_total) if earlier else 0,
        slip_days_this_week=max(0, sum(counted) - earlier.slip_days_total) if earlier else 0,
        overdue_open=rows.overdue,
        days_to_signature=(signature - today).days if signature else None,
        days_to_go_live=(go_live - today).days if go_live else None,
        target_signature=signature,
        go_live=go_live,
        risks_past_date=sum(
            1
            for risk in snapshot.risks
            if risk.open and risk.due and risk.due < today and plausible(risk.due, today)
        ),
        proposals_waiting=rows.proposals,
        next_milestone=milestone.step if milestone else "",
        next_milestone_due=milestone.due if milestone else None,
        next_milestone_confirmed=milestone.verified if milestone else False,
        assumed_internal=tuple(rows.assumed_internal),
        must_be_true=tuple(f"{row.step} ({why})" for row, why in must_be_true_by_signature(snapshot, today)),
        signature_supported=support.supported,
        signature_waits_on=support.why_not,
        signature_steps_late=tuple(
            row.step
            for row, why in support.unsupported
            if row is not support.signature
            and (why == "past signature" or (row.due and row.due < today and not row.is_done))
        ),
        done_steps=rows.done,
        confirmed_steps=rows.verified,
        dates_key=dates_key,
        quiet_weeks=quiet,
        unconfirmed_weeks=(earlier.unconfirmed_weeks if earlier else 0) + 1
        if rows.window and not rows.confirmed
        else 0,
    )
    status, reasons = status_of(figures, rule)
    return WeeklyScore(week_of(today), figures, status, reasons)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


@dataclass
class _Tally:
    """What one pass over a plan's rows counts, as of a day."""

    window: int = 0  # open steps due in the next 30 days
    confirmed: int = 0  # of them, verified at their dates
    future: int = 0  # open steps due from today on
    future_confirmed: int = 0
    overdue: int = 0
    done: int = 0
    verified: int = 0  # every step verified at its current dates, done or not
    proposals: int = 0
    customer_owners: set[str] = field(default_factory=set)
    assumed_internal: list[str] = field(default_factory=list)  # open customer-internal steps not confirmed
    next_milestone: RowState | None = None
    dates: list[str] = field(default_factory=list)  # each step's dates: a week that changed them moved one


def _tally(rows: Sequence[RowState], today: date) -> _Tally:
    """The counts of the figures, in one pass (a weekly run scores every plan)."""
    found, window_end = _Tally(), today + timedelta(days=CONFIRM_WINDOW_DAYS)
    ahead: list[RowState] = []
    for row in rows:
        done, due, verified = row.is_done, row.due, row.verified
        found.dates.append(
            f"{row.id}:{row.start.toordinal() if row.start else 0}:{due.toordinal() if due else 0}"
        )
        found.done += done
        found.verified += verified
        found.proposals += row.proposal is not None
        for person in row.owners:
            if person.side is Side.CUSTOMER and person.is_person:
                found.customer_owners.add(person.email or person.name)
        if done:
            continue
        if row.is_customer_internal and not verified:
            found.assumed_internal.append(row.step)
        if due is None:
            continue
        if due < today:
            found.overdue += 1
            continue
        found.future += 1
        found.future_confirmed += verified
        ahead.append(row)
        if due <= window_end:
            found.window += 1
            found.confirmed += verified
    ahead.sort(key=lambda row: (row.due, row.sheet_row))
    found.next_milestone = next(
        (row for row in ahead if row.gate or row.is_signature), ahead[0] if ahead else None
    )
    return found


def _active(earlier: Figures, rows: _Tally, dates_key: str) -> bool:
    """Whether anything was confirmed, done or moved since the week before."""
    moved = dates_key != earlier.dates_key
    return rows.done > earlier.done_steps or rows.verified > earlier.confirmed_steps or moved


_FIELDS = Figures._fields
_DATE_AT = tuple(_FIELDS.index(name) for name in ("target_signature", "go_live", "next_milestone_due"))
_LIST_AT = tuple(_FIELDS.index(name) for name in ("assumed_internal", "must_be_true", "signature_steps_late"))
_DAY = date.fromisoformat


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value
