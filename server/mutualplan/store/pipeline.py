"""The pipeline's tables: each plan's weekly scores, owners' shares of their plans' health, and the log of
every view of another person's plans."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, union, update

from mutualplan.app.records import PipelineSheet, PipelineView, PlanRecord, WorkbookKind
from mutualplan.plan.pipeline import DealStatus, WeeklyScore, WeekPoint
from mutualplan.store.base import SqlBase, utc
from mutualplan.store.plans import plan_of
from mutualplan.store.schema import (
    pipeline_mail,
    pipeline_shares,
    pipeline_sheets,
    pipeline_views,
    plan_scores,
    plans,
)

AT_ONCE = 500  # plan ids a statement names
_DAY = date.fromisoformat
_STATUS = {status.value: status for status in DealStatus}


class PipelineTables(SqlBase):
    """Weekly scores, shares and views."""

    def record_scores(self, scores: Sequence[tuple[str, WeeklyScore]], at: datetime) -> None:
        """Keep each plan's score for its week, in one transaction; a week already kept stays as it was."""
        if not scores:
            return
        rows = [score_row(plan_id, score, at) for plan_id, score in scores]
        with self._transaction() as db:
            db.execute(self._insert_new(plan_scores), rows)

    def scores_since(self, plan_ids: Collection[str], since: date) -> dict[str, list[WeeklyScore]]:
        """The plans' scores of the weeks from since on, oldest first, by plan."""
        ids, found = sorted(plan_ids), dict[str, list[WeeklyScore]]()
        with self.engine.connect() as db:
            for start in range(0, len(ids), AT_ONCE):
                query = (
                    select(plan_scores.c.plan_id, plan_scores.c.score)
                    .where(plan_scores.c.plan_id.in_(ids[start : start + AT_ONCE]))
                    .where(plan_scores.c.week >= since.isoformat())
                    .order_by(plan_scores.c.plan_id, plan_scores.c.week)
                )
                for plan_id, text in db.execute(query):
                    found.setdefault(plan_id, []).append(WeeklyScore.from_stored(text))
        return found

    def week_points(self, plan_ids: Collection[str], since: date) -> dict[str, list[WeekPoint]]:
        """The plans' headline figures of the weeks from since on, oldest first, by plan (no score read)."""
        ids, found = sorted(plan_ids), dict[str, list[WeekPoint]]()
        columns = plan_scores.c
        with self.engine.connect() as db:
            for start in range(0, len(ids), AT_ONCE):
                query = (
                    select(
                        columns.plan_id, columns.week, columns.status, columns.confirmation_rate,
                        columns.signature_supported, columns.slips_this_week, columns.overdue_open,
                    )
                    .where(columns.plan_id.in_(ids[start : start + AT_ONCE]))
                    .where(columns.week >= since.isoformat())
                    .order_by(columns.plan_id, columns.week)
                )  # fmt: skip
                for plan_id, week, status, rate, supported, slips, overdue in db.execute(query):
                    point = WeekPoint(_DAY(week), _STATUS[status], rate, bool(supported), slips, overdue)
                    found.setdefault(plan_id, []).append(point)
        return found

    def share_pipeline(self, owner: str, viewer: str, at: datetime) -> None:
        """Let a viewer see an owner's plans' health (sharing twice keeps the first)."""
        with self._transaction() as db:
            db.execute(self._insert_new(pipeline_shares).values(owner=owner, viewer=viewer, at=at))

    def stop_sharing(self, owner: str, viewer: str) -> bool:
        """Stop sharing an owner's plans with a viewer, at once; False when they were not shared."""
        key = (pipeline_shares.c.owner == owner) & (pipeline_shares.c.viewer == viewer)
        with self._transaction() as db:
            return bool(db.execute(delete(pipeline_shares).where(key)).rowcount)

    def shared_with(self, owner: str) -> list[str]:
        """Whom an owner shares their plans' health with, in order."""
        query = select(pipeline_shares.c.viewer).where(pipeline_shares.c.owner == owner)
        with self.engine.connect() as db:
            return list(db.execute(query.order_by(pipeline_shares.c.viewer)).scalars())

    def sharing_with(self, viewer: str) -> list[str]:
        """The owners who share their plans' health with a viewer, in order."""
        query = select(pipeline_shares.c.owner).where(pipeline_shares.c.viewer == viewer)
        with self.engine.connect() as db:
            return list(db.execute(query.order_by(pipeline_shares.c.owner)).scalars())

    def plans_of_owners(self, owners: Collection[str]) -> list[PlanRecord]:
        """Every plan of some owners, by owner then id: a few queries on the owner index, whatever their
        number (a revenue-operations viewer sees hundreds of owners)."""
        ordered, found = sorted(owners), list[PlanRecord]()
        with self.engine.connect() as db:
            for start in range(0, len(ordered), AT_ONCE):
                query = select(plans).where(plans.c.owner.in_(ordered[start : start + AT_ONCE]))
                found += [
                    plan_of(row) for row in db.execute(query.order_by(plans.c.owner, plans.c.id)).mappings()
                ]
        return found

    def owners_at(self, domain: str) -> list[str]:
        """Every plan owner with an address at a domain, in order."""
        query = select(plans.c.owner).distinct().where(plans.c.owner.ilike(f"%@{_like_text(domain)}", "\\"))
        with self.engine.connect() as db:
            return sorted(
                owner for owner in db.execute(query).scalars() if owner.casefold().endswith(f"@{domain}")
            )

    def log_pipeline_views(self, views: Sequence[PipelineView]) -> None:
        """Keep a record of views of other people's plans."""
        if views:
            with self._transaction() as db:
                db.execute(insert(pipeline_views), [_view_row(view) for view in views])

    def pipeline_views_by(self, viewer: str) -> list[PipelineView]:
        """Every view a person made of other people's plans, oldest first."""
        query = select(pipeline_views).where(pipeline_views.c.viewer == viewer).order_by(pipeline_views.c.id)
        with self.engine.connect() as db:
            return [
                PipelineView(utc(row["at"]), row["viewer"], row["owner"], row["place"], row["plans"])
                for row in db.execute(query).mappings()
            ]


