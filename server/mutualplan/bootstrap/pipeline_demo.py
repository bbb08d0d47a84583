"""The sandbox's pipeline: five more deals of two sellers, each with twelve weeks of history made by real
edits week by week (each deal's week one sync) and scored each week as the weekly run scores it; the
manager both sellers share their pipelines with, and the manager's Pipeline spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from mutualplan.app.local import Typed, edit_cells, record_of, sheets_of, stamp_local_plan
from mutualplan.app.pipeline import keep_week_scores
from mutualplan.app.pipeline_weekly import refresh_sheet
from mutualplan.app.ports import LocalSheet
from mutualplan.app.records import AccountRecord, AccountStatus, PipelineSheet, PlanRecord, WorkbookKind
from mutualplan.app.sandbox import Sandbox
from mutualplan.app.services import Services
from mutualplan.bootstrap.demo import PEOPLE, SELLER
from mutualplan.plan.dates.stamp import Deal
from mutualplan.plan.people.parties import Party, read_people_text
from mutualplan.plan.sheet.model import Plan, PlanRow
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column, Status, Track

LEA = "lea@vendor.example"  # the second seller
MANAGER = "morgan@vendor.example"  # the sellers' manager: both share their pipelines with her
MANAGER_SHEET = "Pipeline for Morgan Blake"
VENDOR_SIGNATORY = "Rosa Diaz <rosa@vendor.example>"
HISTORY_WEEKS = 12
TEMPLATE = "enterprise-saas"
SILENT_FROM_WEEK = 4  # the silent buyer stops answering after this many weeks
SLIP_WEEK = 9  # the week the legal step slips past the signature
CUSTOMER_ROLES = (
    "Champion", "Technical evaluator", "Security owner", "Sourcing lead", "Customer counsel",
    "Economic buyer", "Signatory", "Project lead",
)  # fmt: skip
FIRST_NAMES = ("Alex", "Bea", "Chen", "Dara", "Emil", "Fay", "Gus", "Hana")


class Behaviour(StrEnum):
    """How a deal's customer behaves, week by week."""

    ENGAGED = "engaged"  # confirms every date within 45 days; the seller closes what is done
    SILENT = "silent"  # engaged for four weeks, then nothing from anyone
    LEGAL_SLIP = "legal slip"  # confirms the whole path to signature early; then the legal step slips past it
    HESITANT = "hesitant"  # confirms a date only days before it


AHEAD = {Behaviour.ENGAGED: 45, Behaviour.SILENT: 30, Behaviour.LEGAL_SLIP: 45, Behaviour.HESITANT: 7}


@dataclass(frozen=True, slots=True)
class Story:
    """One seeded deal: whose, with whom, how far out, and how its customer behaves."""

    customer: str
    deal: str
    owner: str
    domain: str
    weeks_to_go_live: int  # from the first week of its history
    behaviour: Behaviour
    single_threaded: bool = False  # one customer person owns every customer step

    def people(self) -> dict[str, Party]:
        """Who fills each role, by role in lower case: the customer's at its domain, the vendor's team."""
        named = {role.casefold(): f"{name} <{email}>" for role, (name, email) in PEOPLE.items()}
        named["account executive"] = f"{self.owner.split('@')[0].capitalize()} <{self.owner}>"
        named["vendor signatory"] = VENDOR_SIGNATORY  # the template's one role the worked example lacks
        for index, role in enumerate(CUSTOMER_ROLES):
            first = FIRST_NAMES[0 if self.single_threaded else index]
            named[role.casefold()] = f"{first} {self.customer.split()[0]} <{first.casefold()}@{self.domain}>"
        return {role: read_people_text(text)[0] for role, text in named.items()}

    @property
    def title(self) -> str:
        """The deal's name, as the spreadsheet list and the pipeline show it."""
        return f"{self.customer} — {self.deal}"

    @property
    def champion(self) -> Party:
        """The customer person who confirms the plan's dates."""
        return self.people()["champion"]


STORIES = (
    Story("Contoso", "Data platform", SELLER, "contoso.example", 24, Behaviour.ENGAGED),
    Story("Fabrikam", "Analytics rollout", LEA, "fabrikam.example", 23, Behaviour.SILENT),
    Story("Tailspin Toys", "Security suite", LEA, "tailspin.example", 25, Behaviour.LEGAL_SLIP),
    Story("Litware", "Pilot", SELLER, "litware.example", 24, Behaviour.ENGAGED, single_threaded=True),
    Story("Adatum", "Renewal", LEA, "adatum.example", 27, Behaviour.HESITANT),
)


