"""A hand-written fake Mailer: keeps what it is given, and can be told to fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from mutualplan.errors import GoogleApiError


@dataclass
class FakeMailer:
    """Messages sent, in order; failures raised before the next sends."""

    sent: list[EmailMessage] = field(default_factory=list)
    failures: list[GoogleApiError] = field(default_factory=list)

    def send(self, message: EmailMessage) -> None:
        """Keep it, or fail."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
