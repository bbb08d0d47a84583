"""gspread's HTTP seam with retries on status and reason, capped backoff with jitter, and a timeout."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from google.auth.credentials import Credentials
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from mutualplan.errors import WorkbookError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
TIMEOUT_SECONDS = 30.0


class GoogleApiError(WorkbookError):
    """A Google API call failed; status is the HTTP status (0 when none came back)."""

    def __init__(self, message: str, status: int = 0, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


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


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTPClient, retrying what Google says to retry and turning failures into GoogleApiError."""

    def __init__(
        self,
        auth: Credentials,
        session: requests.Session | None = None,
        *,
        attempts: int = 5,
        backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 16.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(auth, session)
        self.set_timeout(TIMEOUT_SECONDS)
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.sleep = sleep
        self.jitter = jitter
        self.calls = 0  # requests sent, retries included

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        """Send one request, retrying with capped exponential backoff and full jitter."""
        for attempt in range(1, self.attempts + 1):
            self.calls += 1
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as exc:
                status, reason = exc.response.status_code, error_reason(exc.error)
                if attempt == self.attempts or not is_retryable(status, reason):
                    raise GoogleApiError(_describe(status, reason), status, reason) from exc
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt == self.attempts:
                    raise GoogleApiError(f"Google Sheets did not answer ({type(exc).__name__})") from exc
            delay = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1))
            self.sleep(delay * self.jitter())
        raise AssertionError("unreachable: the last attempt returns or raises")


def _describe(status: int, reason: str) -> str:
    if status == 404:
        return "the spreadsheet is gone or not shared with mutualplan (404)"
    if status == 403 and reason not in RATE_LIMIT_REASONS:
        return (
            f"mutualplan has no access to this spreadsheet ({reason or 'forbidden'}): "
            "open it with the add-on to grant access"
        )
    if status == 429 or reason in RATE_LIMIT_REASONS:
        return "Google Sheets is rate-limiting mutualplan; try again in a minute"
    return f"Google Sheets failed ({status}{', ' + reason if reason else ''}); try again"