def seed_pipeline(sandbox: Sandbox) -> None:
    """The five deals with their weeks of history, this week's score of every plan, the manager's shares
    and Pipeline spreadsheet. The clock goes back twelve weeks and comes back to now."""
    services = sandbox.services
    now = services.now()
    sheets = [
        sheets_of(services).create(story.title) for story in STORIES
    ]  # made now: listed after the example
    sandbox.move_clock(-timedelta(weeks=HISTORY_WEEKS))
    try:
        today = services.now().date()
        records = [
            _stamp(services, sheet, story, today) for sheet, story in zip(sheets, STORIES, strict=True)
        ]
        for week in range(HISTORY_WEEKS + 1):  # the last is this week, now
            today = services.now().date()
            for story, record in zip(STORIES, records, strict=True):
                _live_week(services, story, record, week, today)
            if week < HISTORY_WEEKS:
                _keep_scores(services, [record.id for record in records])
                sandbox.move_clock(timedelta(weeks=1))
    finally:
        sandbox.move_clock(now - services.now())
    _keep_scores(services, None)  # this week's, of every plan (the sample deal's too)
    store = services.store
    store.save_account(AccountRecord(LEA, None, AccountStatus.CONNECTED, now))
    for seller in (SELLER, LEA):
        store.share_pipeline(seller, MANAGER, now)
    sheet = sheets_of(services).create(MANAGER_SHEET)
    refresh_sheet(store, services.config, sheet, MANAGER, now)
    store.add_pipeline_sheet(PipelineSheet(sheet.spreadsheet_id, MANAGER, WorkbookKind.LOCAL, "UTC", now))


def _stamp(services: Services, sheet: LocalSheet, story: Story, today: date) -> PlanRecord:
    go_live = today + timedelta(weeks=story.weeks_to_go_live)
    deal = Deal(go_live, story.deal, story.customer, story.domain, story.owner, people=story.people())
    return stamp_local_plan(services, sheet, TEMPLATE, deal, today)


def _keep_scores(services: Services, plan_ids: list[str] | None) -> None:
    found = dict(services.store.plan_inputs(plan_ids))
    today = services.now().date()
    keep_week_scores(services.store, found, dict.fromkeys(found, today), services.now())


def _live_week(services: Services, story: Story, record: PlanRecord, week: int, today: date) -> None:
    """One week of a deal: what its customer and its seller type, synced once."""
    sheet, _ = record_of(services, record.id)
    plan = parse(sheet.read(record.tabs.map)).plan
    typed = list(_week_of(story, plan, week, today))
    if typed:
        edit_cells(services, record.id, typed)


def _week_of(story: Story, plan: Plan, week: int, today: date) -> Iterator[Typed]:
    behaviour = story.behaviour
    if behaviour is Behaviour.SILENT and week >= SILENT_FROM_WEEK:
        return
    open_rows = [row for row in plan.rows if not row.is_done and row.due.value]
    yield from (_done(plan, row, story.owner) for row in open_rows if row.due.value and row.due.value < today)
    ahead = AHEAD[behaviour]  # how many days ahead the customer confirms dates
    soon = [
        row for row in open_rows if row.due.value and today <= row.due.value <= today + timedelta(days=ahead)
    ]
    if behaviour is Behaviour.LEGAL_SLIP and week == 0:
        signature = next(row for row in plan.rows if row.is_signature)
        soon = [
            row
            for row in open_rows
            if row.due.value and signature.due.value and row.due.value <= signature.due.value
        ]
    for row in soon:
        if not row.confirmed:
            yield from _confirm(plan, row, story.champion)
    if behaviour is Behaviour.LEGAL_SLIP and week == SLIP_WEEK:
        yield _moved_past_signature(plan, story)


def _cell(plan: Plan, row: PlanRow, column: Column) -> str:
    name = plan.cell(row, column)
    assert name is not None, f"the {TEMPLATE} template has a {column.value} column"
    return name


def _done(plan: Plan, row: PlanRow, seller: str) -> Typed:
    return Typed(_cell(plan, row, Column.STATUS), Status.DONE.value, seller)


def _confirm(plan: Plan, row: PlanRow, champion: Party) -> Iterator[Typed]:
    email = champion.email or ""
    yield Typed(_cell(plan, row, Column.CONFIRMED_BY), f"{champion.name} <{email}>", email)
    yield Typed(_cell(plan, row, Column.CONFIRMED), "TRUE", email)


def _moved_past_signature(plan: Plan, story: Story) -> Typed:
    """Customer counsel moves the legal step two weeks past the signature: its confirmation is void."""
    legal = next(row for row in plan.rows if row.track is Track.LEGAL)
    signature = next(row for row in plan.rows if row.is_signature)
    assert signature.due.value is not None
    counsel = story.people()["customer counsel"]
    later = signature.due.value + timedelta(weeks=2)
    return Typed(_cell(plan, legal, Column.DUE), later.isoformat(), counsel.email or "")
