"""The sidebar's first steps through Flask's test client: file access, the template gallery, and stamping
a plan (mid-deal too), with event objects shaped like Google's."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mutualplan.adapters.templates import TemplateFolder
from mutualplan.plan.sheet.parse import parse
from tests.integration.addon_world import (
    GO_LIVE,
    PUBLIC,
    SELLER,
    STAMP_FORM,
    World,
    answer,
    notification,
    only_card,
    stamped,
    texts,
)


def test_without_file_access_the_sidebar_asks_for_it_and_the_button_requests_the_scope(there: World) -> None:
    card = only_card(answer(there, "/addon/home", granted=False))
    assert "Grant access to this spreadsheet" in texts(card)
    assert f"{PUBLIC}/addon/request-access" in texts(card)
    assert answer(there, "/addon/request-access", granted=False) == {
        "renderActions": {"hostAppAction": {"editorAction": {"requestFileScopeForActiveDocument": {}}}}
    }
    assert there.apis["sheet-1"].reads == 0  # nothing touched the spreadsheet


def test_a_spreadsheet_without_a_plan_shows_the_template_gallery(there: World) -> None:
    body = answer(there, "/addon/file-scope-granted")
    card = only_card(body)
    assert "pushCard" in json.dumps(body)
    picker = next(w for s in card["sections"] for w in s["widgets"] if "selectionInput" in w)[
        "selectionInput"
    ]
    assert [item["value"] for item in picker["items"]] == [
        template.name for template in TemplateFolder().all()
    ]
    assert f"{PUBLIC}/addon/stamp" in texts(card)


def test_stamping_from_the_gallery_writes_the_plan_follows_it_and_shows_home(there: World) -> None:
    body = stamped(there)
    assert body["renderActions"]["action"]["notification"] == {"text": "Plan stamped"}
    home = texts(only_card(body))
    for words in (
        "Countdown",
        "Deal health",
        "Validate",
        "Ask the customer to confirm",
        "Reminders",
        "Activity",
    ):
        assert words in home
    (record,) = there.store.plans()
    assert (record.owner, record.workbook, record.spreadsheet_id) == (SELLER, "google", "sheet-1")
    assert there.drive.calls["watch"] == 1
    assert there.store.latest_snapshot(record.id).version == 1
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    assert (plan.head.customer, plan.go_live) == ("Northwind Bank", GO_LIVE.date())
    assert "/oauth/start?ticket=" in home  # Connect, sealed for the owner


def test_the_gallery_takes_the_customers_external_deadline_and_the_plan_reads_its_risks(there: World) -> None:
    deadline = datetime(2027, 11, 1, tzinfo=UTC)
    dates = {"go_live": int(GO_LIVE.timestamp() * 1000), "deadline": int(deadline.timestamp() * 1000)}
    answer(there, "/addon/stamp", form=STAMP_FORM, dates=dates)
    workbook = there.workbook("sheet-1")
    assert workbook.tabs() == ["MAP", "Stakeholders", "Risks", "Log"]
    plan = parse(workbook.read("MAP")).plan
    assert plan.head.external_deadline.value == deadline.date()
    (record,) = there.store.plans()
    snapshot = there.store.latest_snapshot(record.id).snapshot
    assert snapshot is not None
    assert len(snapshot.risks) == 3  # the stamp's first sync read the Risks tab


@pytest.mark.parametrize(
    ("form", "dates", "says"),
    [
        (STAMP_FORM, {}, "Pick the customer's go-live date"),
        (
            {**STAMP_FORM, "customer_domain": ["not a domain"]},
            {"go_live": 1788220800000},
            "is not an email domain",
        ),
        (
            STAMP_FORM,
            {"go_live": int(datetime(2026, 11, 2, tzinfo=UTC).timestamp() * 1000)},
            "is not after today",
        ),
        ({**STAMP_FORM, "template": ["no-such"]}, {"go_live": 1788220800000}, "no-such"),
    ],
)
def test_a_stamp_the_plan_cannot_take_says_what_to_fix_and_writes_nothing(
    there: World, form: dict[str, list[str]], dates: dict[str, int], says: str
) -> None:
    body = answer(there, "/addon/stamp", form=form, dates=dates)
    assert says in notification(body)
    assert there.apis["sheet-1"].writes == 0
    assert there.store.plans() == []


def test_a_deal_under_way_is_stamped_with_a_go_live_closer_than_the_template_needs(there: World) -> None:
    soon = {"go_live": int(datetime(2027, 1, 4, tzinfo=UTC).timestamp() * 1000)}  # six weeks out
    answer(there, "/addon/stamp", form=STAMP_FORM, dates=soon)
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    today = there.now.date()
    assert all(row.start.value and row.start.value >= today for row in plan.rows if not row.is_done)
    shown = texts(only_card(answer(there, "/addon/validate")))
    assert "closer than this plan needs" in shown
    there.spreadsheet("sheet-2")
    under_way = {**STAMP_FORM, "started": ["done"]}
    answer(there, "/addon/stamp", spreadsheet_id="sheet-2", form=under_way, dates=soon)
    second = parse(there.workbook("sheet-2").read("MAP")).plan
    assert any(row.is_done for row in second.rows)
    assert all(row.due.value and row.due.value < today for row in second.rows if row.is_done)


def test_a_second_stamp_into_a_plan_spreadsheet_is_refused(there: World) -> None:
    stamped(there)
    body = stamped(there)
    assert body["renderActions"]["action"]["notification"] == {
        "text": "This spreadsheet already holds a plan"
    }
