"""The store's roles for the pipeline: weekly scores, shares and views; Pipeline spreadsheets and the
weekly digests' ledger."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Protocol

from mutualplan.app.records import PipelineSheet, PipelineView, PlanRecord
from mutualplan.plan.pipeline import WeeklyScore, WeekPoint


class PipelineStore(Protocol):
    """Weekly scores, owners' shares of their plans' health, and the log of views of others' plans."""

    def record_scores(self, scores: Sequence[tuple[str, WeeklyScore]], at: datetime) -> None:
        """Keep each plan's score for its week; a week already kept stays as it was."""

    def scores_since(self, plan_ids: Collection[str], since: date) -> dict[str, list[WeeklyScore]]:
        """The plans' scores of the weeks from since on, oldest first, by plan."""

    def week_points(self, plan_ids: Collection[str], since: date) -> dict[str, list[WeekPoint]]:
        """The plans' headline figures of the weeks from since on, oldest first, by plan."""

    def share_pipeline(self, owner: str, viewer: str, at: datetime) -> None:
        """Let a viewer see an owner's plans' health."""

    def stop_sharing(self, owner: str, viewer: str) -> bool:
        """Stop sharing, at once; False when they were not shared."""

    def shared_with(self, owner: str) -> list[str]:
        """Whom an owner shares their plans' health with."""

    def sharing_with(self, viewer: str) -> list[str]:
        """The owners who share their plans' health with a viewer."""

    def plans_of_owners(self, owners: Collection[str]) -> list[PlanRecord]:
        """Every plan of some owners, by owner then id, in a few queries."""

    def owners_at(self, domain: str) -> list[str]:
        """Every plan owner with an address at a domain."""

    def log_pipeline_views(self, views: Sequence[PipelineView]) -> None:
        """Keep a record of views of other people's plans."""


class PipelineSheets(Protocol):
    """The Pipeline spreadsheets, and the weekly digests' ledger."""

    def add_pipeline_sheet(self, sheet: PipelineSheet) -> None:
        """Keep a Pipeline spreadsheet."""

    def pipeline_sheet(self, spreadsheet_id: str) -> PipelineSheet | None:
        """The Pipeline spreadsheet with this id, if it is one."""

    def pipeline_sheets_of(self, viewer: str) -> list[PipelineSheet]:
        """A viewer's Pipeline spreadsheets."""

    def pipeline_viewers(self, after: str, limit: int, zones: Collection[str]) -> list[str]:
        """Up to limit viewers after one whose week starts in one of the zones."""

    def claim_pipeline_mail(self, key: str, viewer: str, at: datetime) -> bool:
        """Claim a viewer's digest before sending it; False when claimed already."""

    def finish_pipeline_mail(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed digest sent; or, with None, give the claim back."""
