"""Links to this server that carry a sealed value, each sealed for one purpose and opened only for it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote, urlencode

from mutualplan.app.ports import Sealer
from mutualplan.app.records import PlanRecord, WorkbookKind
from mutualplan.errors import InputError, LinkExpiredError, LinkInvalidError, LinkRefusedError
from mutualplan.plan.history.events import Trust


class Purpose(StrEnum):
    """What a sealed value is for: a value sealed for one is refused for every other."""

    CONNECT = "connect"  # the sidebar's Connect link: who must sign in
    OAUTH_STATE = "oauth state"  # the consent screen's state: who, and the PKCE verifier
    UNSUBSCRIBE = "unsubscribe"  # a recipient's one-click unsubscribe link
    TIMELINE = "timeline"  # a card's picture of one plan
    PIPELINE_PICTURE = "pipeline picture"  # a Pipeline card's picture: whose pipeline
    CONFIRM = "confirm"  # a customer person's own confirmation page for one plan
    CONFIRM_FORM = "confirm form"  # the confirmation page's anti-forgery token, bound to its link
    PLAN_INVITE = "plan invite"  # a plan's link with no identity in it: a person types their address
    CRM_CONNECT = "crm connect"  # the sidebar's Connect Salesforce / HubSpot link: who, and which CRM
    CRM_STATE = "crm state"  # the CRM's consent screen's state: who, which CRM, and the PKCE verifier


LIFETIME_SECONDS = {
    Purpose.CONNECT: 3600,  # a Connect link from the sidebar is good for an hour
    Purpose.OAUTH_STATE: 900,  # the consent screen is good for fifteen minutes
    Purpose.UNSUBSCRIBE: 400 * 24 * 3600,  # a link in an old reminder still works for over a year
    Purpose.TIMELINE: 24 * 3600,  # Google fetches card images without our token: the link is the permission
    Purpose.PIPELINE_PICTURE: 3600,  # the same, for a picture drawn only of what its viewer may see now
    Purpose.CONFIRM: 366 * 24 * 3600,  # the link carries its own expiry (14 days by default); this is a cap
    Purpose.CONFIRM_FORM: 24 * 3600,  # a page left open a day is shown again before it can post
    Purpose.PLAN_INVITE: 90 * 24 * 3600,  # pasted in a chat; it opens nothing but a form that sends mail
    Purpose.CRM_CONNECT: 3600,
    Purpose.CRM_STATE: 900,
}
CONFIRM_DAYS = 14
FORM_REFUSED = "this form was not sent from your confirmation page: open your link again"


@dataclass(frozen=True, slots=True)
class ConfirmTicket:
    """What a confirmation link says: whose page, for which plan, made in which generation, until when."""

    plan_id: str
    email: str
    generation: int
    expires: datetime
    shown_to: str = ""  # an operator it was shown to: a link someone else has seen proves nothing

    @property
    def trust(self) -> Trust:
        """What a confirmation through this link proves: verified only if it reached its person alone."""
        return Trust.CLAIMED if self.shown_to else Trust.VERIFIED


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

    def spreadsheet(self, record: PlanRecord) -> str:
        """Where a plan's spreadsheet opens: the Google Sheet, or the sandbox page showing it."""
        if record.workbook is WorkbookKind.GOOGLE:
            return f"https://docs.google.com/spreadsheets/d/{quote(record.spreadsheet_id, safe='')}/edit"
        return f"{self.base_url}/?{urlencode({'sheet': record.spreadsheet_id})}"

    def cells(self, record: PlanRecord, gid: int | None) -> str:
        """A link to the plan's tab (gid, in Google) that ends in `range=`: a cell's A1 name appended opens
        the sheet at that cell."""
        at_tab = f"gid={gid}&" if gid is not None and record.workbook is WorkbookKind.GOOGLE else ""
        return f"{self.spreadsheet(record)}#{at_tab}range="

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

    def crm_connect(self, email: str, crm: str) -> str:
        """A seller's Connect link for one CRM: a ticket naming who, and which CRM."""
        ticket = self._seal(Purpose.CRM_CONNECT, email=email.casefold(), crm=crm)
        return f"{self.base_url}/crm/start?{urlencode({'ticket': ticket})}"

    def crm_connecting(self, ticket: str) -> tuple[str, str]:
        """Who a CRM Connect ticket is for, and which CRM."""
        return self._open(Purpose.CRM_CONNECT, ticket, "email"), self._open(
            Purpose.CRM_CONNECT, ticket, "crm"
        )

    def crm_state(self, email: str, crm: str, verifier: str) -> str:
        """A CRM consent screen's state: who, which CRM, and the PKCE verifier (never readable outside)."""
        return self._seal(Purpose.CRM_STATE, email=email, crm=crm, verifier=verifier)

    def from_crm_state(self, state: str) -> tuple[str, str, str]:
        """Who must have signed in, to which CRM, and the PKCE verifier."""
        email, crm, verifier = (
            self._open(Purpose.CRM_STATE, state, name) for name in ("email", "crm", "verifier")
        )
        return email, crm, verifier

    @property
    def crm_callback(self) -> str:
        """Where both CRMs send a seller back after consent (each app registers this URL)."""
        return f"{self.base_url}/crm/callback"

    def unsubscribe(self, email: str, plan_id: str = "") -> str:
        """A recipient's one-click unsubscribe link from one plan's reminders (no plan: from all)."""
        token = self._seal(Purpose.UNSUBSCRIBE, email=email.casefold(), plan=plan_id)
        return f"{self.base_url}/unsubscribe?{urlencode({'t': token})}"

    def unsubscribing(self, token: str) -> tuple[str, str]:
        """Whose an unsubscribe link is, and the plan it stops ("": every plan)."""
        email = self._open(Purpose.UNSUBSCRIBE, token, "email")
        plan = self.sealer.unseal(
            Purpose.UNSUBSCRIBE.value, token, LIFETIME_SECONDS[Purpose.UNSUBSCRIBE]
        ).get("plan")
        return email, plan if isinstance(plan, str) else ""

    def timeline(self, plan_id: str) -> str:
        """A plan's timeline picture."""
        return f"{self.base_url}/timeline.png?{urlencode({'t': self._seal(Purpose.TIMELINE, plan=plan_id)})}"

    def timeline_plan(self, token: str) -> str:
        """The plan a timeline link shows."""
        return self._open(Purpose.TIMELINE, token, "plan")

    def pipeline_picture(self, viewer: str) -> str:
        """A viewer's Pipeline picture: their deals' confirmation rates, week by week."""
        sealed = self._seal(Purpose.PIPELINE_PICTURE, viewer=viewer)
        return f"{self.base_url}/pipeline.png?{urlencode({'t': sealed})}"

    def pipeline_viewer(self, token: str) -> str:
        """Whose pipeline a picture link shows."""
        return self._open(Purpose.PIPELINE_PICTURE, token, "viewer")

    def confirm(self, ticket: ConfirmTicket) -> str:
        """A customer person's confirmation link."""
        data = {
            "plan": ticket.plan_id,
            "email": ticket.email.casefold(),
            "generation": str(ticket.generation),
        }
        if ticket.shown_to:
            data["shown"] = ticket.shown_to.casefold()
        token = self._seal(Purpose.CONFIRM, **data, expires=ticket.expires.isoformat())
        return f"{self.base_url}/confirm/{token}"

    def confirming(self, token: str, now: datetime) -> ConfirmTicket:
        """What a confirmation link says; LinkExpiredError once its time is up."""
        try:
            data = self.sealer.unseal(Purpose.CONFIRM.value, token, LIFETIME_SECONDS[Purpose.CONFIRM])
        except InputError as exc:
            raise LinkInvalidError(
                "this is not a confirmation link mutualplan made: ask the seller for yours"
            ) from exc
        try:
            ticket = ConfirmTicket(
                str(data["plan"]),
                str(data["email"]),
                int(data["generation"]),
                datetime.fromisoformat(data["expires"]),
                str(data.get("shown", "")),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise LinkInvalidError(
                "this is not a confirmation link mutualplan made: ask the seller for yours"
            ) from exc
        if ticket.expires <= now:
            raise LinkExpiredError("this confirmation link has expired: ask the seller for a new one")
        return ticket

    def plan_invite(self, plan_id: str) -> str:
        """A plan's link with no identity in it, to paste into a chat: it opens a page where a person types
        their address, and a customer person's own link is mailed to it."""
        return f"{self.base_url}/join/{self._seal(Purpose.PLAN_INVITE, plan=plan_id)}"

    def invited_plan(self, token: str) -> str:
        """The plan a plan link is for; LinkInvalidError for a link we did not make."""
        try:
            return self._open(Purpose.PLAN_INVITE, token, "plan")
        except InputError as exc:
            raise LinkInvalidError("this is not a plan link mutualplan made: ask the seller for it") from exc

    def form_token(self, link_token: str) -> str:
        """The confirmation page's anti-forgery token: a POST must bring back the one its page was given."""
        return self._seal(Purpose.CONFIRM_FORM, link=_digest(link_token))

    def check_form_token(self, form_token: str, link_token: str) -> None:
        """Refuse a POST whose form token is missing, forged, old, or made for another link's page."""
        try:
            bound = self._open(Purpose.CONFIRM_FORM, form_token, "link") if form_token else ""
        except InputError as exc:
            raise LinkRefusedError(FORM_REFUSED) from exc
        if bound != _digest(link_token):
            raise LinkRefusedError(FORM_REFUSED)

    @property
    def oauth_callback(self) -> str:
        """Where Google sends the seller back after consent."""
        return f"{self.base_url}/oauth/callback"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
