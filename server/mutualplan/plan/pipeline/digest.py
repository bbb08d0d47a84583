"""The weekly manager digest's words: the deals whose status changed, whose signature stopped being
supported, the week's slips, and each deal's "what must be true by signature" that is not. Figures,
steps and names only: never a buyer's link."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.pipeline.score import WeeklyScore
from mutualplan.plan.sheet.text import plural


class Reviewed(Protocol):
    """A deal as the digest needs it: its name, where it opens, this week's score and the one before."""

    @property
    def title(self) -> str: ...

    @property
    def opens(self) -> str: ...

    @property
    def score(self) -> WeeklyScore: ...

    @property
    def before(self) -> WeeklyScore | None: ...


def manager_digest_lines(deals: Sequence[Reviewed]) -> Iterator[str]:
    """The digest, section by section; a quiet week says so."""
    changed = [
        deal for deal in deals if deal.before is not None and deal.before.status is not deal.score.status
    ]
    lost = [
        deal
        for deal in deals
        if deal.before is not None
        and deal.before.figures.signature_supported
        and not deal.score.figures.signature_supported
    ]
    slipped = [deal for deal in deals if deal.score.figures.slips_this_week]
    unmet = [deal for deal in deals if deal.score.figures.must_be_true]
    yield f"{plural(len(deals), 'deal')} in your pipeline this week."
    if not (changed or lost or slipped or unmet):
        yield "No status changed, no signature lost its support, nothing slipped."
    yield from _section(
        "Status changed:", changed, lambda d: f"{_before(d).status.value} → {d.score.status.value}{_why(d)}"
    )
    yield from _section(
        "Signature no longer supported by the buyer's word:",
        lost,
        lambda d: d.score.figures.signature_waits_on,
    )
    yield from _section("Slipped this week:", slipped, _slips)
    yield from _section("What must be true by signature, and is not:", unmet, _must_be_true)


def _section(heading: str, deals: Sequence[Reviewed], said: Callable[[Reviewed], str]) -> Iterator[str]:
    if not deals:
        return
    yield ""
    yield heading
    for deal in deals:
        yield f"• {deal.title}: {said(deal)} — {deal.opens}"


def _before(deal: Reviewed) -> WeeklyScore:
    assert deal.before is not None
    return deal.before


def _why(deal: Reviewed) -> str:
    return f" ({deal.score.reasons[0]})" if deal.score.reasons else ""


def _slips(deal: Reviewed) -> str:
    figures = deal.score.figures
    return f"{plural(figures.slips_this_week, 'date')}, {plural(figures.slip_days_this_week, 'day')} later"


def _must_be_true(deal: Reviewed) -> str:
    figures = deal.score.figures
    by = f"by {format_day(figures.target_signature)}" if figures.target_signature else "before signature"
    return f"{by}: {', '.join(figures.must_be_true)}"
