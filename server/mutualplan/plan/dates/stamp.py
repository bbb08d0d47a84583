"""Stamping a plan: a template expanded backward from the go-live, laid out as the sheet contract's tabs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from mutualplan.plan.dates.reading import format_day
from mutualplan.plan.dates.template import Anchor, Template, TemplateRow, role_slot
from mutualplan.plan.people.parties import Party
from mutualplan.plan.sheet.layout import (
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
from mutualplan.plan.sheet.risks import DatedRisk, risks_layout
from mutualplan.plan.sheet.vocabulary import Column, HeadField, Status, Track

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
COMPRESSED = "Compressed to fit the go-live"  # how a compressed row's Notes begin


@dataclass(frozen=True, slots=True)
class Deal:
    """What the seller tells about the deal when stamping."""

    go_live: date
    deal: str = ""
    customer: str = ""
    customer_domain: str = ""
    owner: str = ""  # the plan owner's email (the seller)
    outcome: str = ""
    done_before_today: bool = False  # a plan started mid-deal: the steps already past are Done
    external_deadline: date | None = None  # the driver behind the go-live, as the customer says it
    people: Mapping[str, Party] = field(default_factory=dict)  # role → the person named for it up front

    def owner_for(self, role: str) -> str | None:
        """Who owns a role's steps: the person named up front, else the role as a placeholder."""
        named = self.people.get(role.casefold())
        return f"{named.name} <{named.email}>" if named else role_slot(role)


@dataclass(frozen=True, slots=True)
class StampedRow:
    """One template row with its ID and dates."""

    id: str
    source: TemplateRow
    start: date
    due: date
    depends_on: tuple[str, ...]
    planned: tuple[date, date] | None = None  # the template's dates, when a short runway compressed them
    done: bool = False  # already past when a mid-deal plan was stamped


def runway_note(short_by: int, planned: tuple[date, date]) -> str:
    """What a compressed row's Notes say, for P-RUNWAY-SHORT to find again."""
    return (
        f"{COMPRESSED} (runway short by {short_by} days): the template plans "
        f"{format_day(planned[0])} – {format_day(planned[1])}"
    )


