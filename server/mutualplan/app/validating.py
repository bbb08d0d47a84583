"""Validate: check every row and the plan, mark the sheet, and say what the store knows of the past."""

from __future__ import annotations

from datetime import date

from mutualplan.app.ports import Workbook
from mutualplan.app.reading import plan_tabs, read_plan
from mutualplan.app.store_ports import PlanInputsLoader
from mutualplan.plan.checks.marks import mark_writes
from mutualplan.plan.checks.review import Report
from mutualplan.plan.history.past import History
from mutualplan.plan.sheet.layout import PlanTabs


def validate(
    workbook: Workbook,
    today: date,
    locale: str | None = None,
    history: History | None = None,
    tabs: PlanTabs | None = None,
) -> Report:
    """Check the plan and mark the sheet: one read, one write (and one for the plan's tabs, unless given)."""
    tabs = tabs or plan_tabs(workbook)
    report = read_plan(workbook, tabs).review(today, locale, history)
    workbook.apply(mark_writes(report, tabs.map))
    return report


def history_of(store: PlanInputsLoader, plan_id: str) -> History | None:
    """What validation knows of a plan's past: its confirmations and every slip; None before a sync."""
    found = store.plan_input(plan_id)
    return found.snapshot.history(found.slips) if found else None
