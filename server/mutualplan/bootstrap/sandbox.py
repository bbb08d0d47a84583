"""The sandbox's adapters: the add-on's services over the embedded default, with a clock one can move.

The sidebar in the sandbox calls the same endpoints, with the same event objects, as Sheets does; only
the adapters differ: local spreadsheets for Sheets, a local Drive whose channels are no-ops (a local
edit syncs at once), the outbox for Gmail, and the persona in the page as the signed-in user."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from mutualplan.adapters.local_workbook import LocalWorkbook, LocalWorkspace
from mutualplan.app.ports import Workbook
from mutualplan.app.records import FileState, PlanRecord, Watch
from mutualplan.app.services import Services
from mutualplan.app.watch import PlanAccess
from mutualplan.bootstrap.local import Local, utc_now
from mutualplan.errors import InputError
from mutualplan.plan.diff import Editors

TOKEN_PREFIX = "sandbox:"  # the sandbox's stand-in for a user's OAuth token: "sandbox:jane@northwind.example"


@dataclass
class SandboxClock:
    """Now, moved forward by whole days on request (to see reminders come due)."""

    offset: timedelta = timedelta()

    def now(self) -> datetime:
        """The sandbox's now."""
        return utc_now() + self.offset

    def move(self, days: int) -> None:
        """Move today forward (or back) by days."""
        self.offset += timedelta(days=days)


@dataclass
class LocalDrive:
    """Drive for local spreadsheets: channels cost nothing, a file's state is its last local edit."""

    workspace: LocalWorkspace

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        """No channel is needed: every local edit syncs before it returns."""
        return Watch(channel_id, f"local-{file_id}", expires_at)

    def stop(self, channel_id: str, resource_id: str) -> None:
        """Nothing to stop."""

    def state(self, file_id: str) -> FileState:
        """The spreadsheet's last edit, and who made it."""
        moment, editor = self.workspace.open(file_id).last_edit()
        return FileState(file_id, moment or "", editor)

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        """Nothing is ever missed locally: edits sync as they are made."""
        yield from ()


@dataclass
class LocalPlan:
    """A local plan, with the workbook's per-cell editors."""

    local: LocalWorkbook

    @property
    def workbook(self) -> Workbook:
        """The plan's spreadsheet."""
        return self.local

    def editors(self, tab: str) -> Editors:
        """Who last edited each cell."""
        return self.local.editors(tab)

    @property
    def modified_time(self) -> str | None:
        """No Drive here."""
        return None


def persona_of(token: str) -> str:
    """The persona a sandbox token stands for."""
    if not token.startswith(TOKEN_PREFIX) or "@" not in token:
        raise InputError("the sandbox knows no such persona: pick one at the top of the page")
    return token.removeprefix(TOKEN_PREFIX)


def sandbox_services(local: Local, clock: SandboxClock) -> Services:
    """The add-on's services over the embedded default."""
    drive = LocalDrive(local.workspace)

    def workbook_for(token: str, spreadsheet_id: str) -> Workbook:
        persona_of(token)
        return local.workspace.open(spreadsheet_id)

    def open_plan(record: PlanRecord, state: FileState | None) -> PlanAccess:
        return LocalPlan(local.workspace.open(record.spreadsheet_id))

    return Services(
        store=local.store,
        drive_for_owner=lambda owner: drive,
        open_plan=open_plan,
        now=clock.now,
        hook_address=f"{local.base_url}/hooks/drive",
        workbook_for=workbook_for,
        drive_for_token=lambda token: drive,
        user_email=persona_of,
        mailer_for=lambda sender: local.outbox,
        workbook_kind="local",
    )
