"""When pushes run: a sync that changed a figure the CRM shows owes its plan's push, run once at the end
of the hour however many syncs came (the hour's last figures); a sync that changed nothing shown owes
none; and the seller's Monday reminder run owes a push of every linked plan, at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mutualplan.app.syncing import sync_now
from mutualplan.app.tasks import run_unit
from mutualplan.app.units import Job, Unit
from mutualplan.app.watch import sync_queued
from mutualplan.plan.crm import Crm
from mutualplan.plan.sheet.layout import Kind, SetCell, Value
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.store.base import utc
from mutualplan.store.schema import tasks
from tests.integration.addon_world import SELLER
from tests.integration.crm_world import CrmWorld, crm_world
from tests.integration.test_crm_salesforce import OPPORTUNITY, SAM_ID


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[CrmWorld]:
    """Sam's plan linked to his opportunity, and pushed: the CRM holds its figures."""
    with crm_world(tmp_path) as made:
        made.salesforce.add_user(SAM_ID, SELLER)
        made.salesforce.add_opportunity(OPPORTUNITY, "Northwind", SAM_ID)
        assert "Connected" in made.connect(Crm.SALESFORCE, user_id=SAM_ID)
        made.link(Crm.SALESFORCE, OPPORTUNITY)
        made.services.unit_queue.enqueue([Unit(Job.CRM, "first", {"owner": SELLER})])
        made.drain()
        assert len(made.salesforce.writes) == 1
        yield made


def edit(there: CrmWorld, row_index: int, column: Column, value: Value) -> None:
    """The seller types into a row of the plan's MAP tab, in the spreadsheet itself."""
    workbook = there.there.workbook("sheet-1")
    plan = parse(workbook.read("MAP")).plan
    row = plan.rows[row_index]
    workbook.apply([SetCell("MAP", row.sheet_row - 1, plan.columns[column], value)])


def moved(there: CrmWorld, row_index: int, days: int) -> None:
    plan = parse(there.there.workbook("sheet-1").read("MAP")).plan
    due = plan.rows[row_index].due.value
    assert isinstance(due, date)
    edit(there, row_index, Column.DUE, Value(Kind.DATE, due + timedelta(days=days)))


def crm_units(there: CrmWorld) -> list[tuple[str, datetime]]:
    """The CRM units queued and not yet done, with when each may run."""
    query = select(tasks.c.name, tasks.c.not_before).where(
        tasks.c.name.startswith("crm-"), tasks.c.done_at.is_(None)
    )
    with there.there.store.engine.connect() as db:
        return [(name, utc(at)) for name, at in db.execute(query)]


def test_syncs_that_change_a_shown_figure_make_one_push_at_the_end_of_the_hour(linked: CrmWorld) -> None:
    moved(linked, 0, 7)
    sync_queued(linked.services, linked.plan.id)
    link = linked.services.store.crm_link(linked.plan.id)
    assert link is not None
    assert link.due
    queued = crm_units(linked)
    ((_, not_before),) = queued  # one push, at the end of the hour
    assert not_before == linked.there.now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    moved(linked, 1, 7)
    sync_queued(linked.services, linked.plan.id)
    assert crm_units(linked) == queued  # the same hour's push: nothing more queued
    assert linked.drain().runs == []  # not before the hour's end
    linked.later(3600)
    (run,) = linked.drain().runs
    assert run.said["written"][linked.plan.id]["MAP_Slips__c"] == 2
    assert len(linked.salesforce.writes) == 2


def test_a_sync_that_changes_nothing_the_crm_shows_owes_no_push(linked: CrmWorld) -> None:
    edit(linked, 3, Column.EVIDENCE, Value(Kind.TEXT, "Signed security questionnaire"))
    result = sync_queued(linked.services, linked.plan.id)
    assert result.synced
    assert result.synced[0].events
    link = linked.services.store.crm_link(linked.plan.id)
    assert link is not None
    assert not link.due
    linked.later(3600)
    assert linked.drain().runs == []


def test_the_sellers_monday_run_owes_a_push_of_every_linked_plan_at_once(linked: CrmWorld) -> None:
    monday = linked.there.now.date()
    assert monday.weekday() == 0
    unit = Unit(
        Job.REMIND,
        f"{SELLER}|{monday}",
        {"owner": SELLER, "day": monday.isoformat(), "zones": "Europe/London"},
    )
    run_unit(linked.services, unit)
    link = linked.services.store.crm_link(linked.plan.id)
    assert link is not None
    assert link.due
    (run,) = linked.drain().runs
    assert run.said["unchanged"] == [linked.plan.id]  # the CRM held the figures: read once, nothing written
    assert len(linked.salesforce.writes) == 1


def test_a_sync_the_app_starts_itself_owes_the_push_too(linked: CrmWorld) -> None:
    moved(linked, 2, 14)  # then a sidebar button, say, syncs the sheet as it is now
    access = linked.services.platform.plan_for_owner(linked.plan, None)
    result = sync_now(linked.services, access.workbook, access.editors, linked.plan)
    assert result.events
    link = linked.services.store.crm_link(linked.plan.id)
    assert link is not None
    assert link.due
    assert len(crm_units(linked)) == 1
