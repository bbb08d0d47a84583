"""HttpMockSequence for google-api-python-client, refusing bodies and query parameters the discovery
document would refuse."""

from __future__ import annotations

import json
from typing import Any

import httplib2
from googleapiclient.http import HttpMockSequence

from tests.discovery import body_errors, query_errors


def ok(body: dict[str, Any] | str = "{}", status: int = 200) -> tuple[dict[str, str], str]:
    """One answer: a status and a JSON (or any text) body."""
    return {"status": str(status)}, body if isinstance(body, str) else json.dumps(body)


def google_error(status: int, reason: str, message: str = "It failed") -> tuple[dict[str, str], str]:
    """A Google API error answer with a reason."""
    error = {"code": status, "message": message, "errors": [{"reason": reason, "message": message}]}
    return ok({"error": error}, status)


class CheckedHttp(HttpMockSequence):  # type: ignore[misc]
    """Answers in order; every request's body and query must validate against the API's discovery document."""

    def __init__(self, document: str, answers: list[tuple[dict[str, str], str]]) -> None:
        super().__init__(answers)
        self.document = document

    def request(
        self, uri: str, method: str = "GET", body: Any = None, headers: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        errors = body_errors(self.document, method, uri, body) + query_errors(self.document, method, uri)
        assert not errors, errors
        return super().request(uri, method, body, headers, *args, **kwargs)

    @property
    def sent(self) -> list[tuple[str, str, Any]]:
        """(uri, method, body) of each request, in order."""
        return [(uri, method, body) for uri, method, body, _ in self.request_sequence]


class HangingHttp:
    """An Http whose socket never answers: every request times out."""

    def __init__(self) -> None:
        self.calls = 0

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        raise TimeoutError("timed out")

    def __getattr__(self, name: str) -> Any:
        return getattr(httplib2.Http(), name)
