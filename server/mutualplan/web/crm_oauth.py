"""Connecting a CRM: /crm/start → the CRM's consent (PKCE, sealed state) → /crm/callback.

The refresh token is kept encrypted; pushes to the seller's opportunities or deals act with it."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request

from mutualplan.app.crm import crm_connect_finish, crm_connect_start
from mutualplan.errors import InputError, MutualplanError
from mutualplan.web.context import services
from mutualplan.web.oauth import consent_page

crm_oauth = Blueprint("crm_oauth", __name__, url_prefix="/crm")


@crm_oauth.get("/start")
def start() -> Response:
    """Send the seller to their CRM's consent screen, with PKCE."""
    response: Response = redirect(crm_connect_start(services(), request.args.get("ticket", "")))  # type: ignore[assignment]
    return response


@crm_oauth.get("/callback")
def callback() -> tuple[str, int]:
    """The CRM's answer: exchange the code, keep the refresh token encrypted."""
    args = request.args
    ended = crm_connect_finish(services(), args.get("state", ""), args.get("code", ""), args.get("error", ""))
    return consent_page("Connected" if ended.connected else "Not connected", ended.message), ended.status


@crm_oauth.errorhandler(MutualplanError)
def _failed(error: MutualplanError) -> tuple[str, int]:
    return consent_page("Not connected", f"{error}."), 400 if isinstance(error, InputError) else 503
