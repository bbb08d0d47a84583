"""A seller's CRM connections: Connect Salesforce or HubSpot with the CRM's own sign-in (OAuth with PKCE),
the refresh token kept encrypted as the Google grant is; or, where the deployment set one, its own token
(a Salesforce integration user, a HubSpot private app), with the seller found in the CRM by address.

Invariants:
- a sign-in is kept only for the address whose Connect link started it, and only that seller's pushes use
  it; a CRM that refuses it flags that seller's connection alone (reconnect needed);
- nothing of a CRM is stored in a sheet: connections and links live in the server's store."""

from __future__ import annotations

from dataclasses import dataclass

from mutualplan.app.accounts import Connection, pkce_pair
from mutualplan.app.crm_ports import CrmClient, CrmConnection, Crms
from mutualplan.app.records import AccountStatus
from mutualplan.app.services import Services
from mutualplan.config import CRM_OAUTH, CRM_TOKEN
from mutualplan.errors import CrmError, InputError
from mutualplan.plan.crm import Crm


def crms_of(services: Services, crm: Crm) -> Crms:
    """The deployment's CRMs, when it is set up for this one; an InputError says what to set."""
    if services.crms is None or not services.config.crm_mode(crm.value):
        setting = (
            "MUTUALPLAN_SALESFORCE_CLIENT_ID" if crm is Crm.SALESFORCE else "MUTUALPLAN_HUBSPOT_CLIENT_ID"
        )
        raise InputError(
            f"This server is not set up for {crm.label}: its administrator sets {setting} "
            "(the guide: Deploying to Google, The CRMs)"
        )
    return services.crms


def crm_of(name: str) -> Crm:
    """A CRM by its name; an InputError lists the names."""
    try:
        return Crm(name.strip().casefold())
    except ValueError:
        raise InputError(f"'{name[:40]}' is not a CRM mutualplan syncs with: salesforce or hubspot") from None


@dataclass(frozen=True, slots=True)
class CrmAccount:
    """A seller's standing with one CRM, as the settings card shows it."""

    crm: Crm
    mode: str  # CRM_OAUTH, CRM_TOKEN, or "" when the server is not set up for it
    status: AccountStatus | None  # None: not connected
    connect_url: str = ""


def accounts_of(services: Services, owner: str) -> list[CrmAccount]:
    """The seller's standing with each CRM the server is set up for."""
    found = []
    for crm in Crm:
        mode = services.config.crm_mode(crm.value)
        connection = services.store.crm_connection(owner, crm)
        url = services.links.crm_connect(owner, crm.value) if mode == CRM_OAUTH else ""
        found.append(CrmAccount(crm, mode, connection.status if connection else None, url))
    return found


def crm_connect_start(services: Services, ticket: str) -> str:
    """Where a seller's Connect link sends them: the CRM's consent screen, with PKCE."""
    email, name = services.links.crm_connecting(ticket)
    crm = crm_of(name)
    verifier, challenge = pkce_pair()
    state = services.links.crm_state(email, crm.value, verifier)
    return crms_of(services, crm).sign_in(crm).consent_url(state, challenge, services.links.crm_callback)


def crm_connect_finish(services: Services, state: str, code: str, refused: str) -> Connection:
    """The CRM's answer: exchange the code (with the verifier), keep the refresh token encrypted."""
    email, name, verifier = services.links.from_crm_state(state)
    crm = crm_of(name)
    if refused:
        return Connection(
            False, f"{crm.label} says permission was not given. Connect again from the sidebar.", 400
        )
    if not code:
        raise InputError(f"{crm.label}'s answer has no code: connect again from the sidebar")
    try:
        grant = crms_of(services, crm).sign_in(crm).exchange(code, verifier, services.links.crm_callback)
    except CrmError as exc:
        return Connection(False, f"{exc}. Connect again from the sidebar.", 502 if exc.passing else 400)
    if not grant.user_id:
        return Connection(False, f"{crm.label} does not know {email} as a user: ask its administrator.", 403)
    sealed = services.sealer.encrypt(grant.refresh_token)
    services.store.save_crm_connection(
        CrmConnection(
            email, crm, sealed, grant.instance_url, grant.user_id, AccountStatus.CONNECTED, services.now()
        )
    )
    return Connection(
        True,
        f"mutualplan will keep your {crm.label} {crm.record}s' plan fields up to date. "
        "You can close this window.",
    )


def connect_with_token(services: Services, owner: str, crm: Crm) -> str:
    """Connect a seller through the deployment's own token: the CRM finds them by their address."""
    crms = crms_of(services, crm)
    if services.config.crm_mode(crm.value) != CRM_TOKEN:
        raise InputError(f"Connect {crm.label} with its own sign-in: open the Connect link")
    probe = CrmConnection(owner, crm, "", "", "", AccountStatus.CONNECTED, services.now())
    user_id = crms.client(probe, "").owner_of(owner)
    if not user_id:
        raise InputError(f"{crm.label} has no active user at {owner}: ask its administrator to add you")
    services.store.save_crm_connection(
        CrmConnection(owner, crm, "", "", user_id, AccountStatus.CONNECTED, services.now())
    )
    return f"Connected to {crm.label} as {owner}"


def disconnect(services: Services, owner: str, crm: Crm) -> str:
    """Forget a seller's sign-in: their plans' links stay, and are pushed again once they connect."""
    if not services.store.drop_crm_connection(owner, crm):
        raise InputError(f"You are not connected to {crm.label}")
    return f"Disconnected from {crm.label}: mutualplan no longer writes to it as you"


def session_of(services: Services, owner: str, crm: Crm) -> CrmClient:
    """A seller's session with a CRM; an InputError says to connect (or reconnect) first."""
    crms = crms_of(services, crm)
    connection = services.store.crm_connection(owner, crm)
    if connection is None:
        raise InputError(f"Connect {crm.label} first: the sidebar's CRM card has the button")
    if connection.status is AccountStatus.RECONNECT:
        raise InputError(f"{crm.label} no longer takes your sign-in: connect it again from the sidebar")
    secret = services.sealer.decrypt(connection.secret) if connection.secret else ""
    return crms.client(connection, secret)
