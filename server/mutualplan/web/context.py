"""What the web layer works with: the services bootstrap wired, found on the current app."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, request

from mutualplan.app.services import Services


def services() -> Services:
    """The current app's services."""
    found: Services = current_app.extensions["mutualplan"]
    return found


def json_body() -> dict[str, Any]:
    """The request's JSON object ({} without a body); a 400 that says so when it can't be read (too deep,
    a number past Python's digit limit, not JSON, not an object)."""
    data = request.get_data(as_text=True)
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        abort(400, "the request body is not JSON mutualplan can read: send one JSON object")
    if not isinstance(body, dict):
        abort(400, "the request body is not a JSON object")
    return body
