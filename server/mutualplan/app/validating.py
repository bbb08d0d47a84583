"""Validate: check every row and the plan, mark the sheet, and say what the store knows of the past."""

from __future__ import annotations

from datetime import date

from mutualplan.app.editing import plan_tab
from mutualplan.app.ports import Workbook
from mutualplan.app.store_ports import PlanInputsLoader
from mutualplan.plan.history import History
from mutualplan.plan.marks import mark_writes
from mutualplan.plan.review import Report, review


def validate(
    workbook: Workbook,
    today: date,
    locale: str | None = None,
    history: History | None = None,
    tab: str | None = None,
) -> Report:
    """Check the plan and mark the sheet: one read, one write (and one for the plan's tab, unless given)."""
    tab = tab or plan_tab(workbook)
    report = review(workbook.read(tab), today, locale, history)
    workbook.apply(mark_writes(report, tab))
    return report


def history_of(store: PlanInputsLoader, plan_id: str) -> History | None:
    """What validation knows of a plan's past: its confirmations and every slip; None before a sync."""
    found = store.plan_input(plan_id)
    return found.snapshot.history(found.slips) if found else None
