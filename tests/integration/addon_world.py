"""A world for add-on tests: fake spreadsheets behind the Sheets API, a fake Drive, a store, a clock, and
the app; requests carry ID tokens signed the way Google signs them, and every card is parsed strictly."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import responses
from flask import Flask
from flask.testing import FlaskClient
from google.apps import card_v1
from werkzeug.test import TestResponse

from mutualplan.adapters.google.identity import GoogleIdentity
from mutualplan.adapters.google.platform import GooglePlan
from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import Backoff, GoogleTransport
from mutualplan.adapters.sealing import FernetSealer, new_secret_key
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.ports import Drive, Mailer, Workbook
from mutualplan.app.records import FileState, PlanRecord, WorkbookKind
from mutualplan.app.services import Services
from mutualplan.config import Config
from mutualplan.errors import GrantRevokedError
from mutualplan.plan.dates.stamp import soonest_go_live as stamp_soonest
from mutualplan.store.schema import upgrade
from mutualplan.store.sql import SqlStore
from mutualplan.web import create_app
from tests.fake_drive import FakeDrive
from tests.fake_mailer import FakeMailer
from tests.fake_sheets_api import FakeSheetsApi, fake_credentials, token_of
from tests.id_tokens import ADDON_ACCOUNT, SCHEDULER_ACCOUNT, id_token, serve_certificates
from tests.stores import open_store

PUBLIC = "https://mp.example"
TRANSPORT = GoogleTransport(Backoff(sleep=lambda seconds: None))
SELLER = "sam@vendor.io"  # who stamps, owns the spreadsheet, and opens the sidebar unless a test says
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
GO_LIVE = datetime(2027, 9, 1, tzinfo=UTC)
STAMP_FORM = {
    "template": ["regulated-buyer"], "customer": ["Northwind Bank"], "customer_domain": ["northwind.com"],
    "deal": ["Credit-model monitoring"], "outcome": ["Model risk cleared before the regulator's deadline"],
}  # fmt: skip


@dataclass
class World:
    """Everything an add-on test touches."""

    store: SqlStore
    drive: FakeDrive
    mock: responses.RequestsMock
    folder: Path
    apis: dict[str, FakeSheetsApi] = field(default_factory=dict)
    mailer: FakeMailer = field(default_factory=FakeMailer)
    now: datetime = NOW
    app: Flask | None = None
    unconnected: set[str] = field(default_factory=set)  # owners with no offline grant yet

    def spreadsheet(self, spreadsheet_id: str = "sheet-1") -> FakeSheetsApi:
        """An empty spreadsheet the seller made."""
        return self.add(FakeSheetsApi(spreadsheet_id, file_owner=SELLER))

    def add(self, api: FakeSheetsApi) -> FakeSheetsApi:
        """A spreadsheet behind the fake API (a copy, say)."""
        api.install(self.mock)
        self.apis[api.spreadsheet_id] = api
        self.drive.touch(api.spreadsheet_id, SELLER)
        return api

    def workbook(self, spreadsheet_id: str, read_ahead: Sequence[str] = (), person: str = SELLER) -> Workbook:
        """A spreadsheet through the real Google adapter, as one person."""
        http = TRANSPORT.sheets(fake_credentials(person))
        return GoogleSheetsWorkbook(http, spreadsheet_id, read_ahead=read_ahead)

    @property
    def kind(self) -> WorkbookKind:
        """Plans stamped here are Google Sheets."""
        return WorkbookKind.GOOGLE

    def user_email(self, token: str) -> str:
        """Whose the event's userOAuthToken is."""
        assert token.startswith(token_of("")), "interactive calls use the event's userOAuthToken"
        return token.removeprefix(token_of(""))

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> GooglePlan:
        """A spreadsheet as the sidebar's user through the real Google adapter; the fake Drive for editors."""
        workbook = self.workbook(spreadsheet_id, read_ahead, self.user_email(token))
        return GooglePlan(workbook, self.drive, spreadsheet_id)

    def drive_for_user(self, token: str) -> Drive:
        """The fake Drive."""
        return self.drive

    def drive_for_owner(self, owner: str) -> Drive:
        """The fake Drive."""
        return self.drive

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> GooglePlan:
        """A plan as its owner (their offline grant), for background work."""
        if record.owner in self.unconnected:
            raise GrantRevokedError(f"{record.owner} has not connected mutualplan: Connect in the sidebar")
        workbook = self.workbook(record.spreadsheet_id, person=record.owner)
        return GooglePlan(workbook, self.drive, record.spreadsheet_id, state)

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> Workbook:
        """A spreadsheet through the real Google adapter, as its owner's offline grant."""
        return self.workbook(spreadsheet_id, person=owner)

    def mailer_for(self, sender: str) -> Mailer:
        """The fake mailer."""
        return self.mailer

    def services(self, config: Config) -> Services:
        """The app's services: the real journeys over the fakes, this world as the platform."""
        identity = GoogleIdentity(config.oauth_client_id, config.oauth_client_secret, TRANSPORT)
        sealer = FernetSealer(config.secret_key)
        return Services(self.store, self, TemplateFolder(), sealer, identity, config, lambda: self.now)

    @property
    def wired(self) -> Services:
        """The services of the running app."""
        assert self.app is not None
        found: Services = self.app.extensions["mutualplan"]
        return found

    @property
    def client(self) -> FlaskClient:
        """A test client of the app."""
        assert self.app is not None
        return self.app.test_client()

    def post(self, path: str, body: dict[str, Any], token: str | None = "google") -> TestResponse:
        """Post an event as Google does, with a system ID token for the endpoint's URL."""
        headers = {}
        if token == "google":
            token = id_token(PUBLIC + path)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.post(path, json=body, headers=headers)


