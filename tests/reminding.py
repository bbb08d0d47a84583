"""The reminder planner on a healthy plan with a fixed today, for the tests of what it plans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from mutualplan.plan.history.diff import diff
from mutualplan.plan.history.past import Slip
from mutualplan.plan.history.snapshot import Snapshot
from mutualplan.plan.reminders.planner import PlanToRemind, Reminder, ReminderKind, Skipped, plan_reminders
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.grid import CellValue, grid_of
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.stakeholders import read_stakeholders
from tests.support import HEALTHY_RISKS, Row, confirmers_ticked, healthy_rows, risks_sheet, sheet

SELLER = "Sam@Vendor.io"
STAKEHOLDERS = read_stakeholders(
    grid_of([["Name", "Email", "Side", "Role"], ["Jane Doe", "jane@acme.com", "Customer", "Champion"]])
)
S1_DUE = date(2026, 11, 27)
NO_WEEKLY = ReminderSettings(champion=False, digest=False)
COUNTDOWN_ONLY = ReminderSettings(owners=False, champion=False)


def snapshot_of(
    rows: list[Row], champion: bool = True, risks: Sequence[Sequence[CellValue]] = HEALTHY_RISKS
) -> Snapshot:
    """The snapshot a sync stores: healthy rows come confirmed, verifiably, by their customer owners."""
    plan = parse(sheet(rows), risks=risks_sheet(risks)).plan
    listed = replace(plan, stakeholders=STAKEHOLDERS if champion else ())
    return diff(None, listed, confirmers_ticked(plan)).snapshot


def remind(
    today: date,
    rows: list[Row] | None = None,
    settings: ReminderSettings | None = None,
    claimed: Mapping[str, str] | None = None,
    unsubscribed: frozenset[str] = frozenset(),
    champion: bool = True,
    slips: tuple[Slip, ...] = (),
    risks: Sequence[Sequence[CellValue]] = HEALTHY_RISKS,
) -> tuple[list[Reminder], list[Skipped]]:
    """What the planner sends and skips on plan-1 ("Acme", healthy rows unless given) today."""
    plan = PlanToRemind(
        "plan-1",
        "Acme",
        SELLER,
        snapshot_of(rows or healthy_rows(), champion, risks),
        settings or ReminderSettings(),
        slips,
    )
    return plan_reminders(plan, today, claimed or {}, unsubscribed)


def row_sent(found: tuple[list[Reminder], list[Skipped]], row: str = "S1") -> list[tuple[ReminderKind, str]]:
    """The kinds and recipients sent about one row."""
    return [(item.kind, item.to.email) for item in found[0] if item.row == row]
