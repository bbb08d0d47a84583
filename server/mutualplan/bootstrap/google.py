"""The one place that picks Google's adapters: the sidebar user's token, or a plan owner's offline grant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httplib2
import requests
from flask import Flask
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp

from mutualplan.adapters.google.drive import GoogleDrive
from mutualplan.adapters.google.gmail import GmailMailer
from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import TIMEOUT_SECONDS, RetryingHTTPClient
from mutualplan.adapters.sealing import Sealer
from mutualplan.app.ports import Drive, Mailer, Store, Workbook
from mutualplan.app.records import AccountStatus, FileState, PlanRecord
from mutualplan.app.services import Services
from mutualplan.app.watch import GooglePlan, PlanAccess
from mutualplan.bootstrap.local import utc_now
from mutualplan.config import Config
from mutualplan.errors import GoogleApiError, GrantRevokedError, InputError
from mutualplan.store.base import make_engine
from mutualplan.store.sql import SqlStore
from mutualplan.web import create_app
from mutualplan.web.oauth import SCOPES, TOKEN_URL

USERINFO_URL = "https://openidconnect.googleapis.com/v1/userinfo"


@dataclass
class GoogleAccess:
    """Google's adapters, as the user in the sidebar (their event token) or as a plan's owner (offline)."""

    store: Store
    sealer: Sealer
    client_id: str
    client_secret: str
    drive: Callable[[Credentials], Drive] = GoogleDrive.with_credentials

    def offline(self, owner: str) -> Credentials:
        """The owner's offline credentials; none for an account that is missing or must reconnect, so
        that background work for it stops without calling Google."""
        account = self.store.account(owner)
        if account is None or not account.refresh_token:
            raise GrantRevokedError(f"{owner} has not connected mutualplan: Connect in the sidebar")
        if account.status != AccountStatus.CONNECTED:
            raise GrantRevokedError(f"{owner} must reconnect mutualplan in the sidebar")
        return Credentials(  # type: ignore[no-untyped-call]
            None,
            refresh_token=self.sealer.decrypt(account.refresh_token),
            token_uri=TOKEN_URL,
            client_id=self.client_id,
            client_secret=self.client_secret,
            scopes=list(SCOPES),
        )

    def workbook(self, credentials: Credentials, spreadsheet_id: str) -> Workbook:
        """A Google spreadsheet through gspread's HTTP seam."""
        return GoogleSheetsWorkbook(RetryingHTTPClient(credentials), spreadsheet_id)

    def mailer(self, sender: str) -> Mailer:
        """Gmail as the sender, with their offline grant, every call with a timeout."""
        http = AuthorizedHttp(self.offline(sender), http=httplib2.Http(timeout=TIMEOUT_SECONDS))
        return GmailMailer(http)

    def open_plan(self, record: PlanRecord, state: FileState | None) -> PlanAccess:
        """A plan, as its owner, for background syncs."""
        credentials = self.offline(record.owner)
        drive = self.drive(credentials)
        return GooglePlan(
            self.workbook(credentials, record.spreadsheet_id), drive, record.spreadsheet_id, state
        )


def user_credentials(token: str) -> Credentials:
    """The sidebar user's short-lived token from the event object."""
    return Credentials(token)  # type: ignore[no-untyped-call]


def user_email(token: str) -> str:
    """Whose a user token is (the userinfo.email scope)."""
    try:
        bearer = {"Authorization": f"Bearer {token}"}
        response = requests.get(USERINFO_URL, headers=bearer, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise GoogleApiError("Google did not say who you are; try again", 0, type(exc).__name__) from exc
    email = response.json().get("email") if response.status_code == 200 else None
    if not isinstance(email, str):
        raise GoogleApiError("Google did not say who you are; open the sidebar again", response.status_code)
    return email


def production_services(config: Config) -> Services:
    """The app's services on Google: the store the config names, Google's adapters."""
    store = SqlStore(make_engine(config.database_url))
    store.check_schema()
    google = GoogleAccess(
        store, Sealer(config.secret_key), config.oauth_client_id, config.oauth_client_secret
    )
    return Services(
        store=store,
        drive_for_owner=lambda owner: google.drive(google.offline(owner)),
        open_plan=google.open_plan,
        now=utc_now,
        hook_address=f"{config.public_url}/hooks/drive",
        workbook_for=lambda token, spreadsheet_id: google.workbook(user_credentials(token), spreadsheet_id),
        drive_for_token=lambda token: GoogleDrive.with_credentials(user_credentials(token)),
        user_email=user_email,
        mailer_for=lambda sender: GmailMailer(
            AuthorizedHttp(google.offline(sender), http=httplib2.Http(timeout=TIMEOUT_SECONDS))
        ),
        sync_window=timedelta(seconds=config.sync_window_seconds),
    )


def production_app() -> Flask:
    """The app as App Engine (or `mutualplan serve`) runs it, from MUTUALPLAN_* settings."""
    config = Config.from_env()
    required = {
        "MUTUALPLAN_PUBLIC_URL": config.public_url,
        "MUTUALPLAN_ADDON_SERVICE_ACCOUNT": config.addon_service_account,
    }
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise InputError(f"set {' and '.join(missing)} before serving the add-on (README: Deploy to Google)")
    return create_app(production_services(config), config)
