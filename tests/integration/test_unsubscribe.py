"""One-click unsubscribe (BAD_INPUTS 26) and the reminders cron, through Flask's test client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from mutualplan.adapters.sealing import FernetSealer, new_secret_key
from mutualplan.app.links import Links, Purpose
from tests.id_tokens import SCHEDULER_ACCOUNT, id_token
from tests.integration.addon_world import PUBLIC, World, answer, only_card, stamped, world

KEY = "k1Oq3-NqbkUCnTnF2UdW6fH2xJw1n8tC0y3t2W3lS0s="


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    """The world with a known secret key."""
    with world(tmp_path, secret_key=KEY) as made:
        yield made


def token_for(email: str) -> str:
    link = Links(FernetSealer(KEY), PUBLIC).unsubscribe(email)
    return parse_qs(urlparse(link).query)["t"][0]


def test_a_get_only_asks_and_unsubscribes_nobody(there: World) -> None:
    response = there.client.get(f"/unsubscribe?t={token_for('Jane@Acme.com')}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "jane@acme.com" in page
    assert '<form method=post action="/unsubscribe">' in page
    assert there.store.unsubscribed() == set()


def test_a_one_click_post_without_cookies_unsubscribes(there: World) -> None:
    client = there.client
    response = client.post(
        f"/unsubscribe?t={token_for('jane@acme.com')}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert there.store.unsubscribed() == {"jane@acme.com"}
    again = client.post("/unsubscribe", data={"t": token_for("jane@acme.com")})  # the confirm button, twice
    assert again.status_code == 200


ANOTHER_SERVERS = FernetSealer(new_secret_key()).seal(Purpose.UNSUBSCRIBE, {"email": "x@y.z"})


@pytest.mark.parametrize("token", ["", "forged", ANOTHER_SERVERS])
def test_a_link_not_made_by_this_server_unsubscribes_nobody(there: World, token: str) -> None:
    assert there.client.post("/unsubscribe", data={"t": token}).status_code == 400
    assert there.client.get(f"/unsubscribe?t={token}").status_code == 400
    assert there.store.unsubscribed() == set()


def test_the_reminders_cron_enqueues_for_eight_local_and_the_units_send_as_each_owner(there: World) -> None:
    there.spreadsheet()
    stamped(there)
    there.now = datetime.combine(there.now.date() + timedelta(days=7), time(8, 5), UTC)  # 08:05 in UTC
    path = "/cron/reminders"
    assert there.client.get(path).status_code == 403
    token = id_token(PUBLIC + path, email=SCHEDULER_ACCOUNT)
    response = there.client.get(path, headers={"Authorization": f"Bearer {token}"})
    # 08:00 at +0 and 09:00 at +1; a Monday: each with a fan of the viewers' weekly pipelines too
    assert (response.status_code, response.json) == (200, {"enqueued": 4})
    assert there.mailer.sent == []  # a cron call sends nothing itself
    drain = "/cron/sync-due"
    token = id_token(PUBLIC + drain, email=SCHEDULER_ACCOUNT)
    drained = there.client.get(drain, headers={"Authorization": f"Bearer {token}"}).json
    assert drained is not None
    assert drained["units"] == 5  # four fan units (no viewer has a pipeline here), one owner's reminders
    (message,) = there.mailer.sent  # the seller's countdown
    assert message["From"] == "sam@vendor.io"
    assert message["List-Unsubscribe"].startswith(f"<{PUBLIC}/unsubscribe?t=")


def test_a_sealed_token_opens_only_for_its_own_purpose(there: World) -> None:
    links = Links(FernetSealer(KEY), PUBLIC)
    connect_ticket = parse_qs(urlparse(links.connect("jane@acme.com")).query)["ticket"][0]
    timeline = parse_qs(urlparse(links.timeline("plan-1")).query)["t"][0]
    unsubscribe = token_for("jane@acme.com")
    assert there.client.post("/unsubscribe", data={"t": connect_ticket}).status_code == 400
    assert there.client.get(f"/unsubscribe?t={timeline}").status_code == 400
    assert there.store.unsubscribed() == set()  # the Connect ticket shown in the sidebar unsubscribes nobody
    assert there.client.get(f"/oauth/start?ticket={unsubscribe}").status_code == 400
    refused = there.client.get(f"/oauth/callback?state={timeline}&code=abc")
    assert (refused.status_code, "Not connected" in refused.get_data(as_text=True)) == (400, True)
    assert there.client.get(f"/timeline.svg?t={connect_ticket}").status_code == 404
    assert there.client.get(f"/confirm/{unsubscribe}").status_code == 404


def test_a_link_from_one_plans_reminder_stops_that_plan_only_unless_asked_for_all(there: World) -> None:
    there.spreadsheet()
    stamped(there)
    (record,) = there.store.plans()
    link = Links(FernetSealer(KEY), PUBLIC).unsubscribe("Jane@Acme.com", record.id)
    token = parse_qs(urlparse(link).query)["t"][0]
    page = there.client.get(f"/unsubscribe?t={token}").get_data(as_text=True)
    assert f"about <b>{record.title}</b>" in page
    assert "Stop every mutualplan reminder" in page
    assert there.client.post(f"/unsubscribe?t={token}", data="List-Unsubscribe=One-Click").status_code == 200
    assert (there.store.unsubscribed(), there.store.unsubscribed_by_plan()) == (
        set(),
        {record.id: {"jane@acme.com"}},
    )
    assert there.client.post("/unsubscribe", data={"t": token, "all": "1"}).status_code == 200
    assert there.store.unsubscribed() == {"jane@acme.com"}


def test_the_unsubscribe_page_the_timeline_and_json_errors_are_never_sniffed_framed_or_referred(
    there: World,
) -> None:
    there.spreadsheet()
    stamped(there)
    answers = [
        there.client.get(f"/unsubscribe?t={token_for('jane@acme.com')}"),
        there.client.get("/timeline.svg?t=forged"),  # a JSON error
        there.client.post("/addon/validate", data="not json"),  # refused before any plan is touched
    ]
    (timeline,) = [w["image"]["imageUrl"] for w in home_widgets(there) if "image" in w]
    svg = timeline.removeprefix(PUBLIC).replace("/timeline.png", "/timeline.svg")
    answers.append(there.client.get(svg))
    for response in answers:
        csp = response.headers.get("Content-Security-Policy", "")
        assert response.headers.get("X-Content-Type-Options") == "nosniff", response.request.path
        assert "frame-ancestors 'none'" in csp, response.request.path
        assert response.headers.get("Referrer-Policy") == "no-referrer", response.request.path
    assert answers[-1].status_code == 200


def home_widgets(there: World) -> list[dict[str, Any]]:
    home = only_card(answer(there, "/addon/home"))
    return [widget for section in home["sections"] for widget in section["widgets"]]
