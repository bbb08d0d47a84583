"""Background work as the plan's owner: offline credentials, refresh failures (BAD_INPUTS 19), and the
production app's wiring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from mutualplan.adapters.google.identity import TOKEN_URL
from mutualplan.adapters.google.platform import USERINFO_URL, GooglePlatform
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.adapters.sealing import FernetSealer, new_secret_key
from mutualplan.app.ports import Drive
from mutualplan.app.records import AccountRecord, AccountStatus, PlanRecord
from mutualplan.app.watch import run_due_syncs
from mutualplan.bootstrap.google import production_app
from mutualplan.errors import GoogleApiError, GrantRevokedError, InputError, StoreError
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore
from tests.fake_drive import FakeDrive
from tests.fake_sheets_api import FakeSheetsApi
from tests.integration.sync_harness import START, harness
from tests.stores import open_store

OWNER = "sam@vendor.io"
QUICK = GoogleTransport(Backoff(sleep=lambda seconds: None))


class Offline:
    """A stamped Google plan, its owner's encrypted grant, and Google's token endpoint."""

    def __init__(
        self, store: SqlStore, api: FakeSheetsApi, mock: responses.RequestsMock, record: PlanRecord
    ) -> None:
        self.store, self.api, self.mock, self.record = store, api, mock, record
        self.sealer = FernetSealer(new_secret_key())
        self.drive = FakeDrive()
        self.drive.touch(record.spreadsheet_id, "jane@acme.com")
        store.save_account(
            AccountRecord(OWNER, self.sealer.encrypt("1//refresh"), AccountStatus.CONNECTED, START)
        )
        self.google = GooglePlatform(store, self.sealer, "client-1", "secret-1", QUICK, drive=self.fake_drive)

    def fake_drive(self, credentials: object) -> Drive:
        return self.drive

    def token_calls(self) -> int:
        return sum(1 for call in self.mock.calls if call.request.url == TOKEN_URL)

    def run(self) -> list[tuple[str, str]]:
        self.store.request_sync(self.record.id, START)
        return run_due_syncs(self.store, self.google.plan_for_owner, lambda: START).failed


@pytest.fixture
def offline(tmp_path: Path) -> Iterator[Offline]:
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        upgrade(store.engine)
        with harness("google", tmp_path, store) as plan:
            assert plan.api is not None
            yield Offline(store, plan.api, plan.api.mock, plan.record)


def test_a_connected_owners_grant_is_refreshed_and_the_sync_runs(offline: Offline) -> None:
    offline.mock.add(responses.POST, TOKEN_URL, json={"access_token": "ya29.fresh", "expires_in": 3600})
    assert offline.run() == []
    assert offline.token_calls() == 1


def test_a_refresh_that_fails_on_a_502_is_tried_again(offline: Offline) -> None:
    offline.mock.add(responses.POST, TOKEN_URL, status=502, body="<html>Bad Gateway</html>")
    offline.mock.add(responses.POST, TOKEN_URL, json={"access_token": "ya29.fresh", "expires_in": 3600})
    assert offline.run() == []
    assert offline.token_calls() == 2


def test_invalid_grant_flags_the_account_and_stops_its_background_work(offline: Offline) -> None:
    revoked = {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    offline.mock.add(responses.POST, TOKEN_URL, status=400, json=revoked)
    ((plan_id, message),) = offline.run()
    assert (plan_id, "reconnect it in the sidebar" in message) == (offline.record.id, True)
    account = offline.store.account(OWNER)
    assert account is not None
    assert account.status == AccountStatus.RECONNECT
    calls, reads = offline.token_calls(), offline.api.reads
    ((_, again),) = offline.run()
    assert "must reconnect" in again
    assert (offline.token_calls(), offline.api.reads) == (calls, reads)  # Google was not called


def test_a_token_revoked_between_two_calls_flags_the_account(offline: Offline) -> None:
    offline.mock.add(responses.POST, TOKEN_URL, json={"access_token": "ya29.fresh", "expires_in": 3600})
    assert offline.run() == []
    offline.api.failures = [(401, '{"error": {"code": 401, "status": "UNAUTHENTICATED"}}')]
    offline.mock.add(responses.POST, TOKEN_URL, status=400, json={"error": "invalid_grant"})
    assert len(offline.run()) == 1
    account = offline.store.account(OWNER)
    assert account is not None
    assert account.status == AccountStatus.RECONNECT


def test_an_owner_who_never_connected_gets_no_background_work(offline: Offline) -> None:
    with pytest.raises(GrantRevokedError, match="Connect in the sidebar"):
        offline.google.offline("nobody@vendor.io")


def test_user_email_asks_google_whose_token_it_is(offline: Offline) -> None:
    offline.mock.add(responses.GET, USERINFO_URL, json={"email": "sam@vendor.io", "email_verified": True})
    offline.mock.add(responses.GET, USERINFO_URL, status=401, json={"error": "invalid_token"})
    assert offline.google.user_email("ya29.token") == "sam@vendor.io"
    with pytest.raises(GoogleApiError, match="open the sidebar again"):
        offline.google.user_email("ya29.expired")


def test_the_production_app_needs_its_public_url_and_account(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MUTUALPLAN_DATA", str(tmp_path))
    monkeypatch.delenv("MUTUALPLAN_PUBLIC_URL", raising=False)
    with pytest.raises(InputError, match="set MUTUALPLAN_PUBLIC_URL and MUTUALPLAN_ADDON_SERVICE_ACCOUNT"):
        production_app()
    monkeypatch.setenv("MUTUALPLAN_PUBLIC_URL", "https://mp.example")
    monkeypatch.setenv(
        "MUTUALPLAN_ADDON_SERVICE_ACCOUNT", "service-1@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
    )
    monkeypatch.setenv("MUTUALPLAN_SECRET_KEY", new_secret_key())
    with pytest.raises(StoreError, match="mutualplan db upgrade"):
        production_app()
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        upgrade(store.engine)
    routes = {rule.rule for rule in production_app().url_map.iter_rules()}
    assert {"/addon/home", "/hooks/drive", "/oauth/callback"} <= routes
