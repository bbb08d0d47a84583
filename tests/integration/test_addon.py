"""The sidebar through Flask's test client: every card flow, with event objects shaped like Google's."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from mutualplan.app.editing import set_cell
from mutualplan.app.remind import Remind
from mutualplan.app.sync import sync
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.reminders.settings import ReminderSettings
from mutualplan.plan.sheet.layout import Kind, SetCell, Value
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column
from tests.integration.addon_world import (
    GO_LIVE,
    PUBLIC,
    SELLER,
    STAMP_FORM,
    World,
    answer,
    notification,
    only_card,
    sheets_event,
    soonest_go_live,
    stamped,
    texts,
)


def test_home_shows_the_countdown_and_the_plans_health(there: World) -> None:
    stamped(there)
    home = texts(only_card(answer(there, "/addon/home")))
    assert "in 282 days" in home  # go-live, 1 Sep 2027, from 23 Nov 2026 in London
    assert "Distinct customer owners" in home


def test_validate_marks_the_sheet_and_lists_findings_by_severity_and_row(there: World) -> None:
    stamped(there)
    workbook = there.workbook("sheet-1")
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"D{row.sheet_row}", "Legal", SELLER, tab="MAP")  # a team, not a person
    api = there.apis["sheet-1"]
    calls = api.reads + api.writes
    card = only_card(answer(there, "/addon/validate"))
    assert api.reads + api.writes - calls == 2  # the marker with the plan's tab, then the marks
    shown = texts(card)
    assert "The sheet is marked: see the Check column" in shown
    assert [s.get("header") for s in card["sections"][1:]] == ["To fix", "Worth a look", "Notes"]
    first = card["sections"][1]["widgets"][0]["decoratedText"]
    assert first["topLabel"].startswith(f"Row {row.sheet_row} · {row.step[:20]}")
    assert first["text"].startswith("Owner 'Legal' is a team")
    (map_tab,) = [sheet["properties"] for sheet in api.sheets if sheet["properties"]["title"] == "MAP"]
    opens = (
        f"https://docs.google.com/spreadsheets/d/sheet-1/edit#gid={map_tab['sheetId']}&range=D{row.sheet_row}"
    )
    assert opens in json.dumps(card)  # the plan's tab at the cell, whichever tab the seller is on
    notes = texts(card["sections"][3])
    assert "steps name a role, not a person — name the people once" in notes  # months out: information
    assert '"text": "Name the people"' in notes  # one button for all of them: the People card
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    check = plan.columns[Column.CHECK]
    grid = there.workbook("sheet-1").read("MAP")
    assert grid.rows[plan.rows[0].sheet_row - 1][check].value


def test_today_is_the_spreadsheets_own_day_not_utc(there: World) -> None:
    there.apis["sheet-1"].properties["timeZone"] = "Pacific/Kiritimati"  # 15:00 UTC is tomorrow there
    stamped(there)
    assert "in 281 days" in texts(only_card(answer(there, "/addon/home")))  # one day fewer than London
    assert [record.time_zone for record in there.store.plans()] == ["Pacific/Kiritimati"]


def test_a_time_zone_changed_in_the_sheets_settings_is_the_one_reminders_keep_to(there: World) -> None:
    stamped(there)
    there.apis["sheet-1"].properties["timeZone"] = "America/Los_Angeles"
    answer(there, "/addon/home")
    assert [record.time_zone for record in there.store.plans()] == ["America/Los_Angeles"]


@pytest.mark.parametrize(("locale", "ambiguous"), [("en_US", False), ("en_GB", False), ("", True)])
def test_validate_reads_a_numeric_date_in_the_spreadsheets_locale(
    there: World, locale: str, ambiguous: bool
) -> None:
    there.apis["sheet-1"].properties["locale"] = locale
    stamped(there)
    workbook = there.workbook("sheet-1")
    plan = parse(workbook.read("MAP")).plan
    row, due = plan.rows[0].sheet_row - 1, plan.columns[Column.DUE]
    workbook.apply([SetCell("MAP", row, due, Value(Kind.TEXT, "03/04/2027"))])
    shown = texts(only_card(answer(there, "/addon/validate")))
    assert ("'03/04/2027' reads as" in shown) is ambiguous
    assert "--locale" not in shown


def test_activity_lists_the_latest_events_with_cell_text_escaped(there: World) -> None:
    stamped(there)
    record = there.store.plans()[0]
    workbook = there.workbook("sheet-1")
    row = parse(workbook.read("MAP")).plan.rows[0]
    set_cell(workbook, f"H{row.sheet_row}", "<b>Signed</b> & sealed", SELLER)
    sync(there.store, workbook, record, lambda tab: Editors(last=SELLER), lambda: there.now)
    shown = texts(only_card(answer(there, "/addon/activity")))
    assert "changed the exit evidence from “Outcome" in shown  # a change, not "added"
    assert "to “&lt;b&gt;Signed&lt;/b&gt; &amp; sealed”" in shown  # card text: escaped, never markup


def test_ask_lists_the_next_30_days_unconfirmed_dates_and_the_words_for_the_champion(there: World) -> None:
    soonest = soonest_go_live("regulated-buyer", there.now.date())
    midnight = datetime(soonest.year, soonest.month, soonest.day, tzinfo=UTC)
    body = answer(there, "/addon/stamp", form=STAMP_FORM, dates={"go_live": int(midnight.timestamp() * 1000)})
    assert body["renderActions"]["action"]["notification"] == {"text": "Plan stamped"}
    workbook = there.workbook("sheet-1")
    set_cell(workbook, "A3", "Kim Rao", SELLER, tab="Stakeholders")
    set_cell(workbook, "B3", "kim@northwind.com", SELLER, tab="Stakeholders")
    card = only_card(answer(there, "/addon/ask"))
    shown = texts(card)
    stakeholders = [[cell.value for cell in row] for row in workbook.read("Stakeholders").rows]
    assert stakeholders[2][2:] == ["Customer", "Champion"]  # the row just named
    assert "Kim Rao &lt;kim@northwind.com&gt;" in shown
    assert "Can you confirm these dates work on your side" in shown
    assert "unconfirmed in the next 30 days" in shown


def test_reminder_settings_are_shown_saved_and_refused_when_out_of_range(there: World) -> None:
    stamped(there)
    (record,) = there.store.plans()
    card = texts(only_card(answer(there, "/addon/reminders")))
    assert '"value": "3"' in card
    saved = answer(there, "/addon/reminders/save", form={"days_ahead": ["5"], "nudge": ["owners", "digest"]})
    assert saved["renderActions"]["action"]["notification"] == {"text": "Reminders saved"}
    assert there.store.reminder_settings(record.id) == ReminderSettings(
        5, owners=True, champion=False, digest=True
    )
    refused = answer(there, "/addon/reminders/save", form={"days_ahead": ["99"], "nudge": []})
    assert "from 0 to 30" in notification(refused)
    assert there.store.reminder_settings(record.id).days_ahead == 5


def test_a_copy_of_a_plan_opened_in_the_sidebar_is_adopted_as_a_plan_of_its_own(there: World) -> None:
    stamped(there)
    there.add(there.apis["sheet-1"].copy("sheet-copy"))
    answer(there, "/addon/home", spreadsheet_id="sheet-copy")
    plans = {record.spreadsheet_id: record for record in there.store.plans()}
    original, copy = plans["sheet-1"], plans["sheet-copy"]
    assert copy.owner == SELLER
    assert copy.id != original.id
    marker = there.workbook("sheet-copy").marker()
    assert marker is not None
    assert (marker.plan_id, marker.spreadsheet_id) == (copy.id, "sheet-copy")
    kept = there.workbook("sheet-1").marker()
    assert kept is not None
    assert kept.plan_id == original.id


@pytest.mark.parametrize(
    ("status", "body", "says"),
    [
        (403, '{"error": {"code": 403, "status": "PERMISSION_DENIED", "errors": [{"reason": "forbidden"}]}}',
         "mutualplan can't open this spreadsheet"),
        (404, '{"error": {"code": 404, "errors": [{"reason": "notFound"}]}}', "gone or no longer shared"),
        (400, '{"error": {"code": 400, "message": "Invalid requests[0]: no grid"}}',
         "Google Sheets refused the request: Invalid requests[0]: no grid. Nothing was changed."),
        (503, "<html>Service Unavailable</html>", "Google is not answering right now"),
    ],
)  # fmt: skip
def test_google_failures_become_a_card_that_says_what_to_do(
    there: World, status: int, body: str, says: str
) -> None:
    there.apis["sheet-1"].failures = [(status, body)] * 5
    response = there.post("/addon/home", sheets_event())
    assert response.status_code == 200
    card = only_card(response.json or {})
    assert says in texts(card)
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_bug_meeting_an_odd_answer_is_an_error_card_never_a_500(there: World) -> None:
    stamped(there)
    there.apis["sheet-1"].failures = [(200, json.dumps({"sheets": [{"data": []}]}))]  # a tab, no properties
    response = there.post("/addon/home", sheets_event())
    assert response.status_code == 200
    assert "mutualplan hit an internal error" in texts(only_card(response.json or {}))
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_rate_limit_is_a_notification_to_wait(there: World) -> None:
    stamped(there)
    error = '{"error": {"code": 429, "errors": [{"reason": "rateLimitExceeded"}]}}'
    there.apis["sheet-1"].failures = [(429, error)] * 5
    body = answer(there, "/addon/validate")
    assert "wait a minute" in notification(body)


def test_the_home_cards_timeline_is_served_at_a_link_sealed_for_that_plan(there: World) -> None:
    stamped(there)
    home = only_card(answer(there, "/addon/home"))
    image = next(w["image"] for s in home["sections"] for w in s["widgets"] if "image" in w)
    path = image["imageUrl"].removeprefix(PUBLIC)
    assert path.startswith("/timeline.png?")  # the Image widget shows PNG or JPEG, never SVG
    picture = there.client.get(path)
    assert (picture.status_code, picture.mimetype) == (200, "image/png")
    with Image.open(BytesIO(picture.data)) as drawn:
        assert (drawn.format, drawn.width) == ("PNG", 600)  # twice the sidebar's width
    browser = there.client.get(path.replace("/timeline.png", "/timeline.svg"))
    assert 'data-state="unconfirmed"' in browser.get_data(as_text=True)  # the same link, for a browser
    for kind in ("png", "svg"):
        assert there.client.get(f"/timeline.{kind}?t=forged").status_code == 404
        assert there.client.get(f"/timeline.{kind}").status_code == 404


def test_send_asks_the_champion_once_a_week_and_the_weekly_run_knows(there: World) -> None:
    soonest = soonest_go_live("regulated-buyer", there.now.date())
    midnight = datetime(soonest.year, soonest.month, soonest.day, tzinfo=UTC)
    answer(there, "/addon/stamp", form=STAMP_FORM, dates={"go_live": int(midnight.timestamp() * 1000)})
    card = only_card(answer(there, "/addon/ask"))
    assert "Send to the champion" not in texts(card)  # nobody to send to yet
    assert "Not sent: no champion" in notification(answer(there, "/addon/ask/send"))
    workbook = there.workbook("sheet-1")
    set_cell(workbook, "A3", "Kim Rao", SELLER, tab="Stakeholders")
    set_cell(workbook, "B3", "kim@northwind.com", SELLER, tab="Stakeholders")
    assert "Send to the champion" in texts(only_card(answer(there, "/addon/ask")))
    sent = notification(answer(there, "/addon/ask/send"))
    assert sent.startswith("Sent to Kim Rao: ")
    (message,) = there.mailer.sent
    assert (message["To"], message["From"]) == ("Kim Rao <kim@northwind.com>", SELLER)
    body = message.get_body(("plain",))
    assert body is not None
    assert "The plan: https://docs.google.com/spreadsheets/d/sheet-1/edit" in body.get_content()
    again = notification(answer(there, "/addon/ask/send"))
    assert again == "kim@northwind.com was already asked this week"
    run = Remind(there.store, lambda sender: there.mailer, lambda email, plan: "u", there.now)
    weekly = run.run(there.store.plans())
    assert ("confirm_request", "already sent") in {(item["kind"], item["why"]) for item in weekly.skipped}
    asks = [message for message in there.mailer.sent if "dates to confirm" in str(message["Subject"])]
    assert len(asks) == 1


def confirm_paths(there: World, to: str) -> list[str]:
    """The confirmation links mailed to one address, as paths on this server."""
    found = []
    for message in there.mailer.sent:
        if to in str(message["To"]):
            body = message.get_body(("plain",))
            assert body is not None
            found += re.findall(r"https://mp\.example(/confirm/[^\s]+)", body.get_content())
    return found


def test_the_sidebar_sends_each_customer_person_their_link_and_never_shows_it(there: World) -> None:
    stamped(there)
    workbook = there.workbook("sheet-1")
    set_cell(workbook, "A3", "Kim Rao", SELLER, tab="Stakeholders")
    set_cell(workbook, "B3", "kim@northwind.com", SELLER, tab="Stakeholders")
    answer(there, "/addon/home")  # syncs: the champion is known
    card = only_card(answer(there, "/addon/links"))
    shown = texts(card)
    assert "Kim Rao" in shown
    assert "kim@northwind.com" in shown
    assert "/confirm/" not in json.dumps(card)  # the seller never sees a working link
    plan_link = next(
        widget["textInput"]["value"]
        for section in card["sections"]
        for widget in section["widgets"]
        if "textInput" in widget
    )
    assert "/join/" in plan_link
    assert "kim" not in plan_link
    said = notification(answer(there, "/addon/links/send", parameters={"email": "kim@northwind.com"}))
    assert said.startswith("Sent Kim Rao their own link (kim@northwind.com)")
    (path,) = confirm_paths(there, "kim@northwind.com")
    assert there.client.get(path).status_code == 200
    again = notification(answer(there, "/addon/links/send", parameters={"email": "kim@northwind.com"}))
    assert again == "Kim Rao's link was not sent: they were sent it less than an hour ago"
    assert len(confirm_paths(there, "kim@northwind.com")) == 1
    reissued = notification(answer(there, "/addon/links/reissue", parameters={"email": "kim@northwind.com"}))
    assert reissued.startswith("Sent Kim Rao their own link")
    first, fresh = confirm_paths(there, "kim@northwind.com")
    assert there.client.get(first).status_code == 410
    assert there.client.get(fresh).status_code == 200


def test_naming_the_champion_once_writes_them_into_every_row_that_held_the_role(there: World) -> None:
    stamped(there)
    held = [row.sheet_row for row in parse(there.workbook("sheet-1").read("MAP")).plan.rows
            if any(owner.party.text == "[Champion]" for owner in row.owners)]  # fmt: skip
    assert len(held) > 1
    card = only_card(answer(there, "/addon/people"))
    shown = texts(card)
    assert "[Champion]" in shown
    save = next(
        item for section in card["sections"] for widget in section["widgets"]
        for item in widget.get("buttonList", {}).get("buttons", []) if item["text"] == "Save the names"
    )  # fmt: skip
    roles = {item["key"]: item["value"] for item in save["onClick"]["action"]["parameters"]}["roles"]
    index = roles.splitlines().index("[Champion]")
    saved = answer(
        there, "/addon/people/save", parameters={"roles": roles},
        form={f"typed_{index}": ["Jane Doe <jane@northwind.com>"]},
    )  # fmt: skip
    assert notification(saved).startswith("Named 1 role in ")
    rows = {row.sheet_row: row for row in parse(there.workbook("sheet-1").read("MAP")).plan.rows}
    for sheet_row in held:
        texts_now = [owner.party.text for owner in rows[sheet_row].owners]
        assert "[Champion]" not in texts_now
        assert any(owner.party.email == "jane@northwind.com" for owner in rows[sheet_row].owners)


def test_a_champion_and_team_named_when_stamping_start_the_plan_with_real_names(there: World) -> None:
    form = {
        **STAMP_FORM,
        "champion": ["Jane Doe <jane@northwind.com>"],
        "team": [
            "Account executive: Sam Lee <sam@vendor.example>\n"
            "Solutions engineer: Lena Vogel <lena@vendor.example>"
        ],
    }
    done = answer(there, "/addon/stamp", form=form, dates={"go_live": int(GO_LIVE.timestamp() * 1000)})
    assert "Plan stamped" in json.dumps(done), json.dumps(done)[:300]
    plan = parse(there.workbook("sheet-1").read("MAP")).plan
    texts_now = {owner.party.text for row in plan.rows for owner in row.owners}
    assert not {"[Champion]", "[Account executive]", "[Solutions engineer]"} & texts_now
    emails = {owner.party.email for row in plan.rows for owner in row.owners}
    assert {"jane@northwind.com", "sam@vendor.example", "lena@vendor.example"} <= emails
    unnamed = answer(there, "/addon/stamp", form={**STAMP_FORM, "champion": ["Jane"]},
                     dates={"go_live": int(GO_LIVE.timestamp() * 1000)})  # fmt: skip
    assert "write each person as Role: Name <name@company.com>" in json.dumps(unnamed)
