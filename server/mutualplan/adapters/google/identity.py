"""Google's word on who someone is: ID tokens Google signed for our endpoints, and the OAuth
authorisation-code exchange (offline access, PKCE) — both through the one transport."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from google.auth import jwt
from google.auth.exceptions import GoogleAuthError
from google.oauth2 import id_token

from mutualplan.adapters.google.transport import GoogleTransport
from mutualplan.app.ports import Grant

AUTH_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
SCOPES = (
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/gmail.send",
)


class GoogleIdentity:
    """ID-token checks and the offline-authorisation exchange for one OAuth client."""

    def __init__(self, client_id: str, client_secret: str, transport: GoogleTransport | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.transport = transport or GoogleTransport()
        self._certificates = self.transport.certificates()

    def verified_email(self, authorization: str | None, audiences: Sequence[str]) -> str | None:
        """The verified email of a Google-signed ID token (signature, expiry, issuer, audience), else None."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token or not audiences:
            return None
        try:
            claims: Mapping[str, Any] = id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
                token, self._certificates, list(audiences)
            )
        except (ValueError, GoogleAuthError):
            return None
        if not claims.get("email_verified", False):
            return None
        email = claims.get("email")
        return email if isinstance(email, str) else None

    def consent_url(self, email: str, state: str, challenge: str, redirect_uri: str) -> str:
        """Google's consent screen: offline access, PKCE S256, the least scopes, for one account."""
        query = {
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "access_type": "offline",
            "prompt": "consent",  # a refresh token every time, also for someone who connected before
            "include_granted_scopes": "true",
            "login_hint": email,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{AUTH_URL}?{urlencode(query)}"

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> Grant:
        """The authorisation code exchanged for tokens; who signed in, from the ID token."""
        form = {
            "code": code,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uri": redirect_uri,
            "grant_type": "authorization_code",
            "code_verifier": verifier,
        }
        tokens = self.transport.post_form("Google sign-in", TOKEN_URL, form)
        # The id_token comes straight from Google's token endpoint over TLS: no signature check needed.
        claims: dict[str, Any] = jwt.decode(tokens.get("id_token", ""), verify=False)  # type: ignore[no-untyped-call]
        refresh = tokens.get("refresh_token")
        return Grant(
            str(claims.get("email", "")),
            refresh if isinstance(refresh, str) and refresh else None,
            frozenset(str(tokens.get("scope", "")).split()),
        )
