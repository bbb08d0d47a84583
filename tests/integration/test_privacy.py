"""The privacy page says what the code keeps, sends and may reach: every table of the store, every kind of
mail, every OAuth scope asked for — and nothing the code does not."""

from __future__ import annotations

import json
from pathlib import Path

from mutualplan.adapters.google.identity import SCOPES as CONNECT_SCOPES
from mutualplan.app.confirming import confirmation_link
from mutualplan.app.privacy import KEPT, SCOPES, SENT
from mutualplan.plan.reminders.planner import ReminderKind
from mutualplan.store.schema import metadata
from tests.integration.addon_world import PUBLIC, World, stamped

DEPLOYMENT = Path(__file__).parents[2] / "addon" / "deployment.json"


def test_the_page_names_every_table_the_store_has_and_no_other() -> None:
    assert set(KEPT) == set(metadata.tables)


def test_the_page_names_every_kind_of_mail_sent() -> None:
    assert set(SENT) == set(ReminderKind)


def test_the_page_names_every_scope_the_add_on_and_connect_ask_for() -> None:
    add_on = json.loads(DEPLOYMENT.read_text(encoding="utf-8"))["oauthScopes"]
    assert set(SCOPES) == set(CONNECT_SCOPES) | set(add_on)


def test_privacy_is_a_public_page_of_what_is_kept_sent_and_reached(there: World) -> None:
    response = there.client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in [*KEPT, *(kind.value for kind in SENT)]:
        assert f"<b>{name.replace('_', ' ')}</b>" in page
    assert "https://www.googleapis.com/auth/gmail.send" in page
    assert "mutualplan cannot read your mail" in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_buyers_page_links_to_it(there: World) -> None:
    stamped(there)
    (record,) = there.store.plans()
    url, _ = confirmation_link(there.wired, record.id, "jane@northwind.com")
    page = there.client.get(url.removeprefix(PUBLIC)).get_data(as_text=True)
    assert "<a href=/privacy>" in page
