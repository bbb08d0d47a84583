"""Who may call: BAD_INPUTS 27 (add-on ID tokens), 28 (cron), 29 (no file grant); the sandbox exception;
buttons that carry their spreadsheet, never trusted past the user's own token."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from mutualplan.web.events import SHEET_PARAMETER
from tests.fake_sheets_api import FakeSheetsApi
from tests.id_tokens import SCHEDULER_ACCOUNT, forged_token, id_token
from tests.integration.addon_world import PUBLIC, World, answer, cards_of, sheets_event, stamped, texts

HOME = "/addon/home"


BAD_TOKENS: dict[str, Callable[[], str | None]] = {
    "none": lambda: None,
    "not a bearer token": lambda: "Basic c2FtOnNlY3JldA==",
    "expired": lambda: id_token(PUBLIC + HOME, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "for another audience": lambda: id_token("https://evil.example/addon/home"),
    "from another issuer": lambda: id_token(PUBLIC + HOME, iss="https://evil.example"),
    "of another service account": lambda: id_token(
        PUBLIC + HOME, email="someone@evil.iam.gserviceaccount.com"
    ),
    "with an unverified email": lambda: id_token(PUBLIC + HOME, email_verified=False),
    "forged": lambda: forged_token(PUBLIC + HOME),
    "garbage": lambda: "not.a.token",
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_an_addon_call_without_a_valid_google_id_token_is_401_and_does_nothing(
    there: World, kind: str
) -> None:
    token = BAD_TOKENS[kind]()
    headers = {"Authorization": token if token and " " in token else f"Bearer {token}"} if token else {}
    response = there.client.post(HOME, json=sheets_event(), headers=headers)
    assert response.status_code == 401
    assert there.apis["sheet-1"].reads == 0
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_token_for_the_public_base_url_is_taken_too(there: World) -> None:
    assert there.post(HOME, sheets_event(), token=id_token(PUBLIC)).status_code == 200


@pytest.mark.parametrize("path", ["/cron/sync-due", "/cron/reconcile", "/cron/channels"])
def test_cron_endpoints_take_the_schedulers_oidc_token_and_nothing_else(there: World, path: str) -> None:
    client = there.client
    assert client.get(path).status_code == 403
    assert client.get(path, headers={"X-Appengine-Cron": "true"}).status_code == 403  # not on App Engine
    other = id_token(PUBLIC + path)  # the add-on's account is not the scheduler
    assert client.get(path, headers={"Authorization": f"Bearer {other}"}).status_code == 403
    scheduler = id_token(PUBLIC + path, email=SCHEDULER_ACCOUNT)
    assert client.get(path, headers={"Authorization": f"Bearer {scheduler}"}).status_code == 200


def test_a_spreadsheet_without_the_file_grant_gets_a_card_asking_for_it(there: World) -> None:
    response = there.post(HOME, sheets_event(granted=False))
    assert response.status_code == 200
    (card,) = cards_of(response.json or {})
    assert "this spreadsheet only" in str(card)


def test_the_sandbox_skips_tokens_on_loopback_only(there: World) -> None:
    assert there.app is not None
    there.wired.sandbox = True
    local = there.client.post(HOME, json=sheets_event(), environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert local.status_code == 200
    remote = there.client.post(HOME, json=sheets_event(), environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 401


def buttons_of(card: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every button on a card that calls us back (not a link): its text → its action's parameters."""
    found = {}
    for section in card["sections"]:
        for widget in section["widgets"]:
            for item in widget.get("buttonList", {}).get("buttons", []):
                if "action" in item["onClick"]:
                    pairs = item["onClick"]["action"].get("parameters", [])
                    found[item["text"]] = {pair["key"]: pair["value"] for pair in pairs}
    return found


def test_every_button_carries_its_spreadsheet_and_works_when_the_event_comes_without_it(there: World) -> None:
    stamped(there)
    home = cards_of(answer(there, HOME))[0]
    carried = buttons_of(home)
    assert carried
    assert {parameters.get(SHEET_PARAMETER) for parameters in carried.values()} == {"sheet-1"}
    validated = answer(there, "/addon/validate", parameters=carried["Validate"], without_sheet=True)
    assert "Grant access" not in texts(cards_of(validated)[0])
    assert there.apis["sheet-1"].writes >= 2  # the stamp, then Validate's marks in the same spreadsheet


def test_a_button_naming_a_spreadsheet_the_user_cannot_open_is_refused_with_the_grant_card(
    there: World,
) -> None:
    stamped(there)
    theirs = there.add(FakeSheetsApi("sheet-2", file_owner="ann@other.example"))
    theirs.shared_with = set()
    reads = theirs.reads
    refused = answer(there, "/addon/validate", parameters={SHEET_PARAMETER: "sheet-2"}, without_sheet=True)
    assert "Grant access to this spreadsheet" in texts(cards_of(refused)[0])
    assert theirs.reads - reads >= 1  # asked as the user, and refused by Google
    assert theirs.writes == 0
    assert [record.spreadsheet_id for record in there.store.plans()] == ["sheet-1"]
