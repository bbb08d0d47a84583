"""A fake HubSpot portal served on loopback, so that hubspot-api-client's own HTTP stack (urllib3, its
Retry included) talks to it as to HubSpot. Every request body is read back through the client's own
generated models (deserialized, then serialized again: a key the model lacks, or a value of the wrong
type, does not survive), and refused as HubSpot refuses it: an unknown property (PROPERTY_DOESNT_EXIST),
an expired access token (401), a revoked refresh token (BAD_REFRESH_TOKEN), and, when told to, 429 with
Retry-After. OAuth checks PKCE: a code is exchanged only with the verifier of the consent's challenge."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import hubspot.crm.contacts
import hubspot.crm.deals
import hubspot.crm.properties
from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler, make_server

from mutualplan.plan.crm import OWNED_FIELDS

NOW = "2026-12-07T08:00:00.000Z"
STANDARD_PROPERTIES = (
    "dealname", "closedate", "dealstage", "amount", "hs_forecast_category", "hs_next_step",
    "hubspot_owner_id", "hs_is_closed",
)  # fmt: skip


class _Body:
    """A request body as the client's deserializer takes a response."""

    def __init__(self, data: bytes) -> None:
        self.data = data


def through_model(package: Any, model: str, body: Any) -> bool:
    """Whether a body is exactly what the client's model of that name makes of it."""
    client = package.ApiClient()
    try:
        made = client.deserialize(_Body(json.dumps(body).encode()), model)
    except (ValueError, TypeError):
        return False
    return bool(client.sanitize_for_serialization(made) == body)


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class FakeHubSpot:
    """The portal: its owners, deals, contacts and properties, and every request it was sent."""

    owners: dict[str, str] = field(default_factory=dict)  # email → owner id
    deals: dict[str, dict[str, str]] = field(default_factory=dict)
    contacts: dict[str, dict[str, str]] = field(default_factory=dict)
    deal_contacts: dict[str, list[str]] = field(default_factory=dict)
    properties: set[str] = field(
        default_factory=lambda: {*STANDARD_PROPERTIES, *(item.hubspot for item in OWNED_FIELDS)}
    )
    groups: set[str] = field(default_factory=set)
    calls: list[tuple[str, str]] = field(default_factory=list)
    writes: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)  # properties created, as posted
    refreshes: int = 0
    limited: int = 0  # answer this many API requests with 429
    retry_after: int = 30
    host: str = ""
    private_tokens: set[str] = field(default_factory=set)  # private apps' access tokens, which never expire
    _codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (email, challenge)
    _refresh: dict[str, str] = field(default_factory=dict)  # refresh token → email
    _revoked: set[str] = field(default_factory=set)
    _access: dict[str, str] = field(default_factory=dict)  # access token → email

    def add_deal(self, deal_id: str, name: str, owner_email: str, **values: str) -> None:
        self.deals[deal_id] = {
            "dealname": name, "hubspot_owner_id": self.owners[owner_email], "hs_is_closed": "false",
            "dealstage": "appointmentscheduled", "hs_forecast_category": "PIPELINE", "amount": "120000",
            **values,
        }  # fmt: skip

    def consent(self, consent_url: str, email: str) -> tuple[str, str]:
        query = {key: values[0] for key, values in parse_qs(urlparse(consent_url).query).items()}
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self._codes[code] = (email, query["code_challenge"])
        return code, query["state"]

    def expire_tokens(self) -> None:
        self._access.clear()

    def revoke(self, email: str) -> None:
        self._revoked |= {token for token, who in self._refresh.items() if who == email}

    def api_calls(self, method: str = "") -> list[tuple[str, str]]:
        return [call for call in self.calls if not method or call[0] == method]

    def app(self) -> Flask:
        app = Flask(__name__)

        @app.post("/oauth/v1/token")
        def token() -> Response:
            form = request.form
            if form.get("grant_type") == "authorization_code":
                found = self._codes.pop(form.get("code", ""), None)
                if found is None or challenge_of(form.get("code_verifier", "")) != found[1]:
                    return _json(400, {"status": "BAD_AUTH_CODE", "message": "missing or unknown auth code"})
                refresh = secrets.token_urlsafe(24)
                self._refresh[refresh] = found[0]
                return _json(200, {**self._session(found[0]), "refresh_token": refresh})
            if form.get("grant_type") == "refresh_token":
                self.refreshes += 1
                refresh = form.get("refresh_token", "")
                if refresh not in self._refresh or refresh in self._revoked:
                    return _json(
                        400, {"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown refresh token"}
                    )
                return _json(200, {**self._session(self._refresh[refresh]), "refresh_token": refresh})
            return _json(400, {"status": "BAD_GRANT_TYPE", "message": "unknown grant type"})

        @app.get("/oauth/v1/access-tokens/<token>")
        def token_info(token: str) -> Response:
            if token not in self._access:
                return _json(404, {"status": "error", "message": "token not found"})
            return _json(
                200, {"token": token, "user": self._access[token], "hub_id": 4242, "user_id": 7, "app_id": 1}
            )

        @app.before_request
        def counted() -> Response | None:
            if request.path.startswith("/oauth/"):
                return None
            self.calls.append((request.method, request.path))
            bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if bearer not in self._access and bearer not in self.private_tokens:
                return _json(
                    401,
                    {
                        "status": "error",
                        "message": "The OAuth token used to make this call expired",
                        "category": "EXPIRED_AUTHENTICATION",
                    },
                )
            if self.limited:
                self.limited -= 1
                answer = _json(
                    429,
                    {
                        "status": "error",
                        "message": "You have reached your secondly limit.",
                        "category": "RATE_LIMITS",
                    },
                )
                answer.headers["Retry-After"] = str(self.retry_after)
                return answer
            return None

        @app.get("/crm/v3/owners/")
        def owners() -> Response:
            email = request.args.get("email", "")
            found = [
                {
                    "id": owner,
                    "email": address,
                    "firstName": "",
                    "lastName": "",
                    "archived": False,
                    "createdAt": NOW,
                    "updatedAt": NOW,
                }
                for address, owner in self.owners.items()
                if address == email
            ]
            return _json(200, {"results": found})

        @app.post("/crm/v3/objects/deals/batch/read")
        def read() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.deals, "BatchReadInputSimplePublicObjectId", body):
                return _invalid("the batch read's body")
            results = [
                self._deal(item["id"], body["properties"])
                for item in body["inputs"]
                if item["id"] in self.deals
            ]
            return _json(
                200, {"status": "COMPLETE", "results": results, "startedAt": NOW, "completedAt": NOW}
            )

        @app.patch("/crm/v3/objects/deals/<deal_id>")
        def update(deal_id: str) -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.deals, "SimplePublicObjectInput", body):
                return _invalid("the update's body")
            refused = self._write(deal_id, body["properties"])
            return refused or _json(200, self._deal(deal_id, list(body["properties"])))

        @app.post("/crm/v3/objects/deals/batch/update")
        def batch_update() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.deals, "BatchInputSimplePublicObjectBatchInput", body):
                return _invalid("the batch update's body")
            for item in body["inputs"]:
                unknown = [name for name in item["properties"] if name not in self.properties]
                if unknown:
                    return _unknown_property(unknown[0])
            for item in body["inputs"]:
                self._write(item["id"], item["properties"])
            results = [self._deal(item["id"], list(item["properties"])) for item in body["inputs"]]
            return _json(
                200, {"status": "COMPLETE", "results": results, "startedAt": NOW, "completedAt": NOW}
            )

        @app.post("/crm/v3/objects/deals/search")
        def search() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.deals, "PublicObjectSearchRequest", body):
                return _invalid("the search's body")
            wanted = {each["propertyName"]: each["value"] for each in body["filterGroups"][0]["filters"]}
            found = [
                self._deal(deal_id, body["properties"]) for deal_id, deal in self.deals.items()
                if all(deal.get(name) == value for name, value in wanted.items())
                and body["query"].casefold() in deal["dealname"].casefold()
            ]  # fmt: skip
            return _json(200, {"total": len(found), "results": found})

        @app.get("/crm/v3/objects/deals/<deal_id>")
        def deal(deal_id: str) -> Response:
            if deal_id not in self.deals:
                return _json(
                    404, {"status": "error", "message": "Object not found", "category": "OBJECT_NOT_FOUND"}
                )
            found = self._deal(deal_id, [])
            linked = [{"id": each, "type": "deal_to_contact"} for each in self.deal_contacts.get(deal_id, [])]
            return _json(200, {**found, "associations": {"contacts": {"results": linked}}})

        @app.post("/crm/v3/objects/contacts/batch/read")
        def contacts() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.contacts, "BatchReadInputSimplePublicObjectId", body):
                return _invalid("the contacts' batch read")
            results = [
                {
                    "id": item["id"], "properties": self.contacts[item["id"]], "createdAt": NOW,
                    "updatedAt": NOW, "archived": False,
                }
                for item in body["inputs"] if item["id"] in self.contacts
            ]  # fmt: skip
            return _json(
                200, {"status": "COMPLETE", "results": results, "startedAt": NOW, "completedAt": NOW}
            )

        @app.get("/crm/v3/properties/deals")
        def properties() -> Response:
            results = [
                {
                    "name": name,
                    "label": name,
                    "type": "string",
                    "fieldType": "text",
                    "description": "",
                    "groupName": "dealinformation",
                    "options": [],
                }
                for name in sorted(self.properties)
            ]
            return _json(200, {"results": results})

        @app.post("/crm/v3/properties/deals/groups")
        def group() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.properties, "PropertyGroupCreate", body):
                return _invalid("the group's body")
            if body["name"] in self.groups:
                return _json(
                    409, {"status": "error", "message": "group already exists", "category": "CONFLICT"}
                )
            self.groups.add(body["name"])
            return _json(
                201,
                {
                    "name": body["name"],
                    "label": body["label"],
                    "displayOrder": body["displayOrder"],
                    "archived": False,
                },
            )

        @app.post("/crm/v3/properties/deals/batch/create")
        def create() -> Response:
            body = request.get_json()
            if not through_model(hubspot.crm.properties, "BatchInputPropertyCreate", body):
                return _invalid("the properties' body")
            for item in body["inputs"]:
                if item["groupName"] not in self.groups:
                    return _json(
                        400,
                        {
                            "status": "error",
                            "message": f"group {item['groupName']} does not exist",
                            "category": "VALIDATION_ERROR",
                        },
                    )
            self.created += body["inputs"]
            self.properties |= {item["name"] for item in body["inputs"]}
            results = [
                {**item, "description": item.get("description", ""), "options": item.get("options", [])}
                for item in body["inputs"]
            ]
            return _json(
                201, {"status": "COMPLETE", "results": results, "startedAt": NOW, "completedAt": NOW}
            )

        return app

    def _session(self, email: str) -> dict[str, Any]:
        token = secrets.token_urlsafe(24)
        self._access[token] = email
        return {"access_token": token, "token_type": "bearer", "expires_in": 1800}

    def _deal(self, deal_id: str, names: list[str]) -> dict[str, Any]:
        said = self.deals[deal_id]
        shown = {name: said.get(name) for name in names if name in self.properties}
        return {"id": deal_id, "properties": shown, "createdAt": NOW, "updatedAt": NOW, "archived": False}

    def _write(self, deal_id: str, properties: dict[str, str]) -> Response | None:
        unknown = [name for name in properties if name not in self.properties]
        if unknown:
            return _unknown_property(unknown[0])
        if deal_id not in self.deals:
            return _json(
                404, {"status": "error", "message": "Object not found", "category": "OBJECT_NOT_FOUND"}
            )
        self.deals[deal_id].update(properties)
        self.writes.append((deal_id, dict(properties)))
        return None


def _json(status: int, body: Any) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")


def _invalid(what: str) -> Response:
    return _json(
        400, {"status": "error", "message": f"Invalid input JSON: {what}", "category": "VALIDATION_ERROR"}
    )


def _unknown_property(name: str) -> Response:
    said = {
        "status": "error", "message": f'Property values were not valid: Property "{name}" does not exist',
        "category": "VALIDATION_ERROR",
        "errors": [{"message": f'Property "{name}" does not exist', "code": "PROPERTY_DOESNT_EXIST"}],
    }  # fmt: skip
    return _json(400, said)


class _Quiet(WSGIRequestHandler):
    """The portal logs no request line: a test's log is its own."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serving(fake: FakeHubSpot) -> Iterator[FakeHubSpot]:
    """The fake portal on a loopback port of its own, for as long as the block runs."""
    server = make_server("127.0.0.1", 0, fake.app(), threaded=True, request_handler=_Quiet)
    fake.host = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join()
