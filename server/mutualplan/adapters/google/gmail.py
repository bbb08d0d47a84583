"""Sending mail through Gmail (users.messages.send), as the plan's owner, via google-api-python-client."""

from __future__ import annotations

import base64
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from googleapiclient.discovery import build

from mutualplan.adapters.google.transport import GoogleTransport

# Gmail's per-user rate: 250 quota units a second, and a send costs 100. One send every half second keeps
# an owner at 2 a second; no queue setting can express a per-user rate, so the sender keeps this pace.
GMAIL_GAP = timedelta(seconds=0.5)


class GmailMailer:
    """Sends as the user whose credentials the HTTP client carries (scope gmail.send only)."""

    def __init__(self, http: Any, transport: GoogleTransport | None = None) -> None:
        self.service = build("gmail", "v1", http=http, static_discovery=True, cache_discovery=False)
        self.transport = transport or GoogleTransport()

    def send(self, message: EmailMessage) -> None:
        """Send one message; rate limits are retried, anything else raised as GoogleApiError."""
        raw = base64.urlsafe_b64encode(message.as_bytes()).decode("ascii")
        request = self.service.users().messages().send(userId="me", body={"raw": raw})
        self.transport.call("Gmail", request.execute)
