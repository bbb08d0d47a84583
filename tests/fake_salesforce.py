"""A fake Salesforce org at the HTTP boundary (`responses`), answering in the REST API's documented shapes
and refusing what the real one refuses: a field the Opportunity lacks (INVALID_FIELD), a NextStep over
255 characters (STRING_TOO_LONG), an expired session (401 INVALID_SESSION_ID), a revoked refresh token
(400 invalid_grant), and, when told to, 429 with Retry-After. Its OAuth checks PKCE: a code is exchanged
only with the verifier whose S256 challenge the consent carried."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import responses
from requests import PreparedRequest

LOGIN = "https://login.salesforce.com"
INSTANCE = "https://vendor.my.salesforce.com"
ORG = "00D5g000004XYZaEAO"
API = f"{INSTANCE}/services/data/v61.0"
Answer = tuple[int, dict[str, str], str]

# The Opportunity describe's standard fields (names, types, lengths as Salesforce documents them), and
# mutualplan's custom ones an administrator made.
STANDARD_FIELDS = [
    {"name": "Id", "type": "id", "length": 18},
    {"name": "Name", "type": "string", "length": 120},
    {"name": "AccountId", "type": "reference", "length": 18},
    {"name": "CloseDate", "type": "date", "length": 0},
    {"name": "StageName", "type": "picklist", "length": 255},
    {"name": "Amount", "type": "currency", "length": 0},
    {"name": "ForecastCategoryName", "type": "picklist", "length": 40},
    {"name": "NextStep", "type": "string", "length": 255},
    {"name": "IsClosed", "type": "boolean", "length": 0},
    {"name": "OwnerId", "type": "reference", "length": 18},
]
CUSTOM_FIELDS = [
    ("MAP_URL__c", "url", 255), ("MAP_Status__c", "string", 20),
    ("MAP_Signature_Supported__c", "boolean", 0), ("MAP_Confirmation_Rate_30d__c", "percent", 0),
    ("MAP_Slips__c", "double", 0), ("MAP_Slip_Days__c", "double", 0),
    ("MAP_Next_Milestone__c", "string", 255), ("MAP_Next_Milestone_Date__c", "date", 0),
    ("MAP_Next_Milestone_Confirmed__c", "boolean", 0), ("MAP_Target_Signature__c", "date", 0),
    ("MAP_Go_Live__c", "date", 0), ("MAP_Last_Sync__c", "datetime", 0),
]  # fmt: skip


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class User:
    """A user of the org: their id, address, refresh token, and whether the org still takes it."""

    id: str
    email: str
    refresh_token: str = ""
    revoked: bool = False


@dataclass
class FakeSalesforce:
    """The org: its users, opportunities and contact roles, and every request it was sent."""

    users: dict[str, User] = field(default_factory=dict)
    opportunities: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_roles: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fields: list[dict[str, Any]] = field(
        default_factory=lambda: [
            *STANDARD_FIELDS,
            *({"name": n, "type": t, "length": n_} for n, t, n_ in CUSTOM_FIELDS),
        ]
    )
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every API request
    writes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (opportunity id, fields) written
    refreshes: int = 0
    limited: int = 0  # answer this many API requests with 429
    retry_after: int = 30
    limited_writes: int = 0  # answer this many writes (PATCH) with 429, reads going through
    jwt_key: bytes = b""  # the connected app's certificate's public key (PEM), for the JWT bearer flow
    expire_after: int | None = None  # every session expires once this many more API requests were answered
    _codes: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # code → (user, challenge, redirect)
    _sessions: dict[str, str] = field(default_factory=dict)  # access token → user id

    def add_user(self, user_id: str, email: str) -> User:
        self.users[user_id] = User(user_id, email)
        return self.users[user_id]

    def add_opportunity(self, opportunity_id: str, name: str, owner: str, **values: Any) -> None:
        self.opportunities[opportunity_id] = {
            "Id": opportunity_id, "Name": name, "OwnerId": owner, "IsClosed": False, "CloseDate": None,
            "StageName": "Qualification", "ForecastCategoryName": "Pipeline", "Amount": 120000.0,
            "NextStep": None,
            "Account": {"Name": values.pop("account", name)}, **values,
        }  # fmt: skip

    def consent(self, consent_url: str, user_id: str) -> tuple[str, str]:
        """The seller signs in and consents: the code and state the CRM sends back."""
        query = {key: values[0] for key, values in parse_qs(urlparse(consent_url).query).items()}
        assert query["code_challenge_method"] == "S256"
        assert query["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self._codes[code] = (user_id, query["code_challenge"], query["redirect_uri"])
        return code, query["state"]

    def expire_sessions(self) -> None:
        """Every access token stops working (a session timeout)."""
        self._sessions.clear()

    def revoke(self, user_id: str) -> None:
        """The user's refresh token no longer works (revoked by an administrator)."""
        self.users[user_id].revoked = True

    def api_calls(self, method: str = "") -> list[tuple[str, str]]:
        return [call for call in self.calls if not method or call[0] == method]

    def install(self, mock: responses.RequestsMock) -> None:
        """Answer the org's login and REST API through responses."""
        mock.add_callback(responses.POST, f"{LOGIN}/services/oauth2/token", callback=self._token)
        for method in (responses.GET, responses.PATCH, responses.POST):
            mock.add_callback(method, re.compile(re.escape(API) + r"/.*"), callback=self._api)

    def _token(self, request: PreparedRequest) -> Answer:
        form = {key: values[0] for key, values in parse_qs(str(request.body)).items()}
        if form.get("grant_type") == "authorization_code":
            found = self._codes.pop(form.get("code", ""), None)
            if (
                found is None
                or challenge_of(form.get("code_verifier", "")) != found[1]
                or form.get("redirect_uri") != found[2]
            ):
                return _json(400, {"error": "invalid_grant", "error_description": "authentication failure"})
            user = self.users[found[0]]
            user.refresh_token = secrets.token_urlsafe(24)
            return _json(200, {**self._session(user), "refresh_token": user.refresh_token})
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return self._jwt(form.get("assertion", ""))
        if form.get("grant_type") == "refresh_token":
            self.refreshes += 1
            holder = next(
                (
                    u
                    for u in self.users.values()
                    if u.refresh_token and u.refresh_token == form.get("refresh_token")
                ),
                None,
            )
            if holder is None or holder.revoked:
                return _json(
                    400, {"error": "invalid_grant", "error_description": "expired access/refresh token"}
                )
            return _json(200, self._session(holder))
        return _json(
            400, {"error": "unsupported_grant_type", "error_description": "grant type not supported"}
        )

    def _jwt(self, assertion: str) -> Answer:
        """The JWT bearer flow: an assertion signed with the connected app's key, naming a user."""
        try:
            claims = jwt.decode(assertion, self.jwt_key, algorithms=["RS256"], audience=LOGIN)
        except jwt.PyJWTError:
            return _json(400, {"error": "invalid_grant", "error_description": "invalid assertion"})
        user = next((user for user in self.users.values() if user.email == claims.get("sub")), None)
        if user is None:
            return _json(
                400, {"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}
            )
        return _json(200, self._session(user))

    def _session(self, user: User) -> dict[str, str]:
        token = secrets.token_urlsafe(24)
        self._sessions[token] = user.id
        return {
            "access_token": token, "instance_url": INSTANCE, "id": f"{LOGIN}/id/{ORG}/{user.id}",
            "token_type": "Bearer", "issued_at": "1733558400000", "signature": "c2lnbmF0dXJl",
        }  # fmt: skip

    def _api(self, request: PreparedRequest) -> Answer:
        url = urlparse(str(request.url))
        path = url.path.removeprefix(urlparse(API).path)
        self.calls.append((str(request.method), path))
        token = str(request.headers.get("Authorization", "")).removeprefix("Bearer ")
        if self.expire_after is not None:
            self.expire_after -= 1
            if self.expire_after < 0:
                self.expire_after = None
                self._sessions.clear()
        if token not in self._sessions:
            return _json(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
        writing = request.method == "PATCH"
        if self.limited or (writing and self.limited_writes):
            if self.limited:
                self.limited -= 1
            else:
                self.limited_writes -= 1
            return (
                429,
                {"Retry-After": str(self.retry_after)},
                json.dumps([{"message": "Too many requests", "errorCode": "REQUEST_LIMIT_EXCEEDED"}]),
            )
        if request.method == "GET" and path == "/query/":
            return self._query(parse_qs(url.query)["q"][0])
        if request.method == "GET" and path == "/sobjects/Opportunity/describe":
            return _json(200, {"name": "Opportunity", "fields": self.fields})
        body = json.loads(request.body or b"{}")
        if request.method == "PATCH" and path.startswith("/sobjects/Opportunity/"):
            refused = self._write(path.rsplit("/", 1)[1], body)
            return (400, {}, json.dumps([refused])) if refused else (204, {}, "")
        if request.method == "PATCH" and path == "/composite/sobjects":
            answers = []
            for record in body["records"]:
                assert record["attributes"] == {"type": "Opportunity"}
                fields = {key: value for key, value in record.items() if key not in {"attributes", "id"}}
                refused = self._write(record["id"], fields)
                # sObject Collections name the code statusCode, where a single record's answer says errorCode
                errors = [{**refused, "statusCode": refused.pop("errorCode")}] if refused else []
                answers.append({"id": record["id"], "success": not refused, "errors": errors})
            return _json(200, answers)
        return _json(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])

    def _write(self, opportunity_id: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
        known = {item["name"]: item for item in self.fields}
        for name, value in fields.items():
            if name not in known:
                return {
                    "errorCode": "INVALID_FIELD",
                    "message": f"No such column '{name}' on sobject of type Opportunity",
                    "fields": [],
                }
            length = known[name]["length"]
            if known[name]["type"] in {"string", "url"} and isinstance(value, str) and len(value) > length:
                return {
                    "errorCode": "STRING_TOO_LONG",
                    "message": f"{name}: data value too large",
                    "fields": [name],
                }
        if opportunity_id not in self.opportunities:
            return {"errorCode": "ENTITY_IS_DELETED", "message": "entity is deleted", "fields": []}
        self.opportunities[opportunity_id].update(fields)
        self.writes.append((opportunity_id, dict(fields)))
        return None

    def _query(self, soql: str) -> Answer:
        selected = [name.strip() for name in re.match(r"SELECT (.*?) FROM", soql).group(1).split(",")]  # type: ignore[union-attr]
        known = {item["name"] for item in self.fields} | {"Account.Name"}
        if "FROM Opportunity " in soql:
            unknown = [name for name in selected if name not in known]
            if unknown:
                return _json(
                    400,
                    [
                        {
                            "errorCode": "INVALID_FIELD",
                            "message": f"No such column '{unknown[0]}' on entity 'Opportunity'",
                        }
                    ],
                )
            rows = self._opportunities(soql)
            records = [
                {
                    "attributes": {"type": "Opportunity"},
                    **{name.split(".")[0]: row.get(name.split(".")[0]) for name in selected},
                }
                for row in rows
            ]
            return _json(200, {"totalSize": len(records), "done": True, "records": records})
        if "FROM OpportunityContactRole" in soql:
            (opportunity_id,) = re.findall(r"OpportunityId = '(\w+)'", soql)
            roles = self.contact_roles.get(opportunity_id, [])
            records = [
                {
                    "attributes": {"type": "OpportunityContactRole"},
                    "Role": role["Role"],
                    "Contact": {"attributes": {"type": "Contact"}, **role["Contact"]},
                }
                for role in roles
            ]
            return _json(200, {"totalSize": len(records), "done": True, "records": records})
        if "FROM User" in soql:
            (email,) = re.findall(r"Email = '([^']+)'", soql)
            records = [
                {"attributes": {"type": "User"}, "Id": user.id}
                for user in self.users.values()
                if user.email == email
            ]
            return _json(200, {"totalSize": len(records), "done": True, "records": records})
        return _json(400, [{"errorCode": "MALFORMED_QUERY", "message": "unexpected query"}])

    def _opportunities(self, soql: str) -> list[dict[str, Any]]:
        if " WHERE Id IN " in soql:
            ids = re.findall(r"'(\w+)'", soql.split(" WHERE Id IN ", 1)[1])
            return [row for key, row in self.opportunities.items() if key in ids or key[:15] in ids]
        owner = re.findall(r"OwnerId = '(\w+)'", soql)[0]
        words = [word.replace("\\%", "%").strip("%") for word in re.findall(r"LIKE '([^']*)'", soql)]
        return [
            row for row in self.opportunities.values()
            if row["OwnerId"] == owner and not row["IsClosed"]
            and any(word.casefold() in f"{row['Name']} {row['Account']['Name']}".casefold() for word in words)
        ]  # fmt: skip


def _json(status: int, body: Any) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(body)
