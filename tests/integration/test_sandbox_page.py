"""The sandbox's page and API: loopback only, nothing from outside, every cell as text, the clock."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from mutualplan.bootstrap.sandbox import seeded_sandbox_app
from mutualplan.config import Config

SANDBOX = "http://127.0.0.1:8080"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    """The sandbox over a seeded workspace."""
    app, seeded = seeded_sandbox_app(Config.from_env({}, data=tmp_path), SANDBOX)
    assert seeded
    app.config["SERVER_NAME"] = "127.0.0.1:8080"  # the test client's Host, as the browser says it
    return app.test_client()


def test_the_page_loads_nothing_from_outside_and_says_so_in_its_policy(client: FlaskClient) -> None:
    page = client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    static = resources.files("mutualplan.web").joinpath("static")
    for name in ("sandbox.html", "sandbox.js", "sandbox.css"):
        text = static.joinpath(name).read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), name
        assert "innerHTML" not in text, name  # cell text never becomes markup
    assert client.get("/sandbox/static/../sandbox.py").status_code == 404


def test_the_sandbox_skips_tokens_only_on_loopback(client: FlaskClient) -> None:
    state = client.get("/sandbox/api/state").json or {}
    body = {
        "authorizationEventObject": {"userOAuthToken": "sandbox:sam@vendor.example"},
        "sheets": {"addonHasFileScopePermission": True, "id": state["spreadsheets"][0]["id"]},
    }
    local = client.post("/addon/home", json=body, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    remote = client.post("/addon/home", json=body, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert (local.status_code, remote.status_code) == (200, 401)


def test_a_customer_in_the_sidebar_is_offered_their_own_confirmation_page_and_the_seller_is_not(
    client: FlaskClient,
) -> None:
    state = client.get("/sandbox/api/state").json or {}

    def home(persona: str) -> str:
        body = {
            "authorizationEventObject": {"userOAuthToken": f"sandbox:{persona}"},
            "sheets": {"addonHasFileScopePermission": True, "id": state["spreadsheets"][0]["id"]},
        }
        return client.post("/addon/home", json=body, environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(
            as_text=True
        )

    buyer = home("jane@northwind.example")
    assert "Your page" in buyer
    (link,) = re.findall(r'"url":\s*"http://127\.0\.0\.1:8080(/confirm/[^"]+)"', buyer)
    assert "for Jane Doe (jane@northwind.example)" in client.get(link).get_data(as_text=True)
    assert "Your steps" in buyer
    assert "your confirmation was voided: Omar Haddad moved the dates" in buyer  # the seed's slip, by name
    for sellers_only in ("Reminders", "Send links", "Ask the customer to confirm", "Connect"):
        assert sellers_only not in buyer
    seller = home("sam@vendor.example")
    assert "Your page" not in seller
    assert "Reminders" in seller


def test_the_seeded_deal_has_personas_confirmations_and_a_slip(client: FlaskClient) -> None:
    state = client.get("/sandbox/api/state").json or {}
    assert state["personas"][0] == {
        "email": "sam@vendor.example",
        "name": "You, the seller",
        "side": "vendor",
    }
    assert {"jane@northwind.example", "omar@northwind.example"} <= {p["email"] for p in state["personas"]}
    sheet = client.get(f"/sandbox/api/sheet?id={state['spreadsheets'][0]['id']}&tab=Log").json or {}
    events = [row[3]["text"] for row in sheet["rows"][1:] if len(row) > 3]
    voided = [event for event in events if event.endswith("the confirmation is void — ask again")]
    assert len(voided) == 1
    assert voided[0].startswith("Omar Haddad moved the confirmed dates ")  # by name, as the plan knows him
    assert any(event.startswith("Omar Haddad moved due from ") for event in events)
    assert state["spreadsheets"][0]["title"] == "Northwind Bank — Credit-model monitoring"


def test_an_edit_is_synced_and_the_clock_moves_reminders_into_the_outbox(client: FlaskClient) -> None:
    state = client.get("/sandbox/api/state").json or {}
    sheet_id = state["spreadsheets"][0]["id"]
    edit = {"id": sheet_id, "cell": "I13", "value": "In progress", "as": "jane@northwind.example"}
    answer = client.post("/sandbox/api/cell", json=edit).json or {}
    assert answer["recorded"] == ["M01: Jane Doe changed status from “Not started” to “In progress”"]
    refused = client.post("/sandbox/api/cell", json={**edit, "cell": "G13", "value": "soon"})
    assert refused.status_code == 400
    assert "takes a date" in (refused.json or {})["error"]
    moved = client.post("/sandbox/api/today", json={"days": 7}).json or {}
    assert moved["sent"] > 0  # the daily job ran for each of the seven days
    assert client.post("/sandbox/api/today", json={"days": "x"}).status_code == 400
    assert (client.post("/sandbox/api/remind", json={}).json or {})["sent"] == []  # never twice
    outbox = client.get("/sandbox/api/outbox").json or {}
    messages = outbox["messages"]
    assert len(messages) == moved["sent"]
    kinds = {item["kind"] for item in messages}
    assert "confirmation_voided" in kinds  # the sample deal's champion hears her confirmation was voided
    assert kinds <= {
        "upcoming",
        "due",
        "overdue",
        "confirm_request",
        "digest",
        "confirmation_voided",
        "pipeline",
    }
    assert all(item["why"] and item["day"] for item in outbox["not_sent"])
    about_the_plan = next(item for item in messages if item["subject"].startswith("Northwind Bank"))
    message = client.get(f"/sandbox/api/outbox/{about_the_plan['id']}").json or {}
    assert message["headers"]["List-Unsubscribe"].startswith("<http://127.0.0.1:8080/unsubscribe?t=")
    assert "Hello" in message["text"]
    assert f"The plan: http://127.0.0.1:8080/?sheet={sheet_id}" in message["text"]
    (digest,) = [item for item in messages if item["kind"] == "digest"][:1]
    shown = client.get(f"/sandbox/api/outbox/{digest['id']}").json or {}
    assert 'src="data:image/png;base64,' in shown["html"]  # the timeline it carries, shown in the page
    assert "cid:" not in shown["html"]


def test_cell_text_reaches_the_page_as_data_never_markup(client: FlaskClient) -> None:
    state = client.get("/sandbox/api/state").json or {}
    sheet_id = state["spreadsheets"][0]["id"]
    edit = {"id": sheet_id, "cell": "C13", "value": "<script>alert(1)</script>", "as": "sam@vendor.example"}
    client.post("/sandbox/api/cell", json=edit)
    sheet = client.get(f"/sandbox/api/sheet?id={sheet_id}").json or {}
    assert sheet["rows"][12][2]["text"] == "<script>alert(1)</script>"  # JSON data; the page sets it as text
    timeline = client.get(f"/sandbox/timeline.svg?id={sheet_id}").get_data(as_text=True)
    assert "<script>" not in timeline
    assert "&lt;script&gt;" in timeline


def test_another_website_can_neither_reach_the_sandbox_by_name_nor_post_to_it(client: FlaskClient) -> None:
    rebound = client.get("/sandbox/api/state", headers={"Host": "evil.example"})
    assert (rebound.status_code, (rebound.json or {}).get("error")) == (
        403, "this sandbox answers only at http://127.0.0.1:8080",
    )  # fmt: skip
    assert client.get("/", headers={"Host": "127.0.0.1:9999"}).status_code == 403
    before = client.get("/sandbox/api/state").json or {}
    forged = {"Origin": "https://attacker.example"}
    assert client.post("/sandbox/api/remind", headers=forged).status_code == 403
    assert (
        client.post(
            "/sandbox/api/spreadsheets", json={}, headers={"Sec-Fetch-Site": "cross-site"}
        ).status_code
        == 403
    )
    spreadsheet = before["spreadsheets"][0]["id"]
    edit = {"id": spreadsheet, "cell": "C13", "value": "forged", "as": "jane@northwind.example"}
    assert client.post("/sandbox/api/cell", json=edit, headers=forged).status_code == 403
    after = client.get("/sandbox/api/state").json or {}
    assert (after["spreadsheets"], after["outbox"]) == (before["spreadsheets"], before["outbox"])
    own = {"Origin": SANDBOX, "Sec-Fetch-Site": "same-origin"}
    assert client.post("/sandbox/api/today", json={"days": 1}, headers=own).status_code == 200


@pytest.mark.parametrize("cell", ["XFD1048577", "A99999999999", "A20000000", "AZ13", "A" * 5000 + "1"])
def test_a_cell_far_outside_the_sheet_is_refused_and_nothing_is_saved(client: FlaskClient, cell: str) -> None:
    state = client.get("/sandbox/api/state").json or {}
    sheet_id = state["spreadsheets"][0]["id"]
    before = (client.get(f"/sandbox/api/sheet?id={sheet_id}").json or {})["rows"]
    edit = {"id": sheet_id, "cell": cell, "value": "y", "as": "sam@vendor.example"}
    refused = client.post("/sandbox/api/cell", json=edit)
    assert refused.status_code == 400
    error = (refused.json or {})["error"]
    assert "MUTUALPLAN_MAX_ROWS" in error or "is not a cell name" in error
    assert (client.get(f"/sandbox/api/sheet?id={sheet_id}").json or {})["rows"] == before


def test_a_value_past_a_cells_limit_is_refused(client: FlaskClient) -> None:
    state = client.get("/sandbox/api/state").json or {}
    edit = {
        "id": state["spreadsheets"][0]["id"],
        "cell": "N13",
        "value": "x" * 50_001,
        "as": "sam@vendor.example",
    }
    refused = client.post("/sandbox/api/cell", json=edit)
    assert (refused.status_code, (refused.json or {})["error"]) == (
        400, "a cell holds at most 50,000 characters (MUTUALPLAN_MAX_CELL_CHARS)",
    )  # fmt: skip


def event_for(spreadsheet: str, **common: object) -> dict[str, object]:
    """A sidebar event from the sandbox's seller."""
    return {
        "commonEventObject": common,
        "authorizationEventObject": {"userOAuthToken": "sandbox:sam@vendor.example"},
        "sheets": {"addonHasFileScopePermission": True, "id": spreadsheet},
    }


