"""review(grid, today) → Report: parse, check and measure in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.plan.checks import check
from mutualplan.plan.checks.findings import Finding, Severity, sort_key
from mutualplan.plan.checks.health import Health, measure
from mutualplan.plan.history.confirmation import Confirmation, confirmation_of, confirmed_dates
from mutualplan.plan.history.past import History
from mutualplan.plan.people.confirmers import Screen
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.parse import parse


@dataclass(frozen=True, slots=True)
class Report:
    """A checked plan: the plan, every finding, and its health."""

    plan: Plan
    findings: tuple[Finding, ...]
    health: Health
    history: History | None = None  # what the store knew of the plan's past when it was checked

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error."""
        return any(item.severity is Severity.ERROR for item in self.findings)

    def as_json(self) -> dict[str, object]:
        """The report as `mutualplan check --json` prints it."""
        plan = self.plan
        return {
            "plan": {
                "deal": plan.head.deal or None,
                "customer": plan.head.customer or None,
                "go_live": _iso(plan.go_live),
                "target_signature": _iso(plan.target_signature),
                "rows": len(plan.rows),
            },
            "findings": [item.as_dict() for item in self.findings],
            "health": self.health.as_dict(),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def review(
    grid: Grid,
    today: date,
    locale: str | None = None,
    history: History | None = None,
    *,
    stakeholders: Grid | None = None,
    risks: Grid | None = None,
    screen: Screen | None = None,
) -> Report:
    """Read, check and measure the plan in its MAP tab's grid (with its Stakeholders and Risks tabs), as
    of today; screen finds look-alike addresses."""
    parsed = parse(grid, locale, stakeholders=stakeholders, risks=risks, screen=screen)
    plan = parsed.plan
    findings = sorted((*parsed.findings, *check(plan, today, history)), key=sort_key)
    return Report(plan, tuple(findings), measure(plan, today, history), history)


def confirmers(report: Report) -> dict[int, str]:
    """Who confirmed each confirmed row's current dates, by sheet row: verified (with history), else
    the sheet's own tick. Only Validate's marks ask, so a plain check never pays for it."""
    plan, history = report.plan, report.history
    found = {}
    for row in plan.rows:
        if row.confirmed and confirmation_of(row, plan, history) is Confirmation.CONFIRMED:
            record = confirmed_dates(row, history)
            named = record.by.partition(" <")[0] if record else ", ".join(p.label for p in row.confirmed_by)
            named = named or "the customer"
            found[row.sheet_row] = f"{named}{record.when} (verified)" if record else named
    return found
