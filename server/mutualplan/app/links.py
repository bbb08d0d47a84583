"""Links to this server that carry a sealed value, each sealed for one purpose and opened only for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from mutualplan.app.ports import Sealer
from mutualplan.errors import InputError


class Purpose(StrEnum):
    """What a sealed value is for: a value sealed for one is refused for every other."""

    CONNECT = "connect"  # the sidebar's Connect link: who must sign in
    OAUTH_STATE = "oauth state"  # the consent screen's state: who, and the PKCE verifier
    UNSUBSCRIBE = "unsubscribe"  # a recipient's one-click unsubscribe link
    TIMELINE = "timeline"  # a card's picture of one plan


LIFETIME_SECONDS = {
    Purpose.CONNECT: 3600,  # a Connect link from the sidebar is good for an hour
    Purpose.OAUTH_STATE: 900,  # the consent screen is good for fifteen minutes
    Purpose.UNSUBSCRIBE: 400 * 24 * 3600,  # a link in an old reminder still works for over a year
    Purpose.TIMELINE: 24 * 3600,  # Google fetches card images without our token: the link is the permission
}


@dataclass(frozen=True)
class Links:
    """The server's sealed links, and what each one opens to."""

    sealer: Sealer
    base_url: str

    def _seal(self, purpose: Purpose, **data: str) -> str:
        return self.sealer.seal(purpose.value, data)

    def _open(self, purpose: Purpose, sealed: str, field: str) -> str:
        value = self.sealer.unseal(purpose.value, sealed, LIFETIME_SECONDS[purpose]).get(field)
        if not isinstance(value, str) or not value:
            raise InputError("this link is not one mutualplan made: start again from the sidebar")
        return value

    def connect(self, email: str) -> str:
        """The Connect link for a seller: a ticket naming who must sign in."""
        ticket = self._seal(Purpose.CONNECT, email=email.casefold())
        return f"{self.base_url}/oauth/start?{urlencode({'ticket': ticket})}"

    def connecting(self, ticket: str) -> str:
        """Who a Connect ticket is for."""
        return self._open(Purpose.CONNECT, ticket, "email")

    def oauth_state(self, email: str, verifier: str) -> str:
        """The consent screen's state: who must sign in, and the PKCE verifier (never readable outside)."""
        return self._seal(Purpose.OAUTH_STATE, email=email, verifier=verifier)

    def from_oauth_state(self, state: str) -> tuple[str, str]:
        """Who must have signed in, and the PKCE verifier."""
        return self._open(Purpose.OAUTH_STATE, state, "email"), self._open(
            Purpose.OAUTH_STATE, state, "verifier"
        )

    def unsubscribe(self, email: str) -> str:
        """A recipient's one-click unsubscribe link."""
        token = self._seal(Purpose.UNSUBSCRIBE, email=email.casefold())
        return f"{self.base_url}/unsubscribe?{urlencode({'t': token})}"

    def unsubscribing(self, token: str) -> str:
        """Whose an unsubscribe link is."""
        return self._open(Purpose.UNSUBSCRIBE, token, "email")

    def timeline(self, plan_id: str) -> str:
        """A plan's timeline picture."""
        return f"{self.base_url}/timeline.svg?{urlencode({'t': self._seal(Purpose.TIMELINE, plan=plan_id)})}"

    def timeline_plan(self, token: str) -> str:
        """The plan a timeline link shows."""
        return self._open(Purpose.TIMELINE, token, "plan")

    @property
    def oauth_callback(self) -> str:
        """Where Google sends the seller back after consent."""
        return f"{self.base_url}/oauth/callback"
