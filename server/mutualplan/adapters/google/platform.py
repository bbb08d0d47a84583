"""Plans on Google: spreadsheets through Sheets, Drive for editors and push channels, Gmail for mail — as
the person in the sidebar (their event token) or as a plan's owner (their offline grant)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from google.oauth2.credentials import Credentials

from mutualplan.adapters.google.drive import GoogleDrive
from mutualplan.adapters.google.gmail import GmailMailer
from mutualplan.adapters.google.identity import SCOPES, TOKEN_URL
from mutualplan.adapters.google.sheets import GoogleSheetsWorkbook
from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.app.ports import Drive, Mailer, Sealer, Workbook
from mutualplan.app.records import AccountStatus, FileState, PlanRecord, WorkbookKind
from mutualplan.app.store_ports import Accounts
from mutualplan.config import MAX_COLUMNS, MAX_ROWS
from mutualplan.errors import GoogleApiError, GrantRevokedError
from mutualplan.plan.history.diff import Editors

USERINFO_URL = "https://openidconnect.googleapis.com/v1/userinfo"


@dataclass
class GooglePlan:
    """A Google spreadsheet, with Drive's last modifying user as its editor (asked once, when needed)."""

    workbook: Workbook
    drive: Drive
    spreadsheet_id: str
    state: FileState | None = None

    def editors(self, tab: str) -> Editors:
        """Drive's last modifying user: Sheets gives no per-cell editors."""
        if self.state is None:
            self.state = self.drive.state(self.spreadsheet_id)
        return Editors(last=self.state.last_editor)

    @property
    def modified_time(self) -> str | None:
        """Drive's modifiedTime as of the editors asked for."""
        return self.state.modified_time if self.state else None


def user_credentials(token: str) -> Credentials:
    """The sidebar user's short-lived token from the event object."""
    return Credentials(token)  # type: ignore[no-untyped-call]


@dataclass
class GooglePlatform:
    """Google's adapters, as the user in the sidebar or as a plan's owner, all through one transport."""

    accounts: Accounts
    sealer: Sealer
    client_id: str
    client_secret: str
    transport: GoogleTransport
    drive: Callable[[Credentials], Drive] | None = None  # Drive as a credentials' user (tests give a fake)
    max_rows: int = MAX_ROWS  # a plan tab's limits: a read asks for no more, a larger tab is refused
    max_cols: int = MAX_COLUMNS

    @property
    def kind(self) -> WorkbookKind:
        """Plans stamped here are Google Sheets."""
        return WorkbookKind.GOOGLE

    def _drive(self, credentials: Credentials) -> Drive:
        if self.drive is not None:
            return self.drive(credentials)
        return GoogleDrive(self.transport.http(credentials), self.transport)

    def _workbook(
        self, credentials: Credentials, spreadsheet_id: str, read_ahead: Sequence[str] = ()
    ) -> Workbook:
        http = self.transport.sheets(credentials)
        return GoogleSheetsWorkbook(http, spreadsheet_id, self.max_rows, self.max_cols, read_ahead)

    def offline(self, owner: str) -> Credentials:
        """The owner's offline credentials; none for an account that is missing or must reconnect, so
        that background work for it stops without calling Google."""
        account = self.accounts.account(owner)
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

    def user_email(self, token: str) -> str:
        """Whose a sidebar token is (the userinfo.email scope)."""
        try:
            answer = self.transport.get_json("Google sign-in", USERINFO_URL, token)
        except GoogleApiError as exc:
            raise GoogleApiError(
                "Google did not say who you are; open the sidebar again", exc.status, exc.reason
            ) from exc
        email = answer.get("email")
        if not isinstance(email, str):
            raise GoogleApiError("Google did not say who you are; open the sidebar again", 200)
        return email

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> GooglePlan:
        """A spreadsheet as the person in the sidebar; Drive's last editor as the platform's word.
        The read_ahead tabs come with the marker, in the same spreadsheets.get."""
        credentials = user_credentials(token)
        workbook = self._workbook(credentials, spreadsheet_id, read_ahead)
        return GooglePlan(workbook, self._drive(credentials), spreadsheet_id)

    def drive_for_user(self, token: str) -> Drive:
        """Drive as the person in the sidebar."""
        return self._drive(user_credentials(token))

    def drive_for_owner(self, owner: str) -> Drive:
        """Drive as a plan's owner."""
        return self._drive(self.offline(owner))

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> GooglePlan:
        """A plan as its owner, for background syncs."""
        credentials = self.offline(record.owner)
        return GooglePlan(
            self._workbook(credentials, record.spreadsheet_id),
            self._drive(credentials),
            record.spreadsheet_id,
            state,
        )

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> Workbook:
        """A spreadsheet as an owner's offline grant."""
        return self._workbook(self.offline(owner), spreadsheet_id)

    def scratch_drive(self, owner: str) -> GoogleDrive:
        """Drive as an owner's offline grant, able to make and copy files (the live check)."""
        return GoogleDrive(self.transport.http(self.offline(owner)), self.transport)

    def mailer_for(self, sender: str) -> Mailer:
        """Gmail as the sender, with their offline grant."""
        return GmailMailer(self.transport.http(self.offline(sender)), self.transport)
