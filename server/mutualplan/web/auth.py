"""Who may call: the add-on endpoints take only Google-signed ID tokens of the add-on's service account;
the cron endpoints only App Engine's cron or an OIDC token of the scheduler's service account."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import google.auth.transport.requests
from flask import abort, current_app, request
from google.auth.exceptions import GoogleAuthError
from google.oauth2 import id_token

P = ParamSpec("P")
R = TypeVar("R")
CERTS_SECONDS = 3600  # Google rotates its signing keys over days; an hour's cache is safe


class CachedRequest:
    """google-auth's HTTP transport, remembering Google's public certificates for an hour."""

    def __init__(self) -> None:
        self._send: Any = google.auth.transport.requests.Request()
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        """Send a request; a GET that answered 200 within the hour is answered from memory."""
        if method != "GET":
            return self._send(url, method, *args, **kwargs)
        with self._lock:
            cached = self._cache.get(url)
            if cached and cached[0] > time.monotonic():
                return cached[1]
        response = self._send(url, method, *args, **kwargs)
        if response.status == 200:
            with self._lock:
                self._cache[url] = (time.monotonic() + CERTS_SECONDS, response)
        return response


def verified_email(authorization: str | None, audiences: list[str], transport: Any) -> str | None:
    """The verified email of a Google-signed ID token (signature, expiry, issuer, audience), else None."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims: Mapping[str, Any] = id_token.verify_oauth2_token(  # type: ignore[no-untyped-call]
            token, transport, audiences
        )
    except (ValueError, GoogleAuthError):
        return None
    if not claims.get("email_verified", False):
        return None
    email = claims.get("email")
    return email if isinstance(email, str) else None


def _audiences() -> list[str]:
    """The endpoint's own URL, and the public base URL (either is what Google signs for)."""
    base = current_app.config["PUBLIC_URL"]
    return [base + request.path, base] if base else []


def _signed_by(setting: str) -> bool:
    """True when the request carries a Google-signed ID token of the account a setting names."""
    config = current_app.config
    account = config[setting]
    email = verified_email(request.headers.get("Authorization"), _audiences(), config["TOKEN_TRANSPORT"])
    return bool(account) and email == account


def _is_loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def addon_only(endpoint: Callable[P, R]) -> Callable[P, R]:
    """401 with nothing done unless Google signed the call for the add-on's service account."""

    @wraps(endpoint)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        sandboxed = current_app.config["SANDBOX"] and _is_loopback()  # the local sandbox, on loopback only
        if not sandboxed and not _signed_by("ADDON_SERVICE_ACCOUNT"):
            abort(401, "this endpoint answers Google Workspace's add-on calls only")
        return endpoint(*args, **kwargs)

    return guarded


def cron_only(endpoint: Callable[P, R]) -> Callable[P, R]:
    """403 unless App Engine's cron called (its header is trusted only on App Engine, which strips it
    from outside requests), or the scheduler's service account with a Google-signed OIDC token."""

    @wraps(endpoint)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        app_engine = (
            current_app.config["TRUST_APPENGINE_CRON"] and request.headers.get("X-Appengine-Cron") == "true"
        )
        if not app_engine and not _signed_by("SCHEDULER_ACCOUNT"):
            abort(403, "cron endpoints answer App Engine's cron and the configured scheduler only")
        return endpoint(*args, **kwargs)

    return guarded
