"""The one seam to Google: every call, whichever client library makes it, goes through GoogleTransport.

gspread (Sheets) rides on requests, google-api-python-client (Drive, Gmail) on httplib2, the OAuth token
exchange, userinfo and ID-token certificates on requests again. Here they share one timeout, one retry
policy (capped exponential backoff with full jitter, on what Google says to retry: 429, 5xx, and 403
for a rate-limit reason, judged by status and reason, never by message text) and one error tree: every
failure leaves as GoogleApiError (status, reason, rate_limited) or GrantRevokedError, `raise … from exc`.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import google.auth.transport.requests
import httplib2
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from mutualplan.errors import GoogleApiError, GrantRevokedError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
TIMEOUT_SECONDS = 30.0
CERTS_SECONDS = 3600  # Google rotates its ID-token signing keys over days; an hour's cache is safe
T = TypeVar("T")


class Failure(NamedTuple):
    """A failed call as Google put it: the HTTP status (0 when none came back), the machine-readable
    reason, and Google's own message, when it sent one."""

    status: int
    reason: str
    message: str = ""


def error_reason(error: Mapping[str, Any]) -> str:
    """The first machine-readable reason of a Google error body ("rateLimitExceeded"…)."""
    for detail in [*(error.get("errors", []) or []), *(error.get("details", []) or [])]:
        if isinstance(detail, Mapping) and detail.get("reason"):
            return str(detail["reason"])
    return ""


def is_retryable(status: int, reason: str) -> bool:
    """429 and 5xx, and 403 only for a rate-limit reason — never judged by message text."""
    return status in RETRY_STATUSES or (status == 403 and reason in RATE_LIMIT_REASONS)


def refresh_failure(exc: RefreshError) -> tuple[int, str]:
    """A failed token refresh, by the error code Google's token endpoint sent: invalid_grant means the
    grant is gone (revoked, expired, password changed) and only its user can mend it; an answer with no
    error code at all (a 502 page) or one google-auth calls retryable is a passing failure, retried."""
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Mapping) else {}
    code = str(data.get("error", ""))
    if not code or getattr(exc, "retryable", False):
        return 0, code or "token refresh failed"
    return 401, code


def failure_of(exc: Exception) -> Failure | None:
    """Any client library's failure as Google put it; None for an exception that is not Google's (raised
    as it is)."""
    if isinstance(exc, GoogleApiError):  # raised by a check of ours on an answer (a token endpoint's 502)
        return Failure(exc.status, exc.reason, exc.detail)
    if isinstance(exc, RefreshError):
        return Failure(*refresh_failure(exc))
    if isinstance(exc, APIError):
        return Failure(exc.response.status_code, error_reason(exc.error), _message(exc.error))
    if isinstance(exc, HttpError):
        try:
            error = json.loads(exc.content).get("error", {})
        except (ValueError, AttributeError):
            error = {}  # a body that is not Google's JSON (an HTML 502 page)
        error = error if isinstance(error, Mapping) else {}
        return Failure(exc.resp.status, error_reason(error), _message(error))
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        return Failure(0, type(exc).__name__)
    if isinstance(exc, TimeoutError | socket.timeout | ConnectionError | httplib2.HttpLib2Error):
        return Failure(0, type(exc).__name__)
    return None


def _message(error: Mapping[str, Any]) -> str:
    message = error.get("message")
    return message if isinstance(message, str) else ""


def describe(service: str, failure: Failure) -> str:
    """What a failed Google call means for the user, and what to do."""
    status, reason = failure.status, failure.reason
    if status == 0:
        return f"{service} did not answer ({reason}); try again"
    if reason == "invalid_grant":
        return "Google no longer accepts this account's authorisation: reconnect it in the sidebar"
    if status == 404:
        return f"the file is gone from {service} or not shared with mutualplan (404)"
    if status == 403 and reason not in RATE_LIMIT_REASONS:
        return (
            f"mutualplan has no access to this file in {service} ({reason or 'forbidden'}): "
            "open it with the add-on to grant access"
        )
    if status == 429 or reason in RATE_LIMIT_REASONS:
        return f"{service} is rate-limiting mutualplan; try again in a minute"
    if status == 400:  # a request Google will refuse however often it is sent: its own words say why
        return f"{service} refused the request: {failure.message or reason or 'bad request'}"
    return f"{service} failed ({status}{', ' + reason if reason else ''}); try again"


