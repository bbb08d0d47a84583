"""Salesforce through simple-salesforce: a seller's session with their org, refreshed on an expired
session (401 INVALID_SESSION_ID), or an integration user's through the JWT bearer flow.

Every method is one request, refreshes aside: a read of many opportunities is one SOQL query, a write of
many one sObject Collections PATCH (composite/sobjects, 200 records a call)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast
from urllib.parse import urlparse

import requests
from simple_salesforce.api import Salesforce, SFType
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
)
from simple_salesforce.format import format_soql

from mutualplan.adapters.crm.oauth import OAuthApp, retry_after
from mutualplan.app.crm_ports import CrmConnection, CrmGrant
from mutualplan.config import CRM_TOKEN, Config
from mutualplan.errors import CrmError, CrmRevokedError, InputError
from mutualplan.plan.crm import OWNED_FIELDS, SALESFORCE_NEXT_STEP, CrmContact, CrmDeal
from mutualplan.plan.crm.fields import SALESFORCE_TYPES

API_VERSION = "61.0"
COLLECTION_SIZE = 200  # sObject Collections take at most 200 records a request
SCOPE = "api refresh_token"
READ = ["Id", "Name", "Account.Name", "CloseDate", "StageName", "ForecastCategoryName", SALESFORCE_NEXT_STEP]
WRITTEN = [item.salesforce for item in OWNED_FIELDS] + [SALESFORCE_NEXT_STEP]
ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
T = TypeVar("T")


LOGIN_URL = "https://login.salesforce.com"


def salesforce_app(login_url: str, client_id: str, client_secret: str, session: requests.Session) -> OAuthApp:
    """A deployment's connected app (the web-server flow with PKCE)."""
    base = login_url.rstrip("/")
    return OAuthApp(
        "Salesforce", f"{base}/services/oauth2/authorize", f"{base}/services/oauth2/token",
        client_id, client_secret, SCOPE, session,
    )  # fmt: skip


@dataclass(frozen=True)
class SalesforceSignIn:
    """Salesforce's web-server flow with PKCE (app.crm_ports.CrmSignIn)."""

    app: OAuthApp

    def consent_url(self, state: str, challenge: str, redirect_uri: str) -> str:
        """Where a seller signs in to their org."""
        return self.app.consent_url(state, challenge, redirect_uri)

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> CrmGrant:
        """The refresh token, the org's URL, and the user's id (the token answer's `id` URL ends in it)."""
        answer = self.app.exchange(code, verifier, redirect_uri)
        refresh = answer.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            raise CrmError("Salesforce sent no refresh token: the connected app must offer refresh_token")
        user = str(answer.get("id", "")).rsplit("/", 1)[-1]
        return CrmGrant(refresh, str(answer.get("instance_url", "")), user)


def salesforce_session(config: Config, connection: CrmConnection, refresh_token: str) -> SalesforceCrm:
    """A seller's session: their refresh token's, or the integration user's (JWT bearer flow), over an HTTP
    session of its own (it hears each answer's Retry-After: a shared one would pile up listeners)."""
    login, session = config.salesforce_login_url or LOGIN_URL, requests.Session()
    if config.crm_mode("salesforce") == CRM_TOKEN:
        domain = (urlparse(login).hostname or "login.salesforce.com").removesuffix(".salesforce.com")

        def integration_user() -> Salesforce:
            return Salesforce(
                username=config.salesforce_jwt_user, consumer_key=config.salesforce_client_id,
                privatekey_file=config.salesforce_jwt_key, domain=domain, version=API_VERSION,
                session=session,
            )  # fmt: skip

        return SalesforceCrm(integration_user, connection.user_id, session)
    app = salesforce_app(login, config.salesforce_client_id, config.salesforce_client_secret, session)

    def signed_in() -> Salesforce:
        answer = app.refresh(refresh_token)
        instance = str(answer.get("instance_url") or connection.instance_url)
        return Salesforce(
            instance_url=instance,
            session_id=str(answer["access_token"]),
            version=API_VERSION,
            session=session,
        )

    return SalesforceCrm(signed_in, connection.user_id, session)