def test_hostile_request_bodies_get_a_400_or_413_with_a_message_never_a_500(client: FlaskClient) -> None:
    loopback = {"REMOTE_ADDR": "127.0.0.1"}
    spreadsheet = (client.get("/sandbox/api/state").json or {})["spreadsheets"][0]["id"]
    nested = "[" * 100_000 + "]" * 100_000
    for path in ("/sandbox/api/today", "/addon/home"):
        deep = client.post(path, data=nested, content_type="application/json", environ_base=loopback)
        assert (deep.status_code, (deep.json or {})["error"]) == (
            400, "the request body is not JSON mutualplan can read: send one JSON object",
        )  # fmt: skip
    huge_number = '{"days": ' + "9" * 5000 + "}"
    assert (
        client.post("/sandbox/api/today", data=huge_number, content_type="application/json").status_code
        == 400
    )
    days = {"days_ahead": {"stringInputs": {"value": ["9" * 5000]}}}
    saved = client.post(
        "/addon/reminders/save", json=event_for(spreadsheet, formInputs=days), environ_base=loopback
    )
    assert "Days before a due date is a whole number" in saved.get_data(as_text=True)
    far = {
        "go_live": {"dateInput": {"msSinceEpoch": "100000000000000000000"}},
        "template": {"stringInputs": {"value": ["mid-market"]}},
    }
    stamped = client.post("/addon/stamp", json=event_for(spreadsheet, formInputs=far), environ_base=loopback)
    assert stamped.status_code == 200
    assert "Pick the customer's go-live date" in stamped.get_data(as_text=True)
    blank = (client.post("/sandbox/api/spreadsheets", json={}).json or {})["id"]
    year = {
        "go_live": {"dateInput": {"msSinceEpoch": "999999999999999"}},
        "template": {"stringInputs": {"value": ["mid-market"]}},
    }
    out_of_range = client.post("/addon/stamp", json=event_for(blank, formInputs=year), environ_base=loopback)
    assert "that date is out of range" in out_of_range.get_data(as_text=True)
    big = client.post("/sandbox/api/today", data="x" * (21 * 1024 * 1024), content_type="application/json")
    assert big.status_code == 413


