"""Offline authorisation: /oauth/start → Google's consent (offline, PKCE, sealed state) → /oauth/callback.

The refresh token is kept encrypted; background sync and reminders act with it as the seller."""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
from typing import Any
from urllib.parse import urlencode

import requests
from flask import Blueprint, Response, current_app, redirect, request
from google.auth import jwt

from mutualplan.adapters.google.transport import TIMEOUT_SECONDS
from mutualplan.adapters.sealing import Sealer
from mutualplan.app.records import AccountRecord, AccountStatus
from mutualplan.app.services import services
from mutualplan.errors import InputError, MutualplanError

oauth = Blueprint("oauth", __name__, url_prefix="/oauth")
AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
SCOPES = (
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/gmail.send",
)
TICKET_SECONDS = 3600  # a Connect link from the sidebar is good for an hour
STATE_SECONDS = 900  # the consent screen is good for fifteen minutes


def sealer() -> Sealer:
    """The app's sealer (raises a clear error when the server has no secret key)."""
    return Sealer(current_app.config["SECRET_KEY_FOR_SEALING"])


def connect_url(email: str) -> str:
    """The Connect link for a seller: a sealed ticket naming who must sign in."""
    ticket = sealer().seal({"email": email.casefold()})
    return f"{current_app.config['PUBLIC_URL']}/oauth/start?{urlencode({'ticket': ticket})}"


def _redirect_uri() -> str:
    return f"{current_app.config['PUBLIC_URL']}/oauth/callback"


@oauth.get("/start")
def start() -> Response:
    """Send the seller to Google's consent screen, offline access, with PKCE."""
    email = sealer().unseal(request.args.get("ticket", ""), TICKET_SECONDS)["email"]
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "client_id": current_app.config["OAUTH_CLIENT_ID"],
        "redirect_uri": _redirect_uri(),
        "response_type": "code",
        "scope": " ".join(SCOPES),
        "access_type": "offline",
        "prompt": "consent",  # a refresh token every time, also for someone who connected before
        "include_granted_scopes": "true",
        "login_hint": email,
        "state": sealer().seal({"email": email, "verifier": verifier}),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response: Response = redirect(f"{AUTH_URL}?{urlencode(query)}")  # type: ignore[assignment]
    return response


@oauth.get("/callback")
def callback() -> tuple[str, int]:
    """Google's answer: exchange the code, check who signed in, keep the refresh token encrypted."""
    if request.args.get("error"):
        refused = "Google says permission was not given. Connect again from the sidebar."
        return _page("Not connected", refused), 400
    state = sealer().unseal(request.args.get("state", ""), STATE_SECONDS)
    tokens = _exchange(request.args.get("code", ""), state["verifier"])
    # The id_token comes straight from Google's token endpoint over TLS: its claims need no signature check.
    id_token = tokens.get("id_token", "")
    claims: dict[str, Any] = jwt.decode(id_token, verify=False)  # type: ignore[no-untyped-call]
    signed_in = str(claims.get("email", "")).casefold()
    if signed_in != state["email"]:
        return _page(
            "Not connected", f"You signed in as {signed_in}, but this link is for {state['email']}."
        ), 403
    refresh = tokens.get("refresh_token")
    if not refresh:
        return _page("Not connected", "Google sent no offline token. Connect again from the sidebar."), 502
    wired = services()
    record = AccountRecord(signed_in, sealer().encrypt(refresh), AccountStatus.CONNECTED, wired.now())
    wired.store.save_account(record)
    return _page(
        "Connected",
        "mutualplan will record confirmations and send reminders as you. You can close this window.",
    ), 200


@oauth.errorhandler(MutualplanError)
def _failed(error: MutualplanError) -> tuple[str, int]:
    return _page("Not connected", f"{error}."), 400 if isinstance(error, InputError) else 503


def _exchange(code: str, verifier: str) -> dict[str, Any]:
    if not code:
        raise InputError("Google's answer has no code: connect again from the sidebar")
    try:
        response = requests.post(
            TOKEN_URL,
            data={
                "code": code,
                "client_id": current_app.config["OAUTH_CLIENT_ID"],
                "client_secret": current_app.config["OAUTH_CLIENT_SECRET"],
                "redirect_uri": _redirect_uri(),
                "grant_type": "authorization_code",
                "code_verifier": verifier,
            },
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise MutualplanError("Google did not answer; connect again in a minute") from exc
    if response.status_code != 200:
        raise InputError("Google refused the connection; connect again from the sidebar")
    tokens: dict[str, Any] = response.json()
    return tokens


def _page(title: str, text: str) -> str:
    """A small page for the consent window; every text escaped."""
    return (
        "<!doctype html><meta charset=utf-8><title>mutualplan</title>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
    )
