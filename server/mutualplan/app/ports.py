"""The ports the journeys talk through, one Protocol a role: spreadsheets, Drive, mail, the platform,
identity, sealing, templates. The store's roles are in store_ports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from mutualplan.app.records import (
    FileState,
    OutboxEntry,
    PlanRecord,
    SpreadsheetInfo,
    SpreadsheetSettings,
    Watch,
    WorkbookKind,
)
from mutualplan.plan.dates.template import Template
from mutualplan.plan.history.diff import Editors
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import PlanMarker, TableSpec, Write


class Workbook(Protocol):
    """One spreadsheet: read a tab into a Grid; apply a list of writes at once."""

    @property
    def spreadsheet_id(self) -> str:
        """The spreadsheet's own id."""
        ...

    def tabs(self) -> list[str]:
        """The tab titles, in order."""
        ...

    def read(self, tab: str) -> Grid:
        """Every cell of one tab."""
        ...

    def read_tabs(self, tabs: Sequence[str], write_to: Sequence[str] = ()) -> dict[str, Grid]:
        """Several tabs in one read; a tab that does not exist is left out. write_to names tabs the
        caller writes next, whose cells are not wanted: an adapter may get ready for that in the same read."""
        ...

    def apply(self, writes: Sequence[Write], editor: str | None = None) -> None:
        """Apply the writes all together, as the editor (None: the app itself)."""
        ...

    def marker(self) -> PlanMarker | None:
        """The plan marker, when the spreadsheet holds a stamped plan."""
        ...

    def marker_edited(self) -> bool:
        """Whether the spreadsheet carries a plan marker that does not parse (another app that reaches
        the file changed it): no marker, said so, and replaced by the next stamp. Asked after marker()."""
        ...

    def settings(self) -> SpreadsheetSettings | None:
        """The spreadsheet's own time zone and locale; None when the file keeps none."""
        ...

    def head_mark(self) -> str | None:
        """The audit head the spreadsheet carries (SetHeadMark), as text; None when it carries none.
        Learnt with the last read where the adapter can, so a sync asks for it in no extra call."""
        ...

    def tab_gid(self, tab: str) -> int | None:
        """The id a link names a tab by (Google's #gid=…), as the last read or write learnt it; None where
        the workbook has none, or has not learnt it."""
        ...


class PlanAccess(Protocol):
    """A plan's spreadsheet and the platform's word on who edited it."""

    @property
    def workbook(self) -> Workbook:
        """The plan's spreadsheet."""
        ...

    def editors(self, tab: str) -> Editors:
        """Who edited the tab's cells."""
        ...

    @property
    def modified_time(self) -> str | None:
        """Drive's modifiedTime as of the editors asked for (None where there is no Drive)."""
        ...


class LocalSheet(Workbook, Protocol):
    """An embedded spreadsheet, which also knows each cell's type, marks and last editor."""

    def table(self, tab: str) -> TableSpec | None:
        """The typed plan table of a tab, if it has one."""
        ...

    def marks(self, tab: str) -> dict[tuple[int, int], tuple[str, str]]:
        """Validation marks by (row, col): note and colour."""
        ...

    def editors(self, tab: str) -> Editors:
        """Who last edited each cell."""
        ...

    def last_edit(self) -> tuple[str | None, str | None]:
        """When the spreadsheet was last edited (ISO) and by whom."""
        ...


class LocalSheets(Protocol):
    """The embedded spreadsheets of a workspace."""

    def create(self, title: str) -> LocalSheet:
        """A new, empty spreadsheet."""
        ...

    def copy(self, spreadsheet_id: str, title: str) -> LocalSheet:
        """A copy of a spreadsheet, as Drive's Make a copy."""
        ...

    def open(self, plan_or_spreadsheet: str) -> LocalSheet:
        """A spreadsheet by its id, or by the id of the plan it holds."""
        ...

    def title(self, spreadsheet_id: str) -> str:
        """A spreadsheet's title."""
        ...

    def spreadsheets(self) -> list[SpreadsheetInfo]:
        """Every spreadsheet, with the plan it holds."""
        ...


