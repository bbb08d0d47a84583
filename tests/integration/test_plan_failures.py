"""One plan's failure is that plan's alone: whatever the second of three plans raises, the first and third
sync, are reminded and watched, the second is reported and kept for its owner's home card, and the unit
asks for a retry only when a retry can mend it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mutualplan.adapters.local_workbook import LocalWorkbook
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app import remind as remind_module
from mutualplan.app.failures import REMIND, RENEW, SYNC
from mutualplan.app.local import LocalPlan
from mutualplan.app.ports import PlanAccess
from mutualplan.app.records import FileState, PlanRecord, WorkbookKind
from mutualplan.app.remind import Remind
from mutualplan.app.stamping import stamp
from mutualplan.app.sync import sync
from mutualplan.app.watch import renew_channels, run_due_syncs
from mutualplan.errors import GoogleApiError, StoreUnreachableError
from mutualplan.plan.reminders.planner import plan_reminders
from mutualplan.plan.sheet.grid import Grid
from mutualplan.store.sql import SqlStore
from tests.fake_drive import FakeDrive
from tests.fake_mailer import FakeMailer
from tests.integration.test_workbook_contract import DEAL, local_workbook
from tests.support import TODAY

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
PLANS = ("plan-1", "plan-2", "plan-3")
BROKEN = "plan-2"
RAISED = [ValueError("no such date"), KeyError("sheetId"), TypeError("'NoneType' is not subscriptable")]


@dataclass
class Breaking:
    """A workbook whose reads raise what a bug in an adapter would."""

    inner: LocalWorkbook
    raising: Exception

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        raise self.raising

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def three(tmp_path: Path, sqlite_store: SqlStore) -> dict[str, LocalWorkbook]:
    """Three stamped plans of one owner, each baselined."""
    workbooks = {}
    for plan_id in PLANS:
        workbook = local_workbook(tmp_path / plan_id)
        marker = stamp(workbook, TemplateFolder().named("regulated-buyer"), DEAL, TODAY, plan_id)
        record = PlanRecord.of(marker, WorkbookKind.LOCAL, plan_id, START)
        sqlite_store.add_plan(record)
        sync(sqlite_store, workbook, record, workbook.editors, lambda: START)
        workbooks[plan_id] = workbook
    return workbooks


def opener(workbooks: dict[str, LocalWorkbook], raising: Exception | None) -> Any:
    def open_plan(record: PlanRecord, state: FileState | None) -> PlanAccess:
        workbook = workbooks[record.id]
        broken = raising is not None and record.id == BROKEN
        return LocalPlan(Breaking(workbook, raising) if broken else workbook)  # type: ignore[arg-type]

    return open_plan


@pytest.mark.parametrize("raised", RAISED, ids=lambda exc: type(exc).__name__)
def test_whatever_the_second_of_three_plans_raises_the_first_and_third_sync_and_it_is_reported(
    three: dict[str, LocalWorkbook], sqlite_store: SqlStore, raised: Exception
) -> None:
    for plan_id in PLANS:
        sqlite_store.request_sync(plan_id, START)
    report = run_due_syncs(sqlite_store, opener(three, raised), lambda: START + timedelta(minutes=1))
    assert [result.plan_id for result in report.synced] == ["plan-1", "plan-3"]
    ((failed, said),) = report.failed
    assert failed == BROKEN
    assert type(raised).__name__ in said
    assert "no such date" not in said  # the seller reads the kind of failure; its detail is in the log
    assert report.passing is False  # a bug is not mended by a retry: the unit is done, not retried forever
    (kept,) = sqlite_store.failures(BROKEN)
    assert (kept.job, kept.said) == (SYNC, said)
    assert sqlite_store.failures("plan-1") == []
    sqlite_store.request_sync(BROKEN, START)
    again = run_due_syncs(sqlite_store, opener(three, None), lambda: START + timedelta(minutes=2))
    assert [result.plan_id for result in again.synced] == [BROKEN]
    assert sqlite_store.failures(BROKEN) == []  # mended: no longer on the home card


def test_a_failure_a_retry_can_mend_asks_for_a_retry(
    three: dict[str, LocalWorkbook], sqlite_store: SqlStore
) -> None:
    for raised in (GoogleApiError("Sheets failed (503)", 503), StoreUnreachableError("the store is busy")):
        sqlite_store.request_sync(BROKEN, START)
        report = run_due_syncs(sqlite_store, opener(three, raised), lambda: START)
        assert report.passing is True


def test_a_plan_whose_reminders_raise_is_reported_and_the_others_are_reminded(
    three: dict[str, LocalWorkbook], sqlite_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:

    def breaks_on_the_second(plan: Any, *args: Any) -> Any:
        if plan.plan_id == BROKEN:
            raise KeyError("row")
        return plan_reminders(plan, *args)

    monkeypatch.setattr(remind_module, "plan_reminders", breaks_on_the_second)
    mailer = FakeMailer()
    day = START + timedelta(days=3)
    report = Remind(sqlite_store, lambda sender: mailer, lambda email, plan: "https://mp.example/c", day).run(
        sqlite_store.plans()
    )
    assert {item["plan"] for item in report.sent} == {"plan-1", "plan-3"}
    assert [plan_id for plan_id, _ in report.failed] == [BROKEN]
    assert [failure.job for failure in sqlite_store.failures(BROKEN)] == [REMIND]


def test_a_plan_whose_renewal_raises_is_reported_and_the_others_are_watched(
    three: dict[str, LocalWorkbook], sqlite_store: SqlStore
) -> None:
    class BreaksOnTheSecond(FakeDrive):
        def watch(self, file_id: str, *args: Any) -> Any:
            if file_id == sqlite_store.plan(BROKEN).spreadsheet_id:  # type: ignore[union-attr]
                raise TypeError("expiration")
            return super().watch(file_id, *args)

    drive = BreaksOnTheSecond()
    renewal = renew_channels(
        sqlite_store, lambda record: drive, "https://mp.example/hooks/drive", START, (), sqlite_store.plans()
    )
    assert sorted(channel.plan_id for channel in renewal.opened) == ["plan-1", "plan-3"]
    assert [plan_id for plan_id, _ in renewal.failed] == [BROKEN]
    assert [failure.job for failure in sqlite_store.failures(BROKEN)] == [RENEW]