def score_row(plan_id: str, score: WeeklyScore, at: datetime) -> dict[str, object]:
    """A plan's weekly score as its row: the headline figures as columns, the whole score as text."""
    figures = score.figures
    return {
        "plan_id": plan_id,
        "week": score.week.isoformat(),
        "status": score.status.value,
        "confirmation_rate": figures.confirmation_rate_30d,
        "signature_supported": figures.signature_supported,
        "slips_this_week": figures.slips_this_week,
        "overdue_open": figures.overdue_open,
        "score": score.to_stored(),
        "taken_at": at,
    }


def _view_row(view: PipelineView) -> dict[str, object]:
    return {
        "at": view.at,
        "viewer": view.viewer,
        "owner": view.owner,
        "place": view.place,
        "plans": view.plans,
    }


def _like_text(text: str) -> str:
    """Text matched literally by LIKE: its wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PipelineSheetTables(SqlBase):
    """Pipeline spreadsheets, and the weekly digests' ledger."""

    def add_pipeline_sheet(self, sheet: PipelineSheet) -> None:
        """Keep a Pipeline spreadsheet (a second stamp of the same one changes nothing)."""
        values = {**asdict(sheet), "workbook": sheet.workbook.value, "viewer": sheet.viewer.casefold()}
        with self._transaction() as db:
            db.execute(self._insert_new(pipeline_sheets).values(**values))

    def pipeline_sheet(self, spreadsheet_id: str) -> PipelineSheet | None:
        """The Pipeline spreadsheet with this id, if it is one."""
        query = select(pipeline_sheets).where(pipeline_sheets.c.spreadsheet_id == spreadsheet_id)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _sheet_of(row) if row is not None else None

    def pipeline_sheets_of(self, viewer: str) -> list[PipelineSheet]:
        """A viewer's Pipeline spreadsheets, oldest first."""
        query = select(pipeline_sheets).where(pipeline_sheets.c.viewer == viewer.casefold())
        with self.engine.connect() as db:
            return [
                _sheet_of(row) for row in db.execute(query.order_by(pipeline_sheets.c.created_at)).mappings()
            ]

    def pipeline_viewers(self, after: str, limit: int, zones: Collection[str]) -> list[str]:
        """Up to limit viewers after one (in order) whose week starts in one of the zones: those with a
        Pipeline spreadsheet there, and, in UTC, those shared with who have none."""
        parts = [
            select(pipeline_sheets.c.viewer.label("viewer")).where(
                pipeline_sheets.c.time_zone.in_(list(zones))
            )
        ]
        if "UTC" in zones:
            kept = select(pipeline_sheets.c.viewer)
            parts.append(
                select(pipeline_shares.c.viewer.label("viewer")).where(pipeline_shares.c.viewer.not_in(kept))
            )
        every = union(*parts).subquery()
        query = select(every.c.viewer).where(every.c.viewer > after).order_by(every.c.viewer).limit(limit)
        with self.engine.connect() as db:
            return list(db.execute(query).scalars())

    def claim_pipeline_mail(self, key: str, viewer: str, at: datetime) -> bool:
        """Claim a viewer's digest before sending it; False when it was claimed already (sent, or sending)."""
        with self._transaction() as db:
            inserted = db.execute(
                self._insert_new(pipeline_mail).values(key=key, viewer=viewer, claimed_at=at)
            )
            return bool(inserted.rowcount)

    def finish_pipeline_mail(self, key: str, sent_at: datetime | None) -> None:
        """Mark a claimed digest sent; or, with None (Google refused it: nothing went), give it back."""
        with self._transaction() as db:
            if sent_at is None:
                db.execute(delete(pipeline_mail).where(pipeline_mail.c.key == key))
            else:
                db.execute(update(pipeline_mail).where(pipeline_mail.c.key == key).values(sent_at=sent_at))


def _sheet_of(row: Any) -> PipelineSheet:
    return PipelineSheet(
        row["spreadsheet_id"],
        row["viewer"],
        WorkbookKind(row["workbook"]),
        row["time_zone"],
        utc(row["created_at"]),
    )
