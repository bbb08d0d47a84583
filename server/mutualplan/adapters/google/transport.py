"""gspread's HTTP seam with retries on status and reason, capped backoff with jitter, and a timeout."""

from __future__ import annotations

import json
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httplib2
import requests
from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError
from googleapiclient.errors import HttpError
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from mutualplan.errors import GoogleApiError, GrantRevokedError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
TIMEOUT_SECONDS = 30.0
T = TypeVar("T")
Failure = Callable[[Exception], tuple[int, str] | None]  # an exception → (status, reason), or None


def error_reason(error: Mapping[str, Any]) -> str:
    """The first machine-readable reason of a Google error body ("rateLimitExceeded"…)."""
    for detail in error.get("errors", []) or []:
        if isinstance(detail, Mapping) and detail.get("reason"):
            return str(detail["reason"])
    for detail in error.get("details", []) or []:
        if isinstance(detail, Mapping) and detail.get("reason"):
            return str(detail["reason"])
    return ""


def is_retryable(status: int, reason: str) -> bool:
    """429 and 5xx, and 403 only for a rate-limit reason — never judged by message text."""
    return status in RETRY_STATUSES or (status == 403 and reason in RATE_LIMIT_REASONS)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Retries with capped exponential backoff and full jitter, for what Google says to retry."""

    attempts: int = 5
    base_seconds: float = 0.5
    cap_seconds: float = 16.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def run(
        self, call: Callable[[], T], failure: Callable[[Exception], tuple[int, str] | None], service: str
    ) -> T:
        """The call's answer; a GoogleApiError once it fails for good.

        failure maps an exception to (HTTP status, reason) — status 0 for no answer at all — or None
        for an exception that is not Google's (raised as it is)."""
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except Exception as exc:
                found = failure(exc)
                if found is None:
                    raise
                status, reason = found
                if reason == "invalid_grant":
                    raise GrantRevokedError(describe(service, status, reason), status, reason) from exc
                if attempt == self.attempts or not (status == 0 or is_retryable(status, reason)):
                    raise GoogleApiError(describe(service, status, reason), status, reason) from exc
            self.sleep(min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)) * self.jitter())
        raise AssertionError("unreachable: the last attempt returns or raises")


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTPClient, retrying what Google says to retry and turning failures into GoogleApiError."""

    def __init__(
        self, auth: Credentials, session: requests.Session | None = None, *, backoff: Backoff | None = None
    ) -> None:
        super().__init__(auth, session)
        self.set_timeout(TIMEOUT_SECONDS)
        self.backoff = backoff or Backoff()
        self.calls = 0  # requests sent, retries included

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        """Send one request, retrying with capped exponential backoff and full jitter."""

        def send() -> requests.Response:
            self.calls += 1
            return super(RetryingHTTPClient, self).request(method, endpoint, *args, **kwargs)

        return self.backoff.run(send, _gspread_failure, "Google Sheets")


def refresh_failure(exc: RefreshError) -> tuple[int, str]:
    """A failed token refresh, by the error code Google's token endpoint sent: invalid_grant means the
    grant is gone (revoked, expired, password changed) and only its user can mend it; an answer with no
    error code at all (a 502 page) or one google-auth calls retryable is a passing failure, retried."""
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], Mapping) else {}
    code = str(data.get("error", ""))
    if not code or getattr(exc, "retryable", False):
        return 0, code or "token refresh failed"
    return 401, code


def _gspread_failure(exc: Exception) -> tuple[int, str] | None:
    if isinstance(exc, RefreshError):
        return refresh_failure(exc)
    if isinstance(exc, APIError):
        return exc.response.status_code, error_reason(exc.error)
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        return 0, type(exc).__name__
    return None


def describe(service: str, status: int, reason: str) -> str:
    """What a failed Google call means for the user, and what to do."""
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
    return f"{service} failed ({status}{', ' + reason if reason else ''}); try again"


def google_failure(exc: Exception) -> tuple[int, str] | None:
    """A google-api-python-client failure as (status, reason), for Backoff."""
    if isinstance(exc, RefreshError):
        return refresh_failure(exc)
    if isinstance(exc, HttpError):
        try:
            reason = error_reason(json.loads(exc.content).get("error", {}))
        except (ValueError, AttributeError):
            reason = ""  # a body that is not Google's JSON (an HTML 502 page)
        return exc.resp.status, reason
    if isinstance(exc, TimeoutError | socket.timeout | ConnectionError | httplib2.HttpLib2Error):
        return 0, type(exc).__name__
    return None
