"""What the CRM journeys need: the records of sellers' sign-ins and plans' links, the store's role that
keeps them, and the CRMs themselves (their sign-in, and one seller's session with one CRM)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from mutualplan.app.records import AccountStatus
from mutualplan.plan.crm import Crm, CrmContact, CrmDeal


@dataclass(frozen=True, slots=True)
class CrmConnection:
    """A seller's sign-in to one CRM: the refresh token encrypted, whom it signed in, and whether the CRM
    still takes it."""

    owner: str
    crm: Crm
    secret: str  # the refresh token, encrypted by the Sealer ("" where the deployment's own token is used)
    instance_url: str  # Salesforce's org ("" for HubSpot)
    user_id: str  # the seller in the CRM
    status: AccountStatus
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CrmLink:
    """A plan's opportunity or deal, and what the CRM holds of mutualplan's fields as last pushed."""

    plan_id: str
    crm: Crm
    record_id: str
    owner: str  # the seller whose sign-in pushes it
    linked_at: datetime
    due: bool = False  # a push is owed
    pushed: Mapping[str, object] = field(default_factory=dict)
    pushed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CrmGrant:
    """A CRM's answer to a sign-in: the refresh token, and who signed in where."""

    refresh_token: str
    instance_url: str
    user_id: str


class CrmStore(Protocol):
    """Sellers' CRM sign-ins and plans' links."""

    def crm_connection(self, owner: str, crm: Crm) -> CrmConnection | None:
        """A seller's sign-in to one CRM."""

    def save_crm_connection(self, connection: CrmConnection) -> None:
        """Keep (or replace) a seller's sign-in."""

    def set_crm_status(self, owner: str, crm: Crm, status: AccountStatus, at: datetime) -> None:
        """Mark a sign-in connected, or needing to be made again."""

    def drop_crm_connection(self, owner: str, crm: Crm) -> bool:
        """Forget a sign-in (Disconnect); False when there was none."""

    def crm_link(self, plan_id: str) -> CrmLink | None:
        """A plan's link to its opportunity or deal."""

    def save_crm_link(self, link: CrmLink) -> None:
        """Keep (or replace) a plan's link."""

    def drop_crm_link(self, plan_id: str) -> bool:
        """Unlink a plan; False when it had no link."""

    def crm_links_of(self, owner: str, due_only: bool = False) -> list[CrmLink]:
        """A seller's links (those with a push owed, when asked), by plan id."""

    def mark_crm_due(self, plan_ids: Sequence[str]) -> None:
        """Owe a push of these plans."""

    def crm_pushed(self, pushed: Mapping[str, Mapping[str, object]], at: datetime) -> None:
        """Keep what a push found or wrote of each plan (plan → fields), and owe none, in one write."""


class CrmClient(Protocol):
    """One seller's session with one CRM: every call is one request (a read of many deals included)."""

    def read(self, ids: Sequence[str]) -> dict[str, CrmDeal]:
        """The deals, as they stand (mutualplan's fields, Next Step, and the seller's close date, stage and
        forecast), in one request; a deal not found is left out."""

    def write(self, changes: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
        """Write each deal's changed fields, in one request: what the CRM refused, by deal ("" none)."""

    def set_close_date(self, record_id: str, day: date) -> None:
        """Write one deal's close date (the seller's click, never a push)."""

    def search(self, text: str) -> list[CrmDeal]:
        """The seller's own open deals whose name (or account) holds the text."""

    def contacts(self, record_id: str) -> list[CrmContact]:
        """The people the CRM links to a deal."""

    def owner_of(self, email: str) -> str:
        """The CRM's id of a user, by their address ("" when it has none)."""

    def missing_fields(self) -> list[tuple[str, str]]:
        """The fields mutualplan writes that the CRM lacks, each with the type to create it as."""

    def set_up(self) -> list[str]:
        """Create what mutualplan writes that the CRM lacks, where the API allows: what was created."""


class CrmSignIn(Protocol):
    """A CRM's OAuth for one deployment's app: consent with PKCE, and the code's exchange."""

    def consent_url(self, state: str, challenge: str, redirect_uri: str) -> str:
        """Where a seller signs in and consents."""

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> CrmGrant:
        """The code, exchanged for a refresh token; a CrmError says why not."""


class Crms(Protocol):
    """The CRMs this deployment is set up for."""

    def sign_in(self, crm: Crm) -> CrmSignIn:
        """The CRM's OAuth."""

    def client(self, connection: CrmConnection, refresh_token: str) -> CrmClient:
        """A seller's session, signed in with their refresh token (or the deployment's own)."""