class SalesforceCrm:
    """One seller's session with their Salesforce org (app.crm_ports.CrmClient)."""

    def __init__(self, connect: Callable[[], Salesforce], owner_id: str, session: requests.Session) -> None:
        self._connect = connect  # a new session: a refresh, or the JWT bearer flow
        self._owner_id = owner_id
        self._session = session
        self._api: Salesforce | None = None
        self._retry_after: str | None = None
        session.hooks["response"].append(self._heard)

    def _heard(self, answer: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._retry_after = answer.headers.get("Retry-After")

    def _call(self, call: Callable[[Salesforce], T]) -> T:
        """One call, signed in again once when the session has expired; failures as CrmError."""
        for attempt in (1, 2):
            try:
                if self._api is None:
                    self._api = self._connect()
                return call(self._api)
            except SalesforceExpiredSession as exc:
                self._api = None
                if attempt == 2:
                    raise CrmRevokedError("Salesforce refused a fresh session: connect again", 401) from exc
            except SalesforceAuthenticationFailed as exc:  # the JWT bearer flow refused
                raise CrmRevokedError(f"Salesforce refused the integration user ({exc})", 400) from exc
            except SalesforceError as exc:
                raise self._failure(exc) from exc
            except requests.RequestException as exc:
                raise CrmError(f"Salesforce did not answer: {type(exc).__name__}") from exc
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _failure(self, exc: SalesforceError) -> CrmError:
        said: Any = exc.content[0] if isinstance(exc.content, list) and exc.content else {}
        code = str(said.get("errorCode", "")) if isinstance(said, dict) else ""
        message = str(said.get("message", "")) if isinstance(said, dict) else ""
        wait = retry_after(self._retry_after) if exc.status in (429, 503) else 0.0
        return CrmError(
            f"Salesforce refused it ({exc.status} {code}): {message}".rstrip(": "), exc.status, code, wait
        )

    def read(self, ids: Sequence[str]) -> dict[str, CrmDeal]:
        """The opportunities, in one SOQL query."""
        wanted = [record_id for record_id in ids if ID.match(record_id)]
        if not wanted:
            return {}
        soql = format_soql(
            f"SELECT {', '.join(READ + WRITTEN[:-1])} FROM Opportunity WHERE Id IN {{}}", wanted
        )
        found = self._call(lambda api: api.query(soql))
        deals = [_deal(row) for row in found.get("records", [])]
        return {deal.id[:15]: deal for deal in deals} | {deal.id: deal for deal in deals}

    def write(self, changes: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
        """One PATCH for one opportunity, else one sObject Collections PATCH per 200."""
        if len(changes) == 1:
            ((record_id, fields),) = changes.items()
            self._call(lambda api: _opportunities(api).update(record_id, dict(fields)))
            return {record_id: ""}
        refused: dict[str, str] = {}
        items = list(changes.items())
        for start in range(0, len(items), COLLECTION_SIZE):
            records = [
                {"attributes": {"type": "Opportunity"}, "id": record_id, **fields}
                for record_id, fields in items[start : start + COLLECTION_SIZE]
            ]
            body = {"allOrNone": False, "records": records}
            answers = self._update_collection(body)
            for (record_id, _), answer in zip(
                items[start : start + COLLECTION_SIZE], answers or [], strict=False
            ):
                errors = answer.get("errors") or []
                refused[record_id] = "; ".join(f"{e.get('statusCode')}: {e.get('message')}" for e in errors)
        return refused

    def _update_collection(self, body: Mapping[str, Any]) -> list[dict[str, Any]]:
        answers = self._call(lambda api: api.restful("composite/sobjects", method="PATCH", json=body))
        return answers if isinstance(answers, list) else []

    def set_close_date(self, record_id: str, day: date) -> None:
        """The close date, on the seller's click."""
        self._call(lambda api: _opportunities(api).update(record_id, {"CloseDate": day.isoformat()}))

    def search(self, text: str) -> list[CrmDeal]:
        """The seller's own open opportunities whose name or account holds the text."""
        soql = format_soql(
            "SELECT Id, Name, Account.Name, CloseDate, StageName, ForecastCategoryName FROM Opportunity "
            "WHERE IsClosed = false AND OwnerId = {} AND (Name LIKE '%{:like}%' OR Account.Name LIKE "
            "'%{:like}%') ORDER BY CloseDate LIMIT 20",
            self._owner_id, text, text,
        )  # fmt: skip
        return [_deal(row) for row in self._call(lambda api: api.query(soql)).get("records", [])]

    def contacts(self, record_id: str) -> list[CrmContact]:
        """The opportunity's contact roles."""
        soql = format_soql(
            "SELECT Role, Contact.Name, Contact.Email, Contact.Title FROM OpportunityContactRole "
            "WHERE OpportunityId = {}",
            record_id,
        )
        found = self._call(lambda api: api.query(soql)).get("records", [])
        return [
            CrmContact(
                str(contact.get("Name") or ""),
                str(contact.get("Email") or ""),
                str(row.get("Role") or contact.get("Title") or ""),
            )
            for row in found
            if isinstance(contact := row.get("Contact"), dict)
        ]

    def owner_of(self, email: str) -> str:
        """The Salesforce user id of an active user, by their address ("" when the org has none)."""
        soql = format_soql("SELECT Id FROM User WHERE Email = {} AND IsActive = true LIMIT 1", email)
        found = self._call(lambda api: api.query(soql)).get("records", [])
        return str(found[0]["Id"]) if found else ""

    def missing_fields(self) -> list[tuple[str, str]]:
        """The owned fields the Opportunity describe lacks, each with its Setup type."""
        described = self._call(lambda api: _opportunities(api).describe())
        names = {field["name"] for field in described.get("fields", [])}
        return [
            (item.salesforce, SALESFORCE_TYPES[item.kind])
            for item in OWNED_FIELDS
            if item.salesforce not in names
        ]

    def set_up(self) -> list[str]:
        """Salesforce's fields are made in Setup, by an administrator: say which."""
        missing = self.missing_fields()
        if missing:
            listed = ", ".join(f"{name} ({kind})" for name, kind in missing)
            raise InputError(
                f"Create these Opportunity fields in Salesforce Setup → Object Manager: {listed}"
            )
        return []


def _opportunities(api: Salesforce) -> SFType:
    """The Opportunity object's REST resource (simple-salesforce makes one per attribute read)."""
    return cast(SFType, api.Opportunity)


def _deal(row: Mapping[str, Any]) -> CrmDeal:
    account = row.get("Account")
    close = row.get("CloseDate")
    return CrmDeal(
        str(row.get("Id", "")), str(row.get("Name") or ""),
        date.fromisoformat(close) if isinstance(close, str) else None,
        str(row.get("ForecastCategoryName") or ""), str(row.get("StageName") or ""),
        {name: row[name] for name in WRITTEN if name in row},
        str(account.get("Name") or "") if isinstance(account, dict) else "",
    )  # fmt: skip
