"""Plans on this machine: the embedded spreadsheets stand for Sheets, a Drive whose channels are no-ops
(every local edit syncs at once), and the local outbox for Gmail. In the sandbox, the persona picked in
the page stands for the signed-in user: its token is "sandbox:EMAIL"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from mutualplan.app.local import LocalPlan
from mutualplan.app.ports import Drive, LocalSheets, Mailer, Outbox, Workbook
from mutualplan.app.records import FileState, PlanRecord, Watch, WorkbookKind
from mutualplan.errors import InputError

TOKEN_PREFIX = "sandbox:"  # the sandbox's stand-in for a user's OAuth token: "sandbox:jane@northwind.example"


@dataclass
class LocalDrive:
    """Drive for local spreadsheets: channels cost nothing, a file's state is its last local edit."""

    sheets: LocalSheets

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        """No channel is needed: every local edit syncs before it returns."""
        return Watch(channel_id, f"local-{file_id}", expires_at)

    def stop(self, channel_id: str, resource_id: str) -> None:
        """Nothing to stop."""

    def state(self, file_id: str) -> FileState:
        """The spreadsheet's last edit, and who made it."""
        moment, editor = self.sheets.open(file_id).last_edit()
        return FileState(file_id, moment or "", editor)

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        """Nothing is ever missed locally: edits sync as they are made."""
        yield from ()


def persona_of(token: str) -> str:
    """The persona a sandbox token stands for."""
    if not token.startswith(TOKEN_PREFIX) or "@" not in token:
        raise InputError("the sandbox knows no such persona: pick one at the top of the page")
    return token.removeprefix(TOKEN_PREFIX)


@dataclass
class LocalPlatform:
    """The embedded spreadsheets and the outbox, as any persona."""

    sheets: LocalSheets
    outbox: Outbox

    @property
    def kind(self) -> WorkbookKind:
        """Plans stamped here are embedded spreadsheets."""
        return WorkbookKind.LOCAL

    def user_email(self, token: str) -> str:
        """The persona a sandbox token names."""
        return persona_of(token)

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> LocalPlan:
        """A spreadsheet with its per-cell editors, for the persona (a local read costs no call)."""
        persona_of(token)
        return LocalPlan(self.sheets.open(spreadsheet_id))

    def drive_for_user(self, token: str) -> Drive:
        """The local Drive."""
        return LocalDrive(self.sheets)

    def drive_for_owner(self, owner: str) -> Drive:
        """The local Drive."""
        return LocalDrive(self.sheets)

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> LocalPlan:
        """A plan, with its per-cell editors."""
        return LocalPlan(self.sheets.open(record.spreadsheet_id))

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> Workbook:
        """An embedded spreadsheet."""
        return self.sheets.open(spreadsheet_id)

    def mailer_for(self, sender: str) -> Mailer:
        """The outbox, for every sender."""
        return self.outbox
