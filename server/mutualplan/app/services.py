"""What the web layer works with: the services bootstrap wired, found on the current app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from mutualplan.app.ports import Drive, Mailer, Store, Workbook
from mutualplan.app.records import PlanRecord
from mutualplan.app.watch import Opener


@dataclass
class Services:
    """The adapters the endpoints use."""

    store: Store
    drive_for_owner: Callable[[str], Drive]  # Drive as a plan owner, with their offline authorisation
    open_plan: Opener
    now: Callable[[], datetime]
    hook_address: str  # where Drive posts notifications: the public URL of /hooks/drive
    workbook_for: Callable[[str, str], Workbook]  # (the user's OAuth token, spreadsheet id) → the workbook
    drive_for_token: Callable[[str], Drive]  # Drive as the user in the sidebar
    user_email: Callable[[str], str]  # whose the user's OAuth token is
    mailer_for: Callable[[str], Mailer]  # a sender (a plan's owner) → how to send mail as them
    sync_window: timedelta = timedelta(seconds=10)
    workbook_kind: str = "google"  # what the plans the sidebar stamps are kept in ("local" in the sandbox)

    def drive_for_plan(self, record: PlanRecord) -> Drive:
        """Drive as the plan's owner."""
        return self.drive_for_owner(record.owner)


def services() -> Services:
    """The current app's services."""
    found: Services = current_app.extensions["mutualplan"]
    return found