def sheets_event(
    spreadsheet_id: str = "sheet-1",
    *,
    granted: bool = True,
    form: dict[str, list[str]] | None = None,
    dates: dict[str, int] | None = None,
    parameters: dict[str, str] | None = None,
    user: str = SELLER,
    without_sheet: bool = False,
) -> dict[str, Any]:
    """An event object shaped like the one Sheets posts, from the user's sidebar; without_sheet: a
    button's event as one public add-on reports them, with no sheets object at all."""
    inputs: dict[str, Any] = {
        name: {"stringInputs": {"value": values}} for name, values in (form or {}).items()
    }
    inputs.update({name: {"dateInput": {"msSinceEpoch": str(ms)}} for name, ms in (dates or {}).items()})
    sheets: dict[str, Any] = {"addonHasFileScopePermission": granted}
    if granted:  # before the grant, Google strips the document's id
        sheets.update({"id": spreadsheet_id, "title": "Northwind — MAP"})
    return {
        "commonEventObject": {
            "hostApp": "SHEETS", "platform": "WEB", "userLocale": "en-GB",
            "formInputs": inputs, "parameters": parameters or {},
        },
        "authorizationEventObject": {"userOAuthToken": token_of(user), "systemIdToken": "unused"},
        **({} if without_sheet else {"sheets": sheets}),
    }  # fmt: skip


def cards_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """Every card in an add-on answer, each parsed strictly as google.apps.card.v1.Card."""
    actions = [answer.get("action", {}), answer.get("renderActions", {}).get("action", {})]
    found = [
        card
        for action in actions
        for navigation in action.get("navigations", [])
        for kind in ("pushCard", "updateCard")
        if (card := navigation.get(kind))
    ]
    for card in found:
        card_v1.Card.from_json(json.dumps(card), ignore_unknown_fields=False)
        shown = json.dumps(card)
        assert "materialIcon" not in shown  # documented for Chat apps only: knownIcon here
        assert ".svg" not in shown  # the Image widget shows PNG or JPEG only
    return found


def only_card(body: dict[str, Any]) -> dict[str, Any]:
    """The one card an answer holds."""
    (card,) = cards_of(body)
    return card


def soonest_go_live(name: str, today: date) -> date:
    """The first go-live a template fits: its first step starts today."""
    return stamp_soonest(TemplateFolder().named(name), today)


def texts(card: dict[str, Any]) -> str:
    """All the text a card shows, to look for words in."""
    return json.dumps(card, ensure_ascii=False)


@contextmanager
def world(folder: Path, secret_key: str | None = None) -> Iterator[World]:
    """A world with an empty store and the app (the add-on's service account, a secret key)."""
    with (
        open_store(f"sqlite:///{folder / 'store.sqlite'}") as store,
        responses.RequestsMock(assert_all_requests_are_fired=False) as mock,
    ):
        upgrade(store.engine)
        serve_certificates(mock)
        made = World(store, FakeDrive(), mock, folder)
        config = Config(
            folder, "", 10, public_url=PUBLIC, addon_service_account=ADDON_ACCOUNT,
            scheduler_account=SCHEDULER_ACCOUNT,
            secret_key=new_secret_key() if secret_key is None else secret_key,
            oauth_client_id="client-123.apps.googleusercontent.com", oauth_client_secret="client-secret",
        )  # fmt: skip
        made.app = create_app(made.services(config), {"TESTING": True})
        yield made


def answer(there: World, path: str, **event: Any) -> dict[str, Any]:
    response = there.post(path, sheets_event(**event))
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.json or {}
    return body


def notification(body: dict[str, Any]) -> str:
    """The text of the notification an action answered with."""
    return str(body["renderActions"]["action"]["notification"]["text"])


def stamped(there: World) -> dict[str, Any]:
    return answer(there, "/addon/stamp", form=STAMP_FORM, dates={"go_live": int(GO_LIVE.timestamp() * 1000)})
