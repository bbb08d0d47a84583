"""The Drive hook and the cron endpoints through Flask's test client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mutualplan.adapters.google.identity import GoogleIdentity
from mutualplan.adapters.google.platform import GooglePlan
from mutualplan.adapters.sealing import FernetSealer
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.ports import Drive, Mailer, PlanAccess
from mutualplan.app.records import FileState, PlanRecord, WorkbookKind
from mutualplan.app.services import Services
from mutualplan.app.watch import open_channel
from mutualplan.config import Config
from mutualplan.plan.history.events import EventKind
from mutualplan.plan.sheet.vocabulary import Column
from mutualplan.web import create_app
from tests.fake_drive import FakeDrive
from tests.integration.sync_harness import BUYER, Harness

CRON = {"X-Appengine-Cron": "true"}


@pytest.fixture
def plan(google_plan: Harness) -> Harness:
    """The Google plan of every test here."""
    return google_plan


class OwnersOnly:
    """Google as each plan's owner: hooks and cron never act with a user's token."""

    def __init__(self, plan: Harness, drive: FakeDrive) -> None:
        self.plan, self.drive = plan, drive

    @property
    def kind(self) -> WorkbookKind:
        return WorkbookKind.GOOGLE

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> PlanAccess:
        return GooglePlan(self.plan.workbook, self.drive, record.spreadsheet_id, state)

    def drive_for_owner(self, owner: str) -> Drive:
        return self.drive

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> NoReturn:
        raise AssertionError("no Pipeline spreadsheet in these tests")

    def mailer_for(self, sender: str) -> Mailer:
        raise AssertionError("no reminders in these tests")

    def user_email(self, token: str) -> NoReturn:
        raise AssertionError("hooks and cron never act with a user's token")

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> NoReturn:
        raise AssertionError("hooks and cron never act with a user's token")

    def drive_for_user(self, token: str) -> NoReturn:
        raise AssertionError("hooks and cron never act with a user's token")


@pytest.fixture
def app(plan: Harness, drive: FakeDrive, tmp_path: Path) -> Flask:
    """The app on App Engine (cron header trusted), over the plan's store and the fakes."""
    config = Config(tmp_path, "", 10, public_url="https://mp.example", on_app_engine=True)
    wired = Services(
        plan.store, OwnersOnly(plan, drive), TemplateFolder(), FernetSealer(""), GoogleIdentity("", ""),
        config, lambda: plan.now,
    )  # fmt: skip
    return create_app(wired, test_config={"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


def notify(client: FlaskClient, channel_id: str, token: str, state: str = "update", number: int = 1) -> int:
    headers = {
        "X-Goog-Channel-ID": channel_id, "X-Goog-Channel-Token": token,
        "X-Goog-Resource-State": state, "X-Goog-Message-Number": str(number),
    }  # fmt: skip
    return client.post("/hooks/drive", headers=headers).status_code


def test_a_notification_queues_one_sync_that_the_cron_runs_when_the_window_closes(
    client: FlaskClient, plan: Harness, drive: FakeDrive
) -> None:
    channel = open_channel(plan.store, drive, plan.record, "https://mp.example/hooks/drive", plan.now)
    token = drive.tokens[channel.id]
    assert notify(client, channel.id, token, "sync") == 200
    plan.edit(2, Column.CONFIRMED_BY, BUYER, "jane@acme.com")
    plan.edit(2, Column.CONFIRMED, "TRUE", "jane@acme.com")
    drive.touch(plan.record.spreadsheet_id, "jane@acme.com")
    assert [notify(client, channel.id, token, number=n) for n in (2, 3, 3)] == [200, 200, 200]
    assert client.get("/cron/sync-due", headers=CRON).json == drained(0, 0)
    plan.now += timedelta(seconds=10)
    assert client.get("/cron/sync-due", headers=CRON).json == drained(1, 1)
    assert [s.event.kind for s in plan.store.events(plan.record.id)] == [EventKind.CONFIRMED]


@pytest.mark.parametrize(
    ("channel", "token", "status"),
    [("unknown", "any", 404), ("", "", 404), ("known", "forged", 403), ("known", "", 403)],
)
def test_a_notification_for_an_unknown_channel_or_with_a_wrong_token_does_nothing(
    client: FlaskClient, plan: Harness, drive: FakeDrive, channel: str, token: str, status: int
) -> None:
    opened = open_channel(plan.store, drive, plan.record, "https://mp.example/hooks/drive", plan.now)
    assert notify(client, opened.id if channel == "known" else channel, token) == status
    assert plan.store.claim_due_syncs(plan.now + timedelta(days=1)) == []


@pytest.mark.parametrize("path", ["/cron/sync-due", "/cron/reconcile", "/cron/channels"])
def test_cron_endpoints_refuse_anyone_but_app_engines_cron(
    client: FlaskClient, app: Flask, path: str
) -> None:
    assert client.get(path).status_code == 403
    assert client.get(path, headers={"X-Appengine-Cron": "false"}).status_code == 403
    wired: Services = app.extensions["mutualplan"]
    wired.config = replace(
        wired.config, on_app_engine=False
    )  # not on App Engine: nobody strips a forged header
    assert client.get(path, headers=CRON).status_code == 403
    assert client.get(path, headers=CRON).json == {
        "error": "cron endpoints answer App Engine's cron and the configured scheduler only"
    }


def drained(synced: int, events: int, units: int = 0) -> dict[str, object]:
    """What /cron/sync-due answers: the syncs it ran, their events, and the units it ran."""
    return {"synced": synced, "events": events, "queued": 0, "failed": [], "units": units, "retried": 0}


def test_the_reconcile_cron_only_enqueues_and_its_owner_unit_syncs_what_changed(
    client: FlaskClient, plan: Harness, drive: FakeDrive
) -> None:
    plan.edit(1, Column.STATUS, "In progress", "jane@acme.com")
    drive.touch(plan.record.spreadsheet_id, "jane@acme.com")
    assert client.get("/cron/reconcile", headers=CRON).json == {"enqueued": 1}  # the fan unit, nothing else
    assert drive.calls["list"] == 0
    assert client.get("/cron/reconcile", headers=CRON).json == {"enqueued": 0}  # a cron retry
    assert client.get("/cron/sync-due", headers=CRON).json == drained(1, 1, units=2)  # fan, then the owner's
    plan.now += timedelta(minutes=10)
    assert client.get("/cron/reconcile", headers=CRON).json == {"enqueued": 1}
    assert client.get("/cron/sync-due", headers=CRON).json == drained(0, 0, units=2)  # nothing changed


def test_the_channel_cron_enqueues_the_renewal_of_what_lapses_soon(
    client: FlaskClient, plan: Harness, drive: FakeDrive
) -> None:
    open_channel(plan.store, drive, plan.record, "https://mp.example/hooks/drive", plan.now)
    assert client.get("/cron/channels", headers=CRON).json == {"enqueued": 1}
    assert client.get("/cron/sync-due", headers=CRON).json == drained(0, 0, units=1)  # the fan: none lapses
    plan.now += timedelta(hours=23)
    assert client.get("/cron/channels", headers=CRON).json == {"enqueued": 1}
    assert drive.calls["watch"] == 1
    assert client.get("/cron/sync-due", headers=CRON).json == drained(0, 0, units=2)
    assert (drive.calls["watch"], drive.calls["stop"]) == (2, 1)
