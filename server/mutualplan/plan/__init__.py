"""The pure domain: read a plan from a grid, check it, measure its health.

Nothing here does I/O: no files, network, database or clock ("today" is an argument).
"""

from mutualplan.plan.checks import check
from mutualplan.plan.findings import RULES, Finding, Severity
from mutualplan.plan.grid import Cell, Grid, Merge, PersonChip
from mutualplan.plan.health import Health, measure
from mutualplan.plan.history import ConfirmedDates, History, Slip
from mutualplan.plan.model import Plan, PlanRow
from mutualplan.plan.parse import ParseResult, parse
from mutualplan.plan.review import Report, review

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
