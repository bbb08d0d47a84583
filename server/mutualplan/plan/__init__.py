"""The pure domain: read a plan from a grid, check it, measure its health.

Nothing here does I/O: no files, network, database or clock ("today" is an argument).
"""

from mutualplan.plan.checks import check
from mutualplan.plan.checks.findings import RULES, Finding, Severity
from mutualplan.plan.checks.health import Health, measure
from mutualplan.plan.checks.review import Report, review
from mutualplan.plan.history.past import ConfirmedDates, History, Slip
from mutualplan.plan.sheet.grid import Cell, Grid, Merge, PersonChip
from mutualplan.plan.sheet.model import Plan, PlanRow
from mutualplan.plan.sheet.parse import ParseResult, parse

__all__ = [
    "RULES",
    "Cell",
    "ConfirmedDates",
    "Finding",
    "Grid",
    "Health",
    "History",
    "Merge",
    "ParseResult",
    "PersonChip",
    "Plan",
    "PlanRow",
    "Report",
    "Severity",
    "Slip",
    "check",
    "measure",
    "parse",
    "review",
]
