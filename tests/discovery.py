"""Request bodies checked against the discovery documents shipped inside google-api-python-client."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import googleapiclient

Json = dict[str, Any]


@cache
def discovery(name: str) -> Json:
    """A shipped discovery document, such as "sheets.v4" or "drive.v3"."""
    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    document: Json = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return document


def schema_errors(value: Any, schema: Json, document: str, path: str = "$") -> list[str]:
    """Where a JSON value breaks a discovery schema: unknown fields, wrong types, values off an enum."""
    if "$ref" in schema:
        return schema_errors(value, discovery(document)["schemas"][schema["$ref"]], document, path)
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        errors = []
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], document, f"{path}.{key}")
            elif extra is not None:
                errors += schema_errors(item, extra, document, f"{path}.{key}")
            else:
                errors.append(f"{path}: unknown field '{key}'")
        return errors
    if kind == "array":
        if not isinstance(value, list):
            return [f"{path}: expected an array"]
        return [
            error
            for index, item in enumerate(value)
            for error in schema_errors(item, schema["items"], document, f"{path}[{index}]")
        ]
    checks: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: (
            isinstance(v, str) or (schema.get("format") in ("int64", "uint64") and isinstance(v, int))
        ),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "any": lambda v: True,
    }
    if kind in checks and not checks[kind](value):
        return [f"{path}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} is not one of {schema['enum']}"]
    return []


def methods(document: str) -> list[Json]:
    """Every method of a discovery document, resources nested included."""
    found: list[Json] = []

    def walk(resources: Json) -> None:
        for resource in resources.values():
            found.extend(resource.get("methods", {}).values())
            walk(resource.get("resources", {}))

    walk(discovery(document).get("resources", {}))
    return found


def method_of(document: str, method: str, uri: str) -> Json | None:
    """The discovery method a request is a call of; None when no method answers it."""
    doc = discovery(document)
    path = urlparse(uri).path.removeprefix(urlparse(doc["rootUrl"]).path).removeprefix(doc["servicePath"])
    for candidate in methods(document):
        if candidate["httpMethod"] == method and _matches(candidate["path"], path):
            return candidate
    return None


def body_errors(document: str, method: str, uri: str, body: str | bytes | None) -> list[str]:
    """Where a request sent to a discovery API breaks its method's request schema."""
    found = method_of(document, method, uri)
    if found is None:
        return [f"no {document} method answers {method} {urlparse(uri).path}"]
    if "request" not in found:
        return [] if not body else [f"{found['id']} takes no body"]
    return schema_errors(json.loads(body or "{}"), found["request"], document)


def query_errors(document: str, method: str, uri: str) -> list[str]:
    """Where a request's query parameters break its method's (or the API's common) parameters: unknown
    names, values off an enum, booleans that are not true or false."""
    found = method_of(document, method, uri)
    if found is None:
        return [f"no {document} method answers {method} {urlparse(uri).path}"]
    known = {**discovery(document).get("parameters", {}), **found.get("parameters", {})}
    errors = []
    for name, values in parse_qs(urlparse(uri).query).items():
        spec = known.get(name)
        if spec is None or spec.get("location") == "path":
            errors.append(f"{found['id']}: unknown query parameter '{name}'")
            continue
        for value in values:
            if "enum" in spec and value not in spec["enum"]:
                errors.append(f"{found['id']}: {name}={value} is not one of {spec['enum']}")
            if spec.get("type") == "boolean" and value not in ("true", "false"):
                errors.append(f"{found['id']}: {name}={value} is not a boolean")
    return errors


def _matches(template: str, path: str) -> bool:
    """A path against a discovery path template: {name} is one segment, {+name} any (a resource name)."""
    pattern = "".join(
        ("(.+)" if piece.startswith("{+") else "([^/]+)") if piece.startswith("{") else re.escape(piece)
        for piece in re.split(r"(\{[^}]+\})", template)
    )
    return re.fullmatch(pattern, path) is not None
