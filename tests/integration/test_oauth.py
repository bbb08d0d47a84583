"""Offline authorisation: Connect → Google's consent (offline, PKCE, sealed state) → callback → encrypted
refresh token; and the ways it is refused."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from mutualplan.adapters.google.identity import SCOPES, TOKEN_URL
from mutualplan.adapters.sealing import FernetSealer
from mutualplan.app.links import Purpose
from mutualplan.app.records import AccountStatus
from tests.id_tokens import id_token
from tests.integration.addon_world import PUBLIC, SELLER, World, world

KEY = "k1Oq3-NqbkUCnTnF2UdW6fH2xJw1n8tC0y3t2W3lS0s="


@pytest.fixture
def there(tmp_path: Path) -> Iterator[World]:
    """The world with a known secret key."""
    with world(tmp_path, secret_key=KEY) as made:
        yield made


def consent(there: World, email: str = SELLER) -> dict[str, str]:
    """Follow a Connect link to Google's consent screen: its query."""
    ticket = FernetSealer(KEY).seal(Purpose.CONNECT, {"email": email})
    response = there.client.get(f"/oauth/start?ticket={ticket}")
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == "https://accounts.google.com/o/oauth2/v2/auth"
    )
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def google_answers(
    there: World, email: str, refresh: str | None = "1//refresh-token", scopes: tuple[str, ...] = SCOPES
) -> None:
    tokens = {
        "access_token": "ya29.x", "expires_in": 3599, "id_token": id_token("client-123", email=email),
        "scope": " ".join(scopes),
    }  # fmt: skip
    if refresh:
        tokens["refresh_token"] = refresh
    there.mock.add(responses.POST, TOKEN_URL, json=tokens)


def test_connect_asks_google_for_offline_access_with_pkce_and_least_scopes(there: World) -> None:
    query = consent(there)
    assert (query["access_type"], query["prompt"], query["code_challenge_method"]) == (
        "offline",
        "consent",
        "S256",
    )
    assert query["redirect_uri"] == f"{PUBLIC}/oauth/callback"
    assert query["login_hint"] == SELLER
    assert set(query["scope"].split()) == {
        "openid", "https://www.googleapis.com/auth/userinfo.email",
        "https://www.googleapis.com/auth/drive.file", "https://www.googleapis.com/auth/gmail.send",
    }  # fmt: skip
    state = FernetSealer(KEY).unseal(Purpose.OAUTH_STATE, query["state"], 60)
    assert state["email"] == SELLER
    digest = (
        base64.urlsafe_b64encode(hashlib.sha256(state["verifier"].encode()).digest()).rstrip(b"=").decode()
    )
    assert query["code_challenge"] == digest
    assert state["verifier"] not in query["state"]  # sealed, not merely signed


def test_the_callback_keeps_the_refresh_token_encrypted_and_the_account_connected(there: World) -> None:
    query = consent(there)
    google_answers(there, SELLER)
    response = there.client.get(f"/oauth/callback?code=4/code&state={query['state']}")
    assert response.status_code == 200
    assert "Connected" in response.get_data(as_text=True)
    account = there.store.account(SELLER)
    assert account is not None
    assert account.status == AccountStatus.CONNECTED
    assert account.refresh_token != "1//refresh-token"
    assert FernetSealer(KEY).decrypt(account.refresh_token or "") == "1//refresh-token"
    (call,) = [call for call in there.mock.calls if call.request.url == TOKEN_URL]
    sent = parse_qs(str(call.request.body))
    assert sent["code_verifier"] == [
        FernetSealer(KEY).unseal(Purpose.OAUTH_STATE, query["state"], 60)["verifier"]
    ]


def test_signing_in_as_someone_else_connects_nobody(there: World) -> None:
    query = consent(there)
    google_answers(there, "mallory@evil.example")
    response = there.client.get(f"/oauth/callback?code=4/code&state={query['state']}")
    assert response.status_code == 403
    assert "mallory@evil.example" in response.get_data(as_text=True)
    assert there.store.account(SELLER) is None


@pytest.mark.parametrize(
    ("query", "status"),
    [("error=access_denied", 400), ("code=4/code&state=forged", 400), ("state=&code=", 400)],
)
def test_a_refused_or_forged_callback_stores_nothing_and_says_so(
    there: World, query: str, status: int
) -> None:
    response = there.client.get(f"/oauth/callback?{query}")
    assert response.status_code == status
    assert "<h1>Not connected</h1>" in response.get_data(as_text=True)
    assert there.store.account(SELLER) is None


def test_a_connect_link_that_was_not_sealed_by_the_server_is_refused(there: World) -> None:
    response = there.client.get("/oauth/start?ticket=made-up")
    assert response.status_code == 400
    assert "start again from the sidebar" in response.get_data(as_text=True)


def test_a_grant_with_a_scope_unticked_is_not_called_connected(there: World) -> None:
    query = consent(there)
    google_answers(there, SELLER, scopes=tuple(scope for scope in SCOPES if not scope.endswith("gmail.send")))
    response = there.client.get(f"/oauth/callback?code=abc&state={query['state']}")
    page = response.get_data(as_text=True)
    assert (response.status_code, "Not connected" in page, "sending mail as you unticked" in page) == (
        400,
        True,
        True,
    )
    assert there.store.account(SELLER) is None
