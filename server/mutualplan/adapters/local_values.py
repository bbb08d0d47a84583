"""Typed values, validations and table specs as the local workspace stores them in SQLite text."""

from __future__ import annotations

import json
from datetime import date

from mutualplan.plan.sheet.layout import ColumnSpec, Kind, TableSpec, Value


def encode(value: Value) -> tuple[str | None, str]:
    raw = value.value
    if raw is None or raw == "":
        return None, value.kind.value
    if isinstance(raw, bool):
        return ("TRUE" if raw else "FALSE"), Kind.BOOL.value
    if isinstance(raw, date):
        return raw.isoformat(), Kind.DATE.value
    if isinstance(raw, int | float):
        return repr(raw), Kind.NUMBER.value
    return raw, value.kind.value


def decode(stored: str | None, kind: str) -> Value:
    parsed_kind = Kind(kind)
    if stored is None:
        return Value(parsed_kind, None)
    if parsed_kind is Kind.BOOL:
        return Value(parsed_kind, stored == "TRUE")
    if parsed_kind is Kind.DATE:
        return Value(parsed_kind, date.fromisoformat(stored))
    if parsed_kind is Kind.NUMBER:
        number = float(stored)
        return Value(parsed_kind, int(number) if number.is_integer() and "." not in stored else number)
    return Value(parsed_kind, stored)


def validations(table: TableSpec | None, height: int) -> dict[tuple[int, int], str]:
    """Each table cell's validation: a dropdown's options, a checkbox or a date."""
    if table is None:
        return {}
    rules = {}
    for col, spec in enumerate(table.columns):
        rule = "list:" + "|".join(spec.options) if spec.options else _KIND_RULES.get(spec.kind)
        if rule:
            rules.update({(row, col): rule for row in range(table.header_row + 1, height)})
    return rules


_KIND_RULES = {Kind.BOOL: "checkbox", Kind.DATE: "date"}


def table_to_json(table: TableSpec) -> str:
    return json.dumps(
        {
            "name": table.name,
            "header_row": table.header_row,
            "columns": [[spec.name, spec.kind.value, list(spec.options)] for spec in table.columns],
        }
    )


def table_from_json(text: str) -> TableSpec:
    data = json.loads(text)
    columns = tuple(ColumnSpec(name, Kind(kind), tuple(options)) for name, kind, options in data["columns"])
    return TableSpec(data["name"], data["header_row"], columns)
