"""HubSpot through hubspot-api-client: a seller's session (their OAuth access token, refreshed on 401) or
a deployment's private-app token. A 429 is retried once at once by urllib3's Retry; one still refused
goes back to the queue, which waits what HubSpot asked (Retry-After) and tries the unit again.

Every method is one request but contacts (a deal's associations, then the contacts): a read of many deals
is one batch read, a write of many one batch update (100 deals a request)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import hubspot.crm.contacts
import hubspot.crm.deals
import hubspot.crm.owners
import hubspot.crm.properties
import requests
from hubspot import HubSpot
from hubspot.crm.contacts import BatchReadInputSimplePublicObjectId as ContactsRead
from hubspot.crm.contacts import SimplePublicObjectId as ContactId
from hubspot.crm.deals import (
    BatchInputSimplePublicObjectBatchInput,
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInput,
    SimplePublicObjectId,
    SimplePublicObjectInput,
)
from hubspot.crm.properties import BatchInputPropertyCreate, OptionInput, PropertyCreate, PropertyGroupCreate
from urllib3.exceptions import HTTPError
from urllib3.util.retry import Retry

from mutualplan.adapters.crm.oauth import TIMEOUT_SECONDS, OAuthApp, retry_after
from mutualplan.app.crm_ports import CrmConnection, CrmGrant
from mutualplan.config import Config
from mutualplan.errors import CrmError, CrmRevokedError
from mutualplan.plan.crm import HUBSPOT_NEXT_STEP, OWNED_FIELDS, CrmContact, CrmDeal, FieldType
from mutualplan.plan.crm.fields import HUBSPOT_GROUP, HUBSPOT_TYPES, STATUSES

API_HOST = "https://api.hubapi.com"
BATCH_SIZE = 100  # HubSpot's batch endpoints take at most 100 inputs
SCOPE = " ".join(
    (
        "oauth",
        "crm.objects.deals.read",
        "crm.objects.deals.write",
        "crm.objects.contacts.read",
        "crm.objects.owners.read",
        "crm.schemas.deals.read",
        "crm.schemas.deals.write",
    )
)
READ = ["dealname", "closedate", "dealstage", "hs_forecast_category", HUBSPOT_NEXT_STEP]
WRITTEN = [item.hubspot for item in OWNED_FIELDS] + [HUBSPOT_NEXT_STEP]
T = TypeVar("T")
# What a call can fail with: each generated API's own ApiException, and no answer at all (urllib3).
API_ERRORS = (
    hubspot.crm.contacts.ApiException, hubspot.crm.deals.ApiException, hubspot.crm.owners.ApiException,
    hubspot.crm.properties.ApiException, HTTPError,
)  # fmt: skip


def hubspot_app(
    client_id: str, client_secret: str, session: requests.Session, host: str = API_HOST
) -> OAuthApp:
    """A deployment's public app (authorization code with PKCE)."""
    return OAuthApp(
        "HubSpot", "https://app.hubspot.com/oauth/authorize", f"{host}/oauth/v1/token",
        client_id, client_secret, SCOPE, session,
    )  # fmt: skip


@dataclass(frozen=True)
class HubSpotSignIn:
    """HubSpot's OAuth with PKCE; the seller's owner id found by the address the token is for
    (app.crm_ports.CrmSignIn)."""

    app: OAuthApp
    host: str

    def consent_url(self, state: str, challenge: str, redirect_uri: str) -> str:
        """Where a seller signs in to their portal."""
        return self.app.consent_url(state, challenge, redirect_uri)

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> CrmGrant:
        """The refresh token, and the seller's owner id."""
        answer = self.app.exchange(code, verifier, redirect_uri)
        access, refresh = str(answer["access_token"]), answer.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            raise CrmError("HubSpot sent no refresh token: connect again")
        info = self.app.session.get(f"{self.host}/oauth/v1/access-tokens/{access}", timeout=TIMEOUT_SECONDS)
        user = info.json().get("user", "") if info.ok else ""
        if not user:
            raise CrmError("HubSpot did not say who signed in: connect again", info.status_code)
        return CrmGrant(
            refresh, "", HubSpotCrm(lambda: access, "", self.host, refreshes=False).owner_of(user)
        )


