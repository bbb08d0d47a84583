"""The readable form of a report: health first, then findings grouped by row."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

import click

from mutualplan.plan.checks.findings import Finding, Severity
from mutualplan.plan.checks.health import BASIS_SHEET, Health
from mutualplan.plan.checks.review import Report
from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.sheet.text import plural, quote

COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def report_lines(report: Report) -> Iterator[str]:
    """The report as lines of text, with colour codes that click strips off a pipe."""
    plan = report.plan
    deal, customer = plan.head.deal, plan.head.customer
    title = deal if customer in deal else f"{deal} — {customer}" if deal else customer
    yield click.style(f"{title or 'Plan'} ({len(plan.rows)} steps)", bold=True)
    dates = [
        f"{label} {format_day(day)}"
        for label, day in (("go-live", plan.go_live), ("signature", plan.target_signature))
        if day
    ]
    if dates:
        yield "  " + " · ".join(dates)
    yield ""
    yield click.style("Health", bold=True)
    for label, value in _figures(report):
        yield f"  {label:<36}{value}"
    groups = groupby(report.findings, key=lambda item: item.row)
    for row, items in groups:
        yield ""
        findings = list(items)
        step = next((item.step for item in findings if item.step), None)
        heading = "Plan" if row is None else f"Row {row}" + (f" · {step}" if step else "")
        yield click.style(heading, bold=True)
        for item in findings:
            yield _finding_line(item)
    yield ""
    yield _totals(report.findings)


def _figures(report: Report) -> list[tuple[str, str]]:
    health = report.health
    slips = health.slips
    return [
        ("Confirmed, next 30 days", _rate(health)),
        ("Days to signature", _days(health.days_to_signature)),
        ("Days to go-live", _days(health.days_to_go_live)),
        ("Runway, signature to go-live", _days(health.runway_days)),
        ("Distinct customer owners", str(health.distinct_customer_owners)),
        ("Tracks covered", ", ".join(health.tracks) or "none"),
        ("Customer-internal steps", str(health.customer_internal_steps)),
        ("Rows with exit evidence", f"{health.rows_with_evidence} of {len(report.plan.rows)}"),
        ("Overdue open steps", str(health.overdue_open)),
        (
            "Slips",
            "not known without history"
            if slips is None
            else f"{slips.count}, {slips.total_days} days in all, longest {slips.longest_days}",
        ),
    ]


def _rate(health: Health) -> str:
    """The 30-day confirmation rate, and what it counts: verified confirmations, or the sheet's ticks."""
    rate = health.confirmation_rate_30d
    if rate is None:
        return "no dates in the next 30 days"
    shown = f"{rate:.0%} ({health.confirmed_next_30d} of {health.dates_next_30d})"
    if health.confirmation_basis == BASIS_SHEET:
        return f"{shown}, as ticked in the sheet"
    claimed = health.claimed_next_30d
    return f"{shown} verified" + (f", {claimed} more claimed" if claimed else "")


def _days(days: int | None) -> str:
    return "—" if days is None else str(days)


def _finding_line(item: Finding) -> str:
    severity = click.style(f"{item.severity.value:<8}", fg=COLOURS[item.severity])
    where = f" {item.cell}" if item.cell else ""
    return f"  {severity}{item.code}{where}: {quote(item.message, 400)}"


def _totals(findings: tuple[Finding, ...]) -> str:
    counts = dict.fromkeys(Severity, 0)
    for item in findings:
        counts[item.severity] += 1
    parts = [
        plural(counts[Severity.ERROR], "error"),
        plural(counts[Severity.WARNING], "warning"),
        plural(counts[Severity.INFO], "note"),
    ]
    return ", ".join(parts)
