"""A plan read from its workbook: the MAP tab with its Stakeholders and Risks tabs, in one read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from mutualplan.app.lookalikes import screen
from mutualplan.app.ports import Workbook
from mutualplan.errors import NotFoundError
from mutualplan.plan.checks.review import Report, review
from mutualplan.plan.history.past import History
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import PlanTabs
from mutualplan.plan.sheet.model import Plan
from mutualplan.plan.sheet.parse import parse


@dataclass(frozen=True, slots=True)
class PlanGrids:
    """The grids of a plan's tabs, as one read found them (a tab that is gone is missing)."""

    tabs: PlanTabs
    grids: Mapping[str, Grid]

    def plan(self, locale: str | None = None) -> Plan:
        """The plan, its people and its risks."""
        return parse(self.map, locale, stakeholders=self.stakeholders, risks=self.risks, screen=screen).plan

    def review(self, today: date, locale: str | None = None, history: History | None = None) -> Report:
        """The plan checked and measured as of today."""
        return review(
            self.map, today, locale, history, stakeholders=self.stakeholders, risks=self.risks, screen=screen
        )

    @property
    def map(self) -> Grid:
        """The MAP tab's grid."""
        return self.grids[self.tabs.map]

    @property
    def stakeholders(self) -> Grid | None:
        """The Stakeholders tab's grid, unless it is gone."""
        return self.grids.get(self.tabs.stakeholders)

    @property
    def risks(self) -> Grid | None:
        """The Risks tab's grid, unless it is gone (a plan stamped before it had none)."""
        return self.grids.get(self.tabs.risks)


def plan_tabs(workbook: Workbook) -> PlanTabs:
    """The titles of the plan's tabs: the marker's, else the sheet contract's."""
    marker = workbook.marker()
    return marker.tabs if marker else PlanTabs()


def read_plan(
    workbook: Workbook, tabs: PlanTabs, write_to: Sequence[str] = (), also: Sequence[str] = ()
) -> PlanGrids:
    """The plan's tabs in one read (with the tabs also named); a NotFoundError when its MAP tab is gone."""
    grids = workbook.read_tabs([*tabs.read, *also], write_to=write_to)
    if tabs.map not in grids:
        raise NotFoundError(
            f"the plan's tab '{tabs.map}' is gone from the spreadsheet: name the plan's tab '{tabs.map}'"
        )
    return PlanGrids(tabs, grids)
