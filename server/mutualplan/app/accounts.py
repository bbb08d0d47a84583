"""A seller's offline authorisation (Connect in the sidebar), and a recipient's one-click unsubscribe."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from mutualplan.app.records import AccountRecord, AccountStatus
from mutualplan.app.services import Services
from mutualplan.errors import GoogleApiError, InputError

NEEDED_SCOPES = {  # what background work does with the offline grant, in words a user recognises
    "https://www.googleapis.com/auth/drive.file": "access to the plan's spreadsheet",
    "https://www.googleapis.com/auth/gmail.send": "sending mail as you",
}


@dataclass(frozen=True, slots=True)
class Connection:
    """How a Connect ended: connected, or why not and what to do."""

    connected: bool
    message: str
    status: int = 200  # the HTTP status the consent window's page answers with


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier, kept sealed in the consent's state, and its S256 challenge, sent with the consent."""
    verifier = secrets.token_urlsafe(64)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(
        b"="
    ).decode()


def connect_start(services: Services, ticket: str) -> str:
    """Where to send a seller from their Connect link: Google's consent screen, offline, with PKCE."""
    links = services.links
    email = links.connecting(ticket)
    verifier, challenge = pkce_pair()
    return services.identity.consent_url(
        email, links.oauth_state(email, verifier), challenge, links.oauth_callback
    )


def connect_finish(services: Services, state: str, code: str, refused: bool) -> Connection:
    """Google's answer: exchange the code, check who signed in, keep the refresh token encrypted."""
    if refused:
        return Connection(False, "Google says permission was not given. Connect again from the sidebar.", 400)
    links = services.links
    email, verifier = links.from_oauth_state(state)
    if not code:
        raise InputError("Google's answer has no code: connect again from the sidebar")
    try:
        grant = services.identity.exchange(code, verifier, links.oauth_callback)
    except GoogleApiError as exc:
        if exc.status and exc.status < 500:
            raise InputError("Google refused the connection; connect again from the sidebar") from exc
        raise
    if grant.email.casefold() != email:
        return Connection(
            False, f"You signed in as {grant.email.casefold()}, but this link is for {email}.", 403
        )
    if not grant.refresh_token:
        return Connection(False, "Google sent no offline token. Connect again from the sidebar.", 502)
    missing = [what for scope, what in NEEDED_SCOPES.items() if scope not in grant.scopes]
    if missing:  # consent is granular: a user may untick what background work needs
        unticked = " and ".join(missing)
        return Connection(
            False, f"Google shows {unticked} unticked. Connect again and leave both ticked.", 400
        )
    sealed = services.sealer.encrypt(grant.refresh_token)
    services.store.save_account(AccountRecord(email, sealed, AccountStatus.CONNECTED, services.now()))
    return Connection(
        True, "mutualplan will record confirmations and send reminders as you. You can close this window."
    )


@dataclass(frozen=True, slots=True)
class Unsubscribing:
    """Whose an unsubscribe link is, and the plan it stops ("" and no title: every plan)."""

    email: str
    plan_id: str
    plan_title: str


def unsubscribing(services: Services, token: str) -> Unsubscribing:
    """What an unsubscribe link would stop (a GET asks before anything changes)."""
    email, plan_id = services.links.unsubscribing(token)
    record = services.store.plan(plan_id) if plan_id else None
    return Unsubscribing(email, plan_id if record else "", record.title if record else "")


def unsubscribe(services: Services, token: str, everywhere: bool = False) -> Unsubscribing:
    """Mail nobody at the link's address again about its plan (or, when asked, about any)."""
    found = unsubscribing(services, token)
    plan_id = "" if everywhere else found.plan_id
    services.store.unsubscribe(found.email, services.now(), plan_id)
    return Unsubscribing(found.email, plan_id, found.plan_title if plan_id else "")