def google_error(service: str, failure: Failure) -> GoogleApiError:
    """The project's error for a failed Google call."""
    status, reason = failure.status, failure.reason
    limited = status == 429 or reason in RATE_LIMIT_REASONS
    kind = GrantRevokedError if reason == "invalid_grant" else GoogleApiError
    return kind(describe(service, failure), status, reason, rate_limited=limited, detail=failure.message)


@dataclass(frozen=True, slots=True)
class Backoff:
    """The retry policy: capped exponential backoff with full jitter, for what Google says to retry."""

    attempts: int = 5
    base_seconds: float = 0.5
    cap_seconds: float = 16.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def run(self, call: Callable[[], T], service: str) -> T:
        """The call's answer; a GoogleApiError once it fails for good."""
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except Exception as exc:
                found = failure_of(exc)
                if found is None:
                    raise
                status, reason, _ = found
                final = reason == "invalid_grant" or not (status == 0 or is_retryable(status, reason))
                if final or attempt == self.attempts:
                    raise google_error(service, found) from exc
            self.sleep(min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)) * self.jitter())
        raise AssertionError("unreachable: the last attempt returns or raises")


@dataclass(frozen=True)
class GoogleTransport:
    """How mutualplan reaches Google: one timeout, one retry policy, one error tree, for every library."""

    backoff: Backoff = field(default_factory=Backoff)
    timeout: float = TIMEOUT_SECONDS

    def call(self, service: str, send: Callable[[], T]) -> T:
        """Make one call (a client library's request, or any callable), retried as the policy says."""
        return self.backoff.run(send, service)

    def sheets(self, credentials: Credentials) -> RetryingHTTPClient:
        """gspread's HTTP client for Sheets, as the credentials' user."""
        return RetryingHTTPClient(credentials, transport=self)

    def http(self, credentials: Credentials) -> AuthorizedHttp:
        """An authorised httplib2 client for google-api-python-client (Drive, Gmail), with the timeout."""
        return AuthorizedHttp(credentials, http=httplib2.Http(timeout=self.timeout))

    def get_json(self, service: str, url: str, bearer: str) -> dict[str, Any]:
        """GET a Google JSON resource with a user's access token (userinfo)."""
        headers = {"Authorization": f"Bearer {bearer}"}
        return self._json(service, lambda: requests.get(url, headers=headers, timeout=self.timeout))

    def post_form(self, service: str, url: str, form: Mapping[str, str]) -> dict[str, Any]:
        """POST a form to a Google endpoint and read its JSON answer (the OAuth token exchange)."""
        return self._json(service, lambda: requests.post(url, data=dict(form), timeout=self.timeout))

    def _json(self, service: str, send: Callable[[], requests.Response]) -> dict[str, Any]:
        def checked() -> dict[str, Any]:
            response = send()
            try:
                body = response.json()
            except ValueError:
                body = {}
            if response.status_code != 200:
                error = body.get("error") if isinstance(body, dict) else None
                reason = str(error) if isinstance(error, str) else error_reason(error or {})
                raise google_error(service, Failure(response.status_code, reason))
            return body if isinstance(body, dict) else {}

        return self.call(service, checked)

    def certificates(self) -> CachedRequest:
        """google-auth's request for ID-token checks, with the timeout, remembering certificates an hour."""
        return CachedRequest(self.timeout)


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTPClient, every request through the transport's retry policy and error tree."""

    def __init__(
        self,
        auth: Credentials,
        session: requests.Session | None = None,
        *,
        transport: GoogleTransport | None = None,
    ) -> None:
        super().__init__(auth, session)
        self.transport = transport or GoogleTransport()
        self.set_timeout(self.transport.timeout)
        self.calls = 0  # requests sent, retries included

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        """Send one request, retrying what Google says to retry."""

        def send() -> requests.Response:
            self.calls += 1
            return super(RetryingHTTPClient, self).request(method, endpoint, *args, **kwargs)

        return self.transport.call("Google Sheets", send)


class CachedRequest:
    """google-auth's HTTP request with a timeout; a GET answered 200 within the hour comes from memory."""

    def __init__(self, timeout: float) -> None:
        self._send: Any = google.auth.transport.requests.Request()
        self._timeout = timeout
        self._cache: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        """Send a request; a GET answered 200 within the hour is answered from memory."""
        kwargs.setdefault("timeout", self._timeout)
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
