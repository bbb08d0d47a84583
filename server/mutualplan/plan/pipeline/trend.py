"""The trend: a deal's scores as a plain series, week by week, and the order that puts what needs a
manager's attention first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mutualplan.plan.pipeline.score import WeeklyScore, WeekPoint
from mutualplan.plan.pipeline.status import DealStatus

FLAT_WITHIN = 0.05  # a change in the confirmation rate smaller than this is no change to show
_ATTENTION = {DealStatus.STALLED: 0, DealStatus.AT_RISK: 1, DealStatus.ON_TRACK: 2}


@dataclass(frozen=True, slots=True)
class Trend:
    """A deal's weekly confirmation rates, oldest first (None: nothing fell due in that week's 30 days)."""

    weeks: tuple[date, ...]
    rates: tuple[float | None, ...]

    @property
    def arrow(self) -> str:
        """↑, ↓ or → from the week before to the latest; "" with fewer than two rates to compare."""
        known = [rate for rate in self.rates[-2:] if rate is not None]
        if len(self.rates) < 2 or len(known) < 2:
            return ""
        change = known[1] - known[0]
        return "→" if abs(change) < FLAT_WITHIN else "↑" if change > 0 else "↓"


def trend_of(points: Sequence[WeekPoint | WeeklyScore]) -> Trend:
    """The series of a deal's weeks (points, or whole scores), in week order."""
    ordered = sorted(
        (item if isinstance(item, WeekPoint) else item.point for item in points), key=lambda p: p.week
    )
    return Trend(
        tuple(point.week for point in ordered), tuple(point.confirmation_rate_30d for point in ordered)
    )


def attention_key(score: WeeklyScore) -> tuple[int, bool, float, int, str]:
    """Stalled first, then at risk; within each, an unsupported signature, a lower confirmation rate,
    more slips this week; then by the next milestone's name, so that the order is stable."""
    figures = score.figures
    rate = figures.confirmation_rate_30d
    return (
        _ATTENTION[score.status],
        figures.signature_supported,
        1.0 if rate is None else rate,
        -figures.slips_this_week,
        figures.next_milestone,
    )
