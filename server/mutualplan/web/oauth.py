"""Offline authorisation: /oauth/start → Google's consent (offline, PKCE, sealed state) → /oauth/callback.

The refresh token is kept encrypted; background sync and reminders act with it as the seller."""

from __future__ import annotations

import html

from flask import Blueprint, Response, redirect, request

from mutualplan.app.accounts import connect_finish, connect_start
from mutualplan.errors import InputError, MutualplanError
from mutualplan.web.context import services
from mutualplan.web.pages import small_page

oauth = Blueprint("oauth", __name__, url_prefix="/oauth")


@oauth.get("/start")
def start() -> Response:
    """Send the seller to Google's consent screen, offline access, with PKCE."""
    response: Response = redirect(connect_start(services(), request.args.get("ticket", "")))  # type: ignore[assignment]
    return response


@oauth.get("/callback")
def callback() -> tuple[str, int]:
    """Google's answer: exchange the code, check who signed in, keep the refresh token encrypted."""
    args = request.args
    ended = connect_finish(services(), args.get("state", ""), args.get("code", ""), bool(args.get("error")))
    return consent_page("Connected" if ended.connected else "Not connected", ended.message), ended.status


@oauth.errorhandler(MutualplanError)
def _failed(error: MutualplanError) -> tuple[str, int]:
    return consent_page("Not connected", f"{error}."), 400 if isinstance(error, InputError) else 503


def consent_page(title: str, text: str) -> str:
    """A small page for the consent window; every text escaped."""
    return small_page(title, f"<p>{html.escape(text)}</p>")