def hubspot_session(
    config: Config,
    connection: CrmConnection,
    refresh_token: str,
    session: requests.Session,
    host: str = API_HOST,
) -> HubSpotCrm:
    """A seller's session: their refresh token's, or the private app's token."""
    token = config.hubspot_private_app_token
    if token:
        return HubSpotCrm(lambda: token, connection.user_id, host, refreshes=False)
    app = hubspot_app(config.hubspot_client_id, config.hubspot_client_secret, session, host)
    return HubSpotCrm(lambda: str(app.refresh(refresh_token)["access_token"]), connection.user_id, host)


def quick_retry() -> Retry:
    """urllib3's Retry: one more try at once on a 429 (writes set values, so a repeat is harmless);
    a second 429 is answered to the caller, for the queue to wait it out."""
    return Retry(
        total=1,
        status_forcelist=(429,),
        allowed_methods=None,
        respect_retry_after_header=False,
        raise_on_status=False,
    )


class HubSpotCrm:
    """One seller's session with their HubSpot portal (app.crm_ports.CrmClient)."""

    def __init__(
        self, access_token: Callable[[], str], owner_id: str, host: str = API_HOST, refreshes: bool = True
    ) -> None:
        self._access_token = access_token  # a new access token (a refresh), or the private app's
        self._owner_id = owner_id
        self._host = host
        self._refreshes = refreshes
        self._client: HubSpot | None = None

    def _call(self, call: Callable[[HubSpot], T]) -> T:
        """One call, with a fresh access token once when HubSpot says it expired; failures as CrmError."""
        for attempt in (1, 2):
            if self._client is None:
                self._client = HubSpot(
                    access_token=self._access_token(), retry=quick_retry(), host=self._host
                )
            try:
                return call(self._client)
            except API_ERRORS as exc:
                status = int(getattr(exc, "status", 0) or 0)
                if status == 401 and self._refreshes and attempt == 1:
                    self._client = None
                    continue
                raise _failure(exc, status) from exc
        raise AssertionError("unreachable: the second attempt returns or raises")

    def read(self, ids: Sequence[str]) -> dict[str, CrmDeal]:
        """The deals, in one batch read."""
        wanted = [record_id for record_id in ids if record_id.isdigit()]
        if not wanted:
            return {}
        body = BatchReadInputSimplePublicObjectId(
            properties=READ + WRITTEN[:-1],
            inputs=[SimplePublicObjectId(id=record_id) for record_id in wanted],
            properties_with_history=[],
        )
        found = self._call(lambda api: api.crm.deals.batch_api.read(body))
        return {deal.id: _deal(deal.id, deal.properties or {}) for deal in found.results}

    def write(self, changes: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
        """One update for one deal, else one batch update per 100."""
        if len(changes) == 1:
            ((record_id, fields),) = changes.items()
            body = SimplePublicObjectInput(properties={name: str(value) for name, value in fields.items()})
            self._call(lambda api: api.crm.deals.basic_api.update(record_id, body))
            return {record_id: ""}
        items = list(changes.items())
        for start in range(0, len(items), BATCH_SIZE):
            inputs = [
                SimplePublicObjectBatchInput(
                    id=record_id, properties={name: str(value) for name, value in fields.items()}
                )
                for record_id, fields in items[start : start + BATCH_SIZE]
            ]
            self._update_batch(BatchInputSimplePublicObjectBatchInput(inputs=inputs))
        return dict.fromkeys(changes, "")

    def _update_batch(self, batch: BatchInputSimplePublicObjectBatchInput) -> None:
        self._call(lambda api: api.crm.deals.batch_api.update(batch))

    def set_close_date(self, record_id: str, day: date) -> None:
        """The close date, on the seller's click."""
        body = SimplePublicObjectInput(properties={"closedate": day.isoformat()})
        self._call(lambda api: api.crm.deals.basic_api.update(record_id, body))

    def search(self, text: str) -> list[CrmDeal]:
        """The seller's own open deals whose name holds the text."""
        mine = [
            Filter(property_name="hubspot_owner_id", operator="EQ", value=self._owner_id),
            Filter(property_name="hs_is_closed", operator="EQ", value="false"),
        ]
        body = PublicObjectSearchRequest(
            query=text,
            filter_groups=[FilterGroup(filters=mine)],
            properties=READ[:-1],
            limit=20,
            sorts=[],
            after="0",
        )
        found = self._call(lambda api: api.crm.deals.search_api.do_search(body))
        return [_deal(deal.id, deal.properties or {}) for deal in found.results]

    def contacts(self, record_id: str) -> list[CrmContact]:
        """The deal's associated contacts: its associations, then the contacts in one batch read."""
        deal = self._call(lambda api: api.crm.deals.basic_api.get_by_id(record_id, associations=["contacts"]))
        linked = (deal.associations or {}).get("contacts")
        ids = [item.id for item in (linked.results if linked else [])]
        if not ids:
            return []
        body = ContactsRead(
            properties=["firstname", "lastname", "email", "jobtitle"],
            inputs=[ContactId(id=each) for each in ids],
            properties_with_history=[],
        )
        found = self._call(lambda api: api.crm.contacts.batch_api.read(body))
        people = []
        for contact in found.results:
            said = contact.properties or {}
            name = " ".join(part for part in (said.get("firstname"), said.get("lastname")) if part)
            people.append(CrmContact(name, str(said.get("email") or ""), str(said.get("jobtitle") or "")))
        return people

    def owner_of(self, email: str) -> str:
        """The HubSpot owner id of a user, by their address ("" when HubSpot has none)."""
        found = self._call(lambda api: api.crm.owners.owners_api.get_page(email=email, limit=1))
        return str(found.results[0].id) if found.results else ""

    def missing_fields(self) -> list[tuple[str, str]]:
        """The owned deal properties the portal lacks, each with its type and field type."""
        found = self._call(lambda api: api.crm.properties.core_api.get_all("deals"))
        names = {item.name for item in found.results}
        return [
            (item.hubspot, str(HUBSPOT_TYPES[item.kind]))
            for item in OWNED_FIELDS
            if item.hubspot not in names
        ]

    def set_up(self) -> list[str]:
        """The `mutualplan` property group and the owned properties it lacks, created: their names."""
        missing = {name for name, _ in self.missing_fields()}
        if not missing:
            return []
        group = PropertyGroupCreate(
            name=HUBSPOT_GROUP, label="mutualplan (Mutual Action Plan)", display_order=-1
        )
        try:
            self._call(lambda api: api.crm.properties.groups_api.create("deals", group))
        except CrmError as exc:
            if exc.status != 409:  # the group is there already
                raise
        made = [
            _property(item.hubspot, item.label, item.kind, item.help)
            for item in OWNED_FIELDS
            if item.hubspot in missing
        ]
        self._call(
            lambda api: api.crm.properties.batch_api.create("deals", BatchInputPropertyCreate(inputs=made))
        )
        return [item.name for item in made]


def _property(name: str, label: str, kind: FieldType, help: str) -> PropertyCreate:
    type_, field_type = HUBSPOT_TYPES[kind]
    options: list[OptionInput] = []
    if kind is FieldType.STATUS:
        options = [
            OptionInput(label=status.capitalize(), value=status, display_order=at, hidden=False)
            for at, status in enumerate(STATUSES)
        ]
    elif kind is FieldType.YES_NO:
        options = [
            OptionInput(label=said, value=value, display_order=at, hidden=False)
            for at, (said, value) in enumerate((("Yes", "true"), ("No", "false")))
        ]
    return PropertyCreate(
        name=name,
        label=label,
        type=type_,
        field_type=field_type,
        group_name=HUBSPOT_GROUP,
        description=f"Written by mutualplan: {help}.",
        options=options,
    )


def _failure(exc: Exception, status: int) -> CrmError:
    body = getattr(exc, "body", None)
    code = ""
    if isinstance(body, str | bytes):
        try:
            said = json.loads(body)
        except ValueError:
            said = {}
        if isinstance(said, dict):
            code = str(said.get("category") or said.get("status") or "")
    headers = getattr(exc, "headers", None) or {}
    if status == 401:
        return CrmRevokedError("HubSpot no longer takes the sign-in: connect again", 401, code)
    wait = retry_after(headers.get("Retry-After")) if status == 429 else 0.0
    return CrmError(f"HubSpot refused it ({status or 'no answer'} {code})".rstrip(), status, code, wait)


def _deal(record_id: str, said: Mapping[str, Any]) -> CrmDeal:
    close = said.get("closedate")
    return CrmDeal(
        str(record_id), str(said.get("dealname") or ""),
        date.fromisoformat(close[:10]) if isinstance(close, str) and close else None,
        str(said.get("hs_forecast_category") or ""), str(said.get("dealstage") or ""),
        {name: said[name] for name in WRITTEN if name in said},
    )  # fmt: skip
