"""Templates as data: steps and typical risks dated relative to the go-live or the signature.

template_of() checks one template's data (as tomllib reads it); the dates are
computed by expand() in mutualplan.plan.dates.stamp.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mutualplan.errors import InputError
from mutualplan.plan.sheet.text import value_key
from mutualplan.plan.sheet.vocabulary import Track


class TemplateError(InputError):
    """A template file breaks the template schema; the message says where and how."""


class Anchor(StrEnum):
    """The date a template row is dated from."""

    GO_LIVE = "go-live"
    SIGNATURE = "signature"


class Unit(StrEnum):
    """Calendar days, business days (Monday to Friday) or weeks."""

    DAYS = "d"
    BUSINESS_DAYS = "bd"
    WEEKS = "w"


_OFFSET = re.compile(r"^([+-]?)(\d{1,3})(bd|d|w)$")


@dataclass(frozen=True, slots=True)
class Offset:
    """A signed distance in days, business days or weeks: "-13w", "+5bd", "0d"."""

    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Offset:
        """The offset written as text; ValueError says what a good one looks like."""
        match = _OFFSET.match(text.strip().casefold())
        if not match:
            raise ValueError(f"'{text}' is not an offset: write -13w, -5bd, +2w or 0d")
        sign = -1 if match.group(1) == "-" else 1
        return cls(sign * int(match.group(2)), Unit(match.group(3)))

    def from_day(self, day: date) -> date:
        """The day this far from another; a calendar result on a weekend moves to the Friday before."""
        if self.unit is Unit.BUSINESS_DAYS:
            return add_business_days(day, self.amount)
        days = self.amount * 7 if self.unit is Unit.WEEKS else self.amount
        return previous_weekday(day + timedelta(days=days))

    def before(self, day: date) -> date:
        """The day this far before another (a duration counted back from a due date)."""
        return Offset(-self.amount, self.unit).from_day(day)


def previous_weekday(day: date) -> date:
    """The day itself on a weekday, else the Friday before."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def add_business_days(day: date, count: int) -> date:
    """Count Monday-to-Friday days forward (or back, when negative) from a day."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return previous_weekday(day)  # a count of 0 from a weekend


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """One step of a template: what, who by role, and when relative to an anchor."""

    key: str
    track: Track
    step: str
    customer_role: str
    vendor_role: str
    when: Offset
    anchor: Anchor
    duration: Offset
    evidence: str
    gate: bool
    depends_on: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TemplateRisk:
    """A risk this kind of deal typically meets: who mitigates it (a role), how, and by when."""

    risk: str
    owner_role: str
    mitigation: str
    when: Offset
    anchor: Anchor


@dataclass(frozen=True, slots=True)
class Template:
    """A MAP template: its name, what it is for, its target signature, its rows and its typical risks."""

    name: str
    title: str
    description: str
    signature: Offset
    rows: tuple[TemplateRow, ...]
    risks: tuple[TemplateRisk, ...] = ()


TEMPLATE_KEYS = frozenset({"title", "description", "signature", "rows", "risks"})
RISK_KEYS = frozenset({"risk", "owner", "mitigation", "when", "anchor"})
ROW_KEYS = frozenset((
    "key", "track", "step", "customer_owner", "vendor_owner", "when", "anchor", "duration", "evidence",
    "gate", "depends_on",
))  # fmt: skip
REQUIRED_ROW_KEYS = ("key", "track", "step", "when", "duration", "evidence")


def template_of(name: str, data: Mapping[str, object]) -> Template:
    """A template from its data, or a TemplateError naming the file's first mistake."""
    where = f"template {name}"
    _no_unknown_keys(data, TEMPLATE_KEYS, where)
    rows_data = data.get("rows")
    if not isinstance(rows_data, list) or not rows_data:
        raise TemplateError(f"{where}: no [[rows]] — a template lists its steps as [[rows]] tables")
    rows = tuple(_row_of(item, f"{where}, row {number}") for number, item in enumerate(rows_data, 1))
    _check_dependencies(rows, where)
    risks_data = data.get("risks", [])
    if not isinstance(risks_data, list):
        raise TemplateError(f"{where}: risks are [[risks]] tables ({', '.join(sorted(RISK_KEYS))})")
    return Template(
        name=name,
        title=_text(data, "title", where),
        description=_text(data, "description", where),
        signature=_offset(_text(data, "signature", where), f"{where}: signature"),
        rows=rows,
        risks=tuple(_risk_of(item, f"{where}, risk {number}") for number, item in enumerate(risks_data, 1)),
    )