def test_a_message_looked_at_by_anyone_but_its_recipient_has_its_personal_links_masked(
    client: FlaskClient,
) -> None:
    client.post("/sandbox/api/today", json={"days": 7})
    messages = (client.get("/sandbox/api/outbox").json or {})["messages"]
    to_buyer = next(item for item in messages if item["to"].endswith("@northwind.example>"))
    buyer = re.search(r"<([^>]+)>", to_buyer["to"])
    assert buyer is not None
    own = client.get(f"/sandbox/api/outbox/{to_buyer['id']}?as={buyer.group(1)}").json or {}
    seen = client.get(f"/sandbox/api/outbox/{to_buyer['id']}?as=sam@vendor.example").json or {}
    token = re.compile(r"/confirm/gAAAA[A-Za-z0-9_\-=]+")
    assert token.search(own["text"])
    assert token.search(own["html"])
    assert "unsubscribe?t=gAAAA" in own["headers"]["List-Unsubscribe"]
    assert "unsubscribe?t=gAAAA" not in seen["headers"]["List-Unsubscribe"]
    assert (own["theirs"], seen["theirs"]) == (True, False)  # the page offers the link to its recipient alone
    for shown in (seen["text"], seen["html"]):
        assert not token.search(shown)
        assert "/confirm/…only-in-their-inbox" in shown
        assert "unsubscribe?t=gAAAA" not in shown


def test_a_buyers_inbox_is_counted_by_address_whatever_name_the_message_carries(client: FlaskClient) -> None:
    client.post("/sandbox/api/today", json={"days": 7})
    state = client.get("/sandbox/api/state").json or {}
    messages = (client.get("/sandbox/api/outbox").json or {})["messages"]
    named = [item["to"] for item in messages if "<jane@northwind.example>" in item["to"]]
    assert named  # "Jane Doe <jane@northwind.example>"
    assert state["inboxes"]["jane@northwind.example"] == len(named)
    assert sum(state["inboxes"].values()) == state["outbox"] == len(messages)
