"""The CRMs' OAuth 2.0 (authorization code with PKCE, and refresh), over one HTTP seam: requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from mutualplan.errors import CrmError, CrmRevokedError

TIMEOUT_SECONDS = 20
REVOKED = {"invalid_grant", "BAD_REFRESH_TOKEN", "invalid_client"}  # the CRM no longer takes the sign-in


@dataclass(frozen=True)
class OAuthApp:
    """A deployment's app at one CRM: where sellers consent, and where codes and refresh tokens become
    access tokens."""

    title: str  # the CRM, as an error names it
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    scope: str
    session: requests.Session

    def consent_url(self, state: str, challenge: str, redirect_uri: str) -> str:
        """Where a seller consents: the code comes back to redirect_uri, bound to the PKCE challenge."""
        query = {
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": self.scope, "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
        }  # fmt: skip
        return f"{self.authorize_url}?{urlencode(query)}"

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """The token answer for a code, proved by the PKCE verifier."""
        return self._token(
            False,
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=verifier,
        )

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        """A new access token; CrmRevokedError when the CRM no longer takes the refresh token."""
        return self._token(True, grant_type="refresh_token", refresh_token=refresh_token)

    def _token(self, refreshing: bool, **form: str) -> dict[str, Any]:
        form = {**form, "client_id": self.client_id}
        if self.client_secret:
            form["client_secret"] = self.client_secret
        try:
            answer = self.session.post(self.token_url, data=form, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as exc:
            raise CrmError(f"{self.title} did not answer its sign-in: {type(exc).__name__}") from exc
        said = _json(answer)
        if answer.ok and isinstance(said.get("access_token"), str):
            return said
        code = str(said.get("error") or said.get("status") or "")
        if refreshing and answer.status_code in (400, 401) and code in REVOKED:
            raise CrmRevokedError(
                f"{self.title} no longer takes the sign-in: connect again", answer.status_code, code
            )
        raise CrmError(
            f"{self.title} refused the sign-in ({answer.status_code} {code})", answer.status_code, code
        )


def _json(answer: requests.Response) -> dict[str, Any]:
    try:
        said = answer.json()
    except ValueError:
        return {}
    return said if isinstance(said, dict) else {}


def retry_after(value: str | None) -> float:
    """A Retry-After header's seconds (0 when absent or a date)."""
    try:
        return max(0.0, float(value or 0))
    except ValueError:
        return 0.0
