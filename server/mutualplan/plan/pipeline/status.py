"""A deal's status, by a rule written as data: the thresholds named once (with what each means), and the
conditions in MAP_METHOD's terms. Stalled wins over at risk; on track is what is neither."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import NamedTuple, TypeVar

from mutualplan.plan.pipeline.figures import Figures


class DealStatus(StrEnum):
    """Where a deal stands, as a manager reviews it."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    STALLED = "stalled"


_Number = TypeVar("_Number", int, float)


def _threshold(value: _Number, meaning: str) -> _Number:
    return field(default=value, metadata={"help": meaning})


@dataclass(frozen=True, slots=True)
class StatusRule:
    """The status rule's thresholds (MAP_METHOD's suggested defaults), each with what it means."""

    stalled_quiet_weeks: int = _threshold(
        3,
        "Stalled after this many weeks in a row with nothing confirmed, done or moved while steps"
        " sit overdue.",
    )
    stalled_unconfirmed_weeks: int = _threshold(
        2,
        "Stalled after this many weeks in a row in which the customer confirmed none of the next"
        " 30 days' dates.",
    )
    at_risk_confirmation_rate: float = _threshold(
        0.5, "At risk when the share of the next 30 days' dates the customer confirmed is under this."
    )
    signature_question_within_days: int = _threshold(
        42,
        "The three-weeks-before-signature question counts toward at risk once the target signature is"
        " this many days away or fewer (earlier, its steps are not yet due to be confirmed).",
    )
    single_threaded_owners: int = _threshold(
        1, "Single-threaded (at risk) when the plan names at most this many customer people as owners."
    )

    @staticmethod
    def documented() -> list[tuple[str, float, str]]:
        """Each threshold's name, default and meaning, as the managers' guide lists them."""
        return [(item.name, item.default, item.metadata["help"]) for item in fields(StatusRule)]  # type: ignore[misc]


STATUS_RULE = StatusRule()


class Condition(NamedTuple):
    """One clause of the rule: the status it gives, the reason it states, and when it holds."""

    status: DealStatus
    holds: Callable[[Figures, StatusRule], bool]
    reason: Callable[[Figures], str]


CONDITIONS: tuple[Condition, ...] = (
    Condition(
        DealStatus.STALLED,
        lambda f, rule: f.quiet_weeks >= rule.stalled_quiet_weeks,
        lambda f: f"nothing confirmed, done or moved for {f.quiet_weeks} weeks while steps sit overdue",
    ),
    Condition(
        DealStatus.STALLED,
        lambda f, rule: f.unconfirmed_weeks >= rule.stalled_unconfirmed_weeks,
        lambda f: (
            f"the customer has confirmed none of the next 30 days' dates for {f.unconfirmed_weeks} weeks"
        ),
    ),
    Condition(
        DealStatus.AT_RISK,
        lambda f, rule: (
            f.confirmation_rate_30d is not None and f.confirmation_rate_30d < rule.at_risk_confirmation_rate
        ),
        lambda f: f"{f.confirmation_percent} of the next 30 days' dates confirmed by the customer",
    ),
    Condition(
        DealStatus.AT_RISK,
        lambda f, rule: bool(f.signature_steps_late),
        lambda f: f"the signature depends on steps overdue or past it: {', '.join(f.signature_steps_late)}",
    ),
    Condition(
        DealStatus.AT_RISK,
        lambda f, rule: f.single_threaded,
        lambda f: (
            f"single-threaded: {f.customer_owners} customer owner{'' if f.customer_owners == 1 else 's'}"
        ),
    ),
    Condition(
        DealStatus.AT_RISK,
        lambda f, rule: (
            bool(f.must_be_true)
            and f.days_to_signature is not None
            and f.days_to_signature <= rule.signature_question_within_days
        ),
        lambda f: f"must be true three weeks before signature, and is not: {', '.join(f.must_be_true)}",
    ),
)


def status_of(figures: Figures, rule: StatusRule = STATUS_RULE) -> tuple[DealStatus, tuple[str, ...]]:
    """The status the rule gives a week's figures, and every reason that holds (stalled ones first)."""
    held = [condition for condition in CONDITIONS if condition.holds(figures, rule)]
    statuses = {condition.status for condition in held}
    status = next(
        (item for item in (DealStatus.STALLED, DealStatus.AT_RISK) if item in statuses), DealStatus.ON_TRACK
    )
    return status, tuple(condition.reason(figures) for condition in held)