class Drive(Protocol):
    """The Drive calls sync needs: push channels, who changed a file, which files changed."""

    def watch(self, file_id: str, channel_id: str, token: str, address: str, expires_at: datetime) -> Watch:
        """Open a push channel on a file."""
        ...

    def stop(self, channel_id: str, resource_id: str) -> None:
        """Close a push channel."""
        ...

    def state(self, file_id: str) -> FileState:
        """When a file last changed and who changed it."""
        ...

    def changed_since(self, since: str | None) -> Iterator[FileState]:
        """The spreadsheets that changed after a moment (RFC 3339), one call a page."""
        ...


class Mailer(Protocol):
    """Sends one message (Gmail as the seller; the local outbox; a fake in tests)."""

    def send(self, message: EmailMessage) -> None:
        """Send it, or raise the project's own error."""
        ...


class Outbox(Mailer, Protocol):
    """The local mailer, whose messages can be read back."""

    def entries(self) -> list[OutboxEntry]:
        """Every message, newest first."""
        ...

    def message(self, entry: OutboxEntry) -> EmailMessage:
        """One message as sent."""
        ...


class Sealer(Protocol):
    """Seals small values to hand through a browser or keep at rest: unreadable and unforgeable."""

    def seal(self, purpose: str, data: dict[str, Any]) -> str:
        """Data for one purpose, to hand through the browser and get back unchanged."""
        ...

    def unseal(self, purpose: str, sealed: str, max_age_seconds: int) -> dict[str, Any]:
        """Sealed data back, if ours, for this purpose and young enough; an InputError otherwise."""
        ...

    def encrypt(self, text: str) -> str:
        """A secret as stored (a refresh token)."""
        ...

    def decrypt(self, sealed: str) -> str:
        """A stored secret back."""
        ...


class TemplateLibrary(Protocol):
    """The plan templates."""

    def all(self) -> list[Template]:
        """Every template, by name."""
        ...

    def named(self, name: str) -> Template:
        """One template; an InputError lists the names there are."""
        ...


class Platform(Protocol):
    """Where plans live (Google, or this machine): their spreadsheets, Drive and mail, as the person in the
    sidebar (their token) or as a plan's owner (their offline grant, for background work)."""

    @property
    def kind(self) -> WorkbookKind:
        """What the plans stamped here are kept in."""
        ...

    def user_email(self, token: str) -> str:
        """Whose a sidebar token is."""
        ...

    def plan_for_user(self, token: str, spreadsheet_id: str, read_ahead: Sequence[str] = ()) -> PlanAccess:
        """A spreadsheet as the person in the sidebar, with the platform's word on who edited it;
        read_ahead names the tabs the caller will read, fetched with the marker where that saves a call."""
        ...

    def drive_for_user(self, token: str) -> Drive:
        """Drive as the person in the sidebar."""
        ...

    def drive_for_owner(self, owner: str) -> Drive:
        """Drive as a plan's owner, with their offline grant."""
        ...

    def plan_for_owner(self, record: PlanRecord, state: FileState | None) -> PlanAccess:
        """A plan as its owner, for background syncs (state: what Drive already said of the file)."""
        ...

    def workbook_for_owner(self, owner: str, spreadsheet_id: str) -> Workbook:
        """A spreadsheet as its owner's offline grant (a Pipeline spreadsheet, refreshed weekly)."""
        ...

    def mailer_for(self, sender: str) -> Mailer:
        """How to send mail as a plan's owner."""
        ...


@dataclass(frozen=True, slots=True)
class Grant:
    """What Google's token endpoint gave for an offline authorisation."""

    email: str
    refresh_token: str | None
    scopes: frozenset[str]


class Identity(Protocol):
    """Google's word on who someone is: signed ID tokens, and the offline-authorisation exchange."""

    def verified_email(self, authorization: str | None, audiences: Sequence[str]) -> str | None:
        """The verified email of a Google-signed ID token in an Authorization header, else None."""
        ...

    def consent_url(self, email: str, state: str, challenge: str, redirect_uri: str) -> str:
        """Google's consent screen for offline access (PKCE S256), for one account."""
        ...

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> Grant:
        """Exchange an authorisation code for the grant."""
        ...
