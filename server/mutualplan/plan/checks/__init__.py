"""check(plan, today) → findings: every R- and P- rule of MAP_METHOD.md."""

from __future__ import annotations

from datetime import date

from mutualplan.plan.checks.context import Context
from mutualplan.plan.checks.dates import date_findings, dependency_findings
from mutualplan.plan.checks.findings import Finding, sort_key
from mutualplan.plan.checks.plan_rules import plan_findings
from mutualplan.plan.checks.rows import (
    confirmation_findings,
    evidence_findings,
    owner_findings,
    vocabulary_findings,
)
from mutualplan.plan.history.past import History
from mutualplan.plan.sheet.model import Plan

ROW_CHECKS = (
    vocabulary_findings,
    owner_findings,
    date_findings,
    evidence_findings,
    confirmation_findings,
)


def check(plan: Plan, today: date, history: History | None = None) -> list[Finding]:
    """Every finding of the plan on a day, plan-wide ones first, then by row."""
    context = Context(plan, today, history)
    found = [item for row in plan.rows for rule in ROW_CHECKS for item in rule(context, row)]
    found.extend(dependency_findings(context))
    found.extend(plan_findings(context))
    return sorted(found, key=sort_key)
