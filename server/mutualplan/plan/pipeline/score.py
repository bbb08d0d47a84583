"""A deal's weekly score: its health figures as they stood that week, its status and whether its signature
is supported. One is kept per plan per week (the week's Monday names it); the series is the trend."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from mutualplan.plan.dates import plausible
from mutualplan.plan.digest import CONFIRM_WINDOW_DAYS, must_be_true_by_signature, open_due
from mutualplan.plan.history import Slip
from mutualplan.plan.model import Side
from mutualplan.plan.pipeline.figures import Figures
from mutualplan.plan.pipeline.signature import signature_support
from mutualplan.plan.pipeline.status import STATUS_RULE, DealStatus, StatusRule, status_of
from mutualplan.plan.snapshot import RowState, Snapshot


def week_of(day: date) -> date:
    """The Monday of a day's week: the name of its score."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeeklyScore:
    """One week's score of a deal: its figures, and the status the rule gives them, with why."""

    week: date
    figures: Figures
    status: DealStatus
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The score as the store keeps it and `mutualplan score --json` prints it (dates ISO)."""
        return {
            "week": self.week.isoformat(),
            "status": self.status.value,
            "reasons": list(self.reasons),
            **{name: _json_value(getattr(self.figures, name)) for name in _FIELDS},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WeeklyScore:
        """A score back from its JSON form."""
        values = {name: _field_value(name, data[name]) for name in _FIELDS}
        figures = Figures(**values)
        return cls(
            date.fromisoformat(data["week"]), figures, DealStatus(data["status"]), tuple(data["reasons"])
        )


def score_week(
    snapshot: Snapshot,
    slips: Sequence[Slip],
    today: date,
    before: WeeklyScore | None = None,
    rule: StatusRule = STATUS_RULE,
) -> WeeklyScore:
    """The deal's score for today's week, after the week before's (None: the first kept)."""
    window = open_due(snapshot, today, today + timedelta(days=CONFIRM_WINDOW_DAYS))
    confirmed = sum(1 for row in window if row.verified)
    future = [row for row in snapshot.rows if not row.is_done and row.due is not None and row.due >= today]
    counted = [slip.days for slip in slips if slip.days > 0 and slip.counts(today)]
    owners = {
        p.email or p.name
        for row in snapshot.rows
        for p in row.owners
        if p.side is Side.CUSTOMER and p.is_person
    }
    support = signature_support(snapshot)
    milestone = _next_milestone(snapshot, today)
    overdue = [row for row in snapshot.rows if not row.is_done and row.due is not None and row.due < today]
    done_steps = sum(1 for row in snapshot.rows if row.is_done)
    confirmed_steps = sum(1 for row in snapshot.rows if row.verified)
    dates_key = _dates_key(snapshot.rows)
    earlier = before.figures if before is not None else None
    quiet = 0
    if earlier is not None and overdue and not _active(earlier, done_steps, confirmed_steps, dates_key):
        quiet = earlier.quiet_weeks + 1
    unanswered = bool(window) and not confirmed
    signature, go_live = snapshot.target_signature, snapshot.go_live
    figures = Figures(
        confirmation_rate_30d=round(confirmed / len(window), 3) if window else None,
        dates_next_30d=len(window),
        confirmed_next_30d=confirmed,
        confirmed_share_future=round(sum(1 for row in future if row.verified) / len(future), 3)
        if future
        else None,
        customer_owners=len(owners),
        single_threaded=len(owners) <= rule.single_threaded_owners,
        slips_total=len(counted),
        slip_days_total=sum(counted),
        slips_this_week=max(0, len(counted) - earlier.slips_total) if earlier else 0,
        slip_days_this_week=max(0, sum(counted) - earlier.slip_days_total) if earlier else 0,
        overdue_open=len(overdue),
        days_to_signature=(signature - today).days if signature else None,
        days_to_go_live=(go_live - today).days if go_live else None,
        target_signature=signature,
        go_live=go_live,
        risks_past_date=sum(
            1
            for risk in snapshot.risks
            if risk.open and risk.due and risk.due < today and plausible(risk.due, today)
        ),
        proposals_waiting=sum(1 for row in snapshot.rows if row.proposal is not None),
        next_milestone=milestone.step if milestone else "",
        next_milestone_due=milestone.due if milestone else None,
        next_milestone_confirmed=milestone.verified if milestone else False,
        assumed_internal=tuple(
            row.step
            for row in snapshot.rows
            if row.is_customer_internal and not row.is_done and not row.verified
        ),
        must_be_true=tuple(f"{row.step} ({why})" for row, why in must_be_true_by_signature(snapshot, today)),
        signature_supported=support.supported,
        signature_waits_on=support.why_not,
        signature_steps_late=tuple(
            row.step
            for row, why in support.unsupported
            if row is not support.signature
            and (why == "past signature" or (row.due and row.due < today and not row.is_done))
        ),
        done_steps=done_steps,
        confirmed_steps=confirmed_steps,
        dates_key=dates_key,
        quiet_weeks=quiet,
        unconfirmed_weeks=(earlier.unconfirmed_weeks if earlier else 0) + 1 if unanswered else 0,
    )
    status, reasons = status_of(figures, rule)
    return WeeklyScore(week_of(today), figures, status, reasons)


def _active(earlier: Figures, done_steps: int, confirmed_steps: int, dates_key: str) -> bool:
    """Whether anything was confirmed, done or moved since the week before."""
    return (
        done_steps > earlier.done_steps
        or confirmed_steps > earlier.confirmed_steps
        or dates_key != earlier.dates_key
    )


def _next_milestone(snapshot: Snapshot, today: date) -> RowState | None:
    """The next open gate or signature step from today; else the next open step."""
    ahead = sorted(
        (row for row in snapshot.rows if not row.is_done and row.due is not None and row.due >= today),
        key=lambda row: (row.due, row.sheet_row),
    )
    return next((row for row in ahead if row.gate or row.is_signature), ahead[0] if ahead else None)


def _dates_key(rows: Sequence[RowState]) -> str:
    """A short key of every step's dates: a week in which it changed had dates moved."""
    text = ";".join(f"{row.id}:{row.start}:{row.due}" for row in rows)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


_FIELDS = tuple(item.name for item in fields(Figures))
_DATES = frozenset({"target_signature", "go_live", "next_milestone_due"})
_LISTS = frozenset({"assumed_internal", "must_be_true", "signature_steps_late"})


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def _field_value(name: str, value: Any) -> Any:
    if name in _DATES:
        return date.fromisoformat(value) if value else None
    return tuple(value) if name in _LISTS else value