@dataclass(frozen=True, slots=True)
class Squeeze:
    """A short runway's map: days from the first planned start to the go-live onto today to the go-live,
    in proportion (monotonic, so order and dependencies hold); the go-live and later days stay."""

    first: date
    today: date
    go_live: date

    def __call__(self, day: date) -> date:
        if day >= self.go_live:
            return day
        span = max((self.go_live - self.first).days, 1)
        room = max((self.go_live - self.today).days, 0)
        return self.today + timedelta(days=(day - self.first).days * room // span)


@dataclass(frozen=True, slots=True)
class Dated:
    """A template dated for a deal: its rows, its target signature, and how short the runway is."""

    rows: tuple[StampedRow, ...]
    signature: date
    short_by: int  # days before today the template would start the plan; 0 with room to spare
    risks: tuple[DatedRisk, ...] = ()


def dated(template: Template, deal: Deal, today: date) -> Dated:
    """The template dated backward from the go-live. A go-live closer than the template needs (a plan
    started mid-deal) is never refused: no step starts before today — the steps already past are Done,
    if the deal says so, or else squeezed with the signature between today and the go-live, each
    squeezed row keeping its planned dates."""
    signature, rows = _planned(template, deal)
    risks = tuple(
        DatedRisk(risk, risk.when.from_day(signature if risk.anchor is Anchor.SIGNATURE else deal.go_live))
        for risk in template.risks
    )
    first = min(row.start for row in rows)
    short_by = max(0, (today - first).days)
    if not short_by:
        return Dated(rows, signature, 0, risks)
    if deal.done_before_today:
        from_today = tuple(replace(risk, due=max(risk.due, today)) for risk in risks)
        return Dated(tuple(_done_or_from_today(row, today) for row in rows), signature, short_by, from_today)
    squeeze = Squeeze(first, today, deal.go_live)
    squeezed = tuple(replace(risk, due=squeeze(max(risk.due, first))) for risk in risks)
    return Dated(tuple(_squeezed(row, squeeze) for row in rows), squeeze(signature), short_by, squeezed)


def expand(template: Template, deal: Deal, today: date) -> tuple[StampedRow, ...]:
    """The template's rows dated for the deal (see dated)."""
    return dated(template, deal, today).rows


def _planned(template: Template, deal: Deal) -> tuple[date, tuple[StampedRow, ...]]:
    """The signature and the rows as the template dates them backward from the go-live."""
    signature = template.signature.from_day(deal.go_live)
    ids = {row.key: f"M{number:02d}" for number, row in enumerate(template.rows, 1)}
    rows = []
    for row in template.rows:
        anchor = signature if row.anchor is Anchor.SIGNATURE else deal.go_live
        due = row.when.from_day(anchor)
        rows.append(
            StampedRow(
                id=ids[row.key],
                source=row,
                start=row.duration.before(due),
                due=due,
                depends_on=tuple(ids[key] for key in row.depends_on),
            )
        )
    return signature, tuple(rows)


def _done_or_from_today(row: StampedRow, today: date) -> StampedRow:
    if row.due < today:
        return replace(row, done=True)
    return replace(row, start=max(row.start, today))


def _squeezed(row: StampedRow, squeeze: Squeeze) -> StampedRow:
    start, due = squeeze(row.start), squeeze(row.due)
    if (start, due) == (row.start, row.due):
        return row
    return replace(row, start=start, due=due, planned=(row.start, row.due))


def soonest_go_live(template: Template, today: date) -> date:
    """The first go-live the template fits from today with no step compressed."""

    def short_by(go_live: date) -> int:
        return dated(template, Deal(go_live), today).short_by

    go_live = today
    while short := short_by(go_live):  # jump ahead by the shortfall (weekends may leave a little)
        go_live += timedelta(days=short)
    while go_live > today and not short_by(go_live - timedelta(days=1)):  # back to the first that fits
        go_live -= timedelta(days=1)
    return go_live


def layouts(template: Template, deal: Deal, today: date) -> tuple[TabLayout, ...]:
    """The MAP, Stakeholders, Risks and Log tabs of a plan stamped from a template, in that order."""
    plan = dated(template, deal, today)
    return (_map_tab(deal, plan), _stakeholders_tab(template, deal), risks_layout(plan.risks), log_layout())


def log_layout(title: str = LOG_TAB) -> TabLayout:
    """The Log tab: a header row, protected so only the plan owner edits it."""
    return TabLayout(title, (tuple(Value.of(name) for name in LOG_COLUMNS),), frozen_rows=1, protected=True)


def _map_tab(deal: Deal, plan: Dated) -> TabLayout:
    deadline = deal.external_deadline
    vendor_domain = deal.owner.rpartition("@")[2] if "@" in deal.owner else ""
    head: list[tuple[HeadField, Value]] = [
        (HeadField.DEAL, Value.of(deal.deal)),
        (HeadField.CUSTOMER, Value.of(deal.customer)),
        (HeadField.CUSTOMER_DOMAIN, Value.of(deal.customer_domain)),
        (HeadField.VENDOR_DOMAIN, Value.of(vendor_domain)),
        (HeadField.OUTCOME, Value.of(deal.outcome)),
        (HeadField.GO_LIVE, Value.of(deal.go_live)),
        (HeadField.EXTERNAL_DEADLINE, Value.of(deadline) if deadline else BLANK_VALUE),
        (HeadField.TARGET_SIGNATURE, Value.of(plan.signature)),
        (HeadField.SIGNED_OFF_BY, Value(Kind.PERSON, None)),
        (HeadField.SIGNED_OFF_ON, Value(Kind.DATE, None)),
    ]
    table_rows = [tuple(Value.of(spec.name) for spec in PLAN_COLUMNS)]
    table_rows.extend(_plan_row(row, plan.short_by, deal) for row in plan.rows)
    header_row = len(head) + 1
    return TabLayout(
        title=MAP_TAB,
        rows=(*((Value.of(name.value), value) for name, value in head), (), *table_rows),
        table=TableSpec(PLAN_TABLE, header_row, PLAN_COLUMNS),
        frozen_rows=header_row + 1,
    )


def _plan_row(row: StampedRow, short_by: int, deal: Deal) -> tuple[Value, ...]:
    source = row.source
    values: dict[str, str | date | bool | None] = {
        Column.ID: row.id,
        Column.TRACK: source.track.value,
        Column.STEP: source.step,
        Column.CUSTOMER_OWNER: deal.owner_for(source.customer_role),
        Column.VENDOR_OWNER: deal.owner_for(source.vendor_role),
        Column.START: row.start,
        Column.DUE: row.due,
        Column.EVIDENCE: source.evidence,
        Column.STATUS: (Status.DONE if row.done else Status.NOT_STARTED).value,
        Column.GATE: source.gate,
        Column.DEPENDS_ON: ", ".join(row.depends_on),
        Column.CONFIRMED: False,
        Column.NOTES: runway_note(short_by, row.planned) if row.planned else None,
    }
    return tuple(
        Value.of(values[spec.name], spec.kind) if spec.name in values else Value(spec.kind, None)
        for spec in PLAN_COLUMNS
    )


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
    for side, role in roles:
        named = deal.people.get(role.casefold())
        name, email = (Value.of(named.name), Value.of(named.email)) if named else (BLANK_VALUE, BLANK_VALUE)
        rows.append((name, email, Value.of(side), Value.of(role)))
    return TabLayout(STAKEHOLDERS_TAB, tuple(rows), frozen_rows=1)
