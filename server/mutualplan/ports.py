"""The ports the use cases talk through; adapters implement them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from mutualplan.plan.grid import Grid
from mutualplan.plan.layout import PlanMarker, Write


class Workbook(Protocol):
    """One spreadsheet: read a tab into a Grid; apply a list of writes at once."""

    @property
    def spreadsheet_id(self) -> str:
        """The spreadsheet's own id."""
        ...

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        ...

    def read(self, tab: str) -> Grid:
        """Every cell of one tab."""
        ...

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Apply the writes all together, as the editor (None: the app itself)."""
        ...

    def marker(self) -> PlanMarker | None:
        """The plan marker, when the spreadsheet holds a stamped plan."""
        ...
