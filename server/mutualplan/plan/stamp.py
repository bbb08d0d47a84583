"""Stamping a plan: a template expanded backward from the go-live, laid out as the sheet contract's tabs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mutualplan.plan.dates import format_day
from mutualplan.plan.layout import (
    BLANK_VALUE,
    LOG_TAB,
    MAP_TAB,
    STAKEHOLDERS_TAB,
    ColumnSpec,
    Kind,
    TabLayout,
    TableSpec,
    Value,
)
from mutualplan.plan.template import Anchor, Template, TemplateError, TemplateRow
from mutualplan.plan.vocabulary import Column, HeadField, Status, Track

PLAN_TABLE = "Plan"
PLAN_COLUMNS = (
    ColumnSpec(Column.ID, Kind.TEXT),
    ColumnSpec(Column.TRACK, Kind.TEXT, tuple(track.value for track in Track)),
    ColumnSpec(Column.STEP, Kind.TEXT),
    ColumnSpec(Column.CUSTOMER_OWNER, Kind.PERSON),
    ColumnSpec(Column.VENDOR_OWNER, Kind.PERSON),
    ColumnSpec(Column.START, Kind.DATE),
    ColumnSpec(Column.DUE, Kind.DATE),
    ColumnSpec(Column.EVIDENCE, Kind.TEXT),
    ColumnSpec(Column.STATUS, Kind.TEXT, tuple(status.value for status in Status)),
    ColumnSpec(Column.GATE, Kind.BOOL),
    ColumnSpec(Column.DEPENDS_ON, Kind.TEXT),
    ColumnSpec(Column.CONFIRMED, Kind.BOOL),
    ColumnSpec(Column.CONFIRMED_BY, Kind.PERSON),
    ColumnSpec(Column.NOTES, Kind.TEXT),
    ColumnSpec(Column.CHECK, Kind.TEXT),
)
STAKEHOLDER_COLUMNS = ("Name", "Email", "Side", "Role")
LOG_COLUMNS = ("When", "Who", "Row", "Event", "Old", "New", "Trust")


@dataclass(frozen=True, slots=True)
class Deal:
    """What the seller tells about the deal when stamping."""

    go_live: date
    deal: str = ""
    customer: str = ""
    customer_domain: str = ""
    owner: str = ""  # the plan owner's email (the seller)
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class StampedRow:
    """One template row with its ID and dates."""

    id: str
    source: TemplateRow
    start: date
    due: date
    depends_on: tuple[str, ...]


def expand(template: Template, deal: Deal, today: date) -> tuple[StampedRow, ...]:
    """The template's rows dated backward from the go-live; a TemplateError when that is too soon."""
    signature = template.signature.from_day(deal.go_live)
    ids = {row.key: f"M{number:02d}" for number, row in enumerate(template.rows, 1)}
    stamped = []
    for row in template.rows:
        anchor = signature if row.anchor is Anchor.SIGNATURE else deal.go_live
        due = row.when.from_day(anchor)
        stamped.append(
            StampedRow(
                id=ids[row.key],
                source=row,
                start=row.duration.before(due),
                due=due,
                depends_on=tuple(ids[key] for key in row.depends_on),
            )
        )
    first_start = min(row.start for row in stamped)
    if first_start < today:
        soonest = deal.go_live + (today - first_start)
        raise TemplateError(
            f"go-live {format_day(deal.go_live)} is too soon for the {template.name} template: its first "
            f"step would start {format_day(first_start)}, before today. Choose a go-live on or after "
            f"{format_day(soonest)}, or a shorter template"
        )
    return tuple(stamped)


def layouts(template: Template, deal: Deal, today: date) -> tuple[TabLayout, ...]:
    """The MAP, Stakeholders and Log tabs of a plan stamped from a template."""
    rows = expand(template, deal, today)
    return _map_tab(template, deal, rows), _stakeholders_tab(template, deal), log_layout()


def log_layout(title: str = LOG_TAB) -> TabLayout:
    """The Log tab: a header row, protected so only the plan owner edits it."""
    return TabLayout(title, (tuple(Value.of(name) for name in LOG_COLUMNS),), frozen_rows=1, protected=True)


def _map_tab(template: Template, deal: Deal, rows: tuple[StampedRow, ...]) -> TabLayout:
    signature = template.signature.from_day(deal.go_live)
    deadline = template.external_deadline.from_day(deal.go_live) if template.external_deadline else None
    vendor_domain = deal.owner.rpartition("@")[2] if "@" in deal.owner else ""
    head: list[tuple[HeadField, Value]] = [
        (HeadField.DEAL, Value.of(deal.deal)),
        (HeadField.CUSTOMER, Value.of(deal.customer)),
        (HeadField.CUSTOMER_DOMAIN, Value.of(deal.customer_domain)),
        (HeadField.VENDOR_DOMAIN, Value.of(vendor_domain)),
        (HeadField.OUTCOME, Value.of(deal.outcome)),
        (HeadField.GO_LIVE, Value.of(deal.go_live)),
        (HeadField.EXTERNAL_DEADLINE, Value.of(deadline) if deadline else BLANK_VALUE),
        (HeadField.TARGET_SIGNATURE, Value.of(signature)),
        (HeadField.SIGNED_OFF_BY, Value(Kind.PERSON, None)),
        (HeadField.SIGNED_OFF_ON, Value(Kind.DATE, None)),
    ]
    table_rows = [tuple(Value.of(spec.name) for spec in PLAN_COLUMNS)]
    table_rows.extend(_plan_row(row) for row in rows)
    header_row = len(head) + 1
    return TabLayout(
        title=MAP_TAB,
        rows=(*((Value.of(name.value), value) for name, value in head), (), *table_rows),
        table=TableSpec(PLAN_TABLE, header_row, PLAN_COLUMNS),
        frozen_rows=header_row + 1,
    )


def _plan_row(row: StampedRow) -> tuple[Value, ...]:
    source = row.source
    values: dict[str, str | date | bool | None] = {
        Column.ID: row.id,
        Column.TRACK: source.track.value,
        Column.STEP: source.step,
        Column.CUSTOMER_OWNER: _role(source.customer_role),
        Column.VENDOR_OWNER: _role(source.vendor_role),
        Column.START: row.start,
        Column.DUE: row.due,
        Column.EVIDENCE: source.evidence,
        Column.STATUS: Status.NOT_STARTED.value,
        Column.GATE: source.gate,
        Column.DEPENDS_ON: ", ".join(row.depends_on),
        Column.CONFIRMED: False,
    }
    return tuple(
        Value.of(values[spec.name], spec.kind) if spec.name in values else Value(spec.kind, None)
        for spec in PLAN_COLUMNS
    )


def _role(role: str) -> str | None:
    """An owner role as a placeholder, "[Champion]", which validation flags until a name replaces it."""
    return f"[{role}]" if role else None


def _stakeholders_tab(template: Template, deal: Deal) -> TabLayout:
    roles = {
        (side, role): None
        for row in template.rows
        for side, role in (("Customer", row.customer_role), ("Vendor", row.vendor_role))
        if role
    }
    rows = [tuple(Value.of(name) for name in STAKEHOLDER_COLUMNS)]
    if deal.owner:
        rows.append((Value.of(""), Value.of(deal.owner), Value.of("Vendor"), Value.of("Plan owner")))
    rows.extend((BLANK_VALUE, BLANK_VALUE, Value.of(side), Value.of(role)) for side, role in roles)
    return TabLayout(STAKEHOLDERS_TAB, tuple(rows), frozen_rows=1)