def _risk_of(item: object, where: str) -> TemplateRisk:
    if not isinstance(item, Mapping):
        raise TemplateError(f"{where}: a risk is a table of keys ({', '.join(sorted(RISK_KEYS))})")
    _no_unknown_keys(item, RISK_KEYS, where)
    return TemplateRisk(
        risk=_text(item, "risk", where),
        owner_role=_text(item, "owner", where),
        mitigation=_text(item, "mitigation", where),
        when=_offset(_text(item, "when", where), f"{where}: when"),
        anchor=_anchor(_text(item, "anchor", where, Anchor.GO_LIVE.value), where),
    )


def _anchor(text: str, where: str) -> Anchor:
    if text not in {anchor.value for anchor in Anchor}:
        raise TemplateError(f"{where}: anchor '{text}' is not go-live or signature")
    return Anchor(text)


def _row_of(item: object, where: str) -> TemplateRow:
    if not isinstance(item, Mapping):
        raise TemplateError(f"{where}: a row is a table of keys ({', '.join(sorted(ROW_KEYS))})")
    _no_unknown_keys(item, ROW_KEYS, where)
    for key in REQUIRED_ROW_KEYS:
        if key not in item:
            raise TemplateError(f"{where}: '{key}' is missing")
    where = f"{where} ({item['key']})"
    track = {value_key(track.value): track for track in Track}.get(value_key(_text(item, "track", where)))
    if track is None:
        raise TemplateError(
            f"{where}: track '{item['track']}' is not one of {', '.join(track.value for track in Track)}"
        )
    customer_role, vendor_role = (_text(item, key, where, "") for key in ("customer_owner", "vendor_owner"))
    if not (customer_role or vendor_role):
        raise TemplateError(
            f"{where}: name an owner role on at least one side (customer_owner, vendor_owner)"
        )
    gate = item.get("gate", False)
    if not isinstance(gate, bool):
        raise TemplateError(f"{where}: gate is true or false")
    depends_on = item.get("depends_on", [])
    if not isinstance(depends_on, list) or not all(isinstance(key, str) for key in depends_on):
        raise TemplateError(f'{where}: depends_on is a list of row keys, such as ["kickoff"]')
    duration = _offset(_text(item, "duration", where), f"{where}: duration")
    if duration.amount < 0:
        raise TemplateError(f"{where}: duration {item['duration']} is negative — write it without a sign")
    return TemplateRow(
        key=_text(item, "key", where),
        track=track,
        step=_text(item, "step", where),
        customer_role=customer_role,
        vendor_role=vendor_role,
        when=_offset(_text(item, "when", where), f"{where}: when"),
        anchor=_anchor(_text(item, "anchor", where, Anchor.GO_LIVE.value), where),
        duration=duration,
        evidence=_text(item, "evidence", where),
        gate=gate,
        depends_on=tuple(depends_on),
    )


def role_slot(role: str) -> str | None:
    """An owner role as a placeholder, "[Champion]", which validation flags until a name replaces it."""
    return f"[{role}]" if role else None


def _check_dependencies(rows: Sequence[TemplateRow], where: str) -> None:
    """Every dependency names an earlier row; a cycle is named as one."""
    position = {}
    for index, row in enumerate(rows):
        if row.key in position:
            raise TemplateError(f"{where}: two rows have the key '{row.key}' — keys are unique")
        position[row.key] = index
    graph = {row.key: row.depends_on for row in rows}
    for row in rows:
        for key in row.depends_on:
            if key not in position:
                raise TemplateError(f"{where}: row {row.key} depends on '{key}', which is no row's key")
    cycle = _cycle(graph)
    if cycle:
        raise TemplateError(f"{where}: dependency cycle {' → '.join(cycle)} — a step can't wait for itself")
    for row in rows:
        for key in row.depends_on:
            if position[key] > position[row.key]:
                raise TemplateError(
                    f"{where}: row {row.key} depends on the later row {key} — list {key} first"
                )


def _cycle(graph: Mapping[str, Sequence[str]]) -> list[str]:
    """A dependency cycle as the keys around it, or [] when there is none."""
    done: set[str] = set()

    def visit(key: str, path: list[str]) -> list[str]:
        if key in path:
            return [*path[path.index(key) :], key]
        if key in done:
            return []
        for target in graph.get(key, ()):
            found = visit(target, [*path, key])
            if found:
                return found
        done.add(key)
        return []

    for key in graph:
        found = visit(key, [])
        if found:
            return found
    return []


def _no_unknown_keys(data: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise TemplateError(
            f"{where}: unknown key {', '.join(repr(key) for key in unknown)} — "
            f"the keys are {', '.join(sorted(allowed))}"
        )


def _text(data: Mapping[str, object], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None:
        raise TemplateError(f"{where}: '{key}' is missing")
    if not isinstance(value, str):
        raise TemplateError(f"{where}: '{key}' is text — put it in quotes")
    return value.strip()


def _offset(text: str, where: str) -> Offset:
    try:
        return Offset.parse(text)
    except ValueError as exc:
        raise TemplateError(f"{where}: {exc}") from exc
