"""The sample deal `mutualplan demo` starts with: a regulated buyer, dated from today, with named people,
two confirmations, and a confirmed date that moved (a slip and a voided confirmation in its history)."""

from __future__ import annotations

from datetime import date, timedelta

from mutualplan.app.local import edit_cell, new_local_plan, record_of
from mutualplan.app.records import AccountRecord, AccountStatus, PlanRecord
from mutualplan.app.services import Services
from mutualplan.errors import WorkbookError
from mutualplan.plan.dates.stamp import Deal, soonest_go_live
from mutualplan.plan.sheet.grid import a1
from mutualplan.plan.sheet.model import Plan, PlanRow
from mutualplan.plan.sheet.parse import parse
from mutualplan.plan.sheet.vocabulary import Column

SELLER = "sam@vendor.example"
CHAMPION = "jane@northwind.example"
CUSTOMER_DOMAIN = "northwind.example"
TEMPLATE = "regulated-buyer"
# Role → (name, email): who fills each role of the template in the sample deal.
PEOPLE = {
    "Champion": ("Jane Doe", "jane@northwind.example"),
    "Economic buyer": ("Omar Haddad", "omar@northwind.example"),
    "Committee presenter": ("Priya Raman", "priya@northwind.example"),
    "Customer counsel": ("Luis Ortega", "luis@northwind.example"),
    "Data protection officer": ("Ines Moreau", "ines@northwind.example"),
    "Model-risk owner": ("Grace Chen", "grace@northwind.example"),
    "Project lead": ("Daniel Okafor", "daniel@northwind.example"),
    "Security owner": ("Kim Rao", "kim@northwind.example"),
    "Signatory": ("Sara Brandt", "sara@northwind.example"),
    "Sourcing lead": ("Tom Reyes", "tom@northwind.example"),
    "Technical evaluator": ("Mia Lind", "mia@northwind.example"),
    "Third-party risk owner": ("Noor Aziz", "noor@northwind.example"),
    "Account executive": ("Sam Lee", SELLER),
    "Customer success manager": ("Ana Ruiz", "ana@vendor.example"),
    "Implementation engineer": ("Ben Ito", "ben@vendor.example"),
    "Implementation manager": ("Eva Novak", "eva@vendor.example"),
    "Security engineer": ("Raj Patel", "raj@vendor.example"),
    "Solutions engineer": ("Lena Vogel", "lena@vendor.example"),
    "Vendor counsel": ("Marc Dubois", "marc@vendor.example"),
}
WEEKS_OF_SLACK = 2  # the go-live is this far past the soonest the template fits
WEEKS_BEFORE_DEADLINE = 8  # the regulator's deadline, after the go-live


def seed(services: Services, today: date) -> PlanRecord:
    """The sample deal, in a spreadsheet of its own; its history made by real edits, each synced."""
    go_live = soonest_go_live(services.templates.named(TEMPLATE), today) + timedelta(weeks=WEEKS_OF_SLACK)
    deal = Deal(
        go_live, "Credit-model monitoring", "Northwind Bank", CUSTOMER_DOMAIN, SELLER,
        "Every credit-risk model monitored in production before the regulator's deadline",
        external_deadline=go_live + timedelta(weeks=WEEKS_BEFORE_DEADLINE),
    )  # fmt: skip
    record = new_local_plan(services, TEMPLATE, deal, today, "Northwind Bank — credit-model monitoring")
    _name_people(services, record)
    sheet, _ = record_of(services, record.id)
    plan = parse(sheet.read(record.tabs.map)).plan
    for row in plan.rows[:2]:  # the champion confirms the first two steps
        edit_cell(
            services,
            record.id,
            _cell(plan, row, Column.CONFIRMED_BY),
            "Jane Doe <jane@northwind.example>",
            CHAMPION,
        )
        edit_cell(services, record.id, _cell(plan, row, Column.CONFIRMED), "TRUE", CHAMPION)
    moved = plan.rows[1]
    later = (moved.due.value or today) + timedelta(days=5)
    # The economic buyer moves a confirmed date: a slip, and the champion's confirmation voided.
    edit_cell(
        services, record.id, _cell(plan, moved, Column.DUE), later.isoformat(), "omar@northwind.example"
    )
    services.store.save_account(AccountRecord(SELLER, None, AccountStatus.CONNECTED, services.now()))
    return record


def _cell(plan: Plan, row: PlanRow, column: Column) -> str:
    name = plan.cell(row, column)
    if name is None:
        raise WorkbookError(f"the sample plan has no {column.value} column")
    return name


def _name_people(services: Services, record: PlanRecord) -> None:
    """Put names where the template left roles: in the owner columns, on the Stakeholders tab and as the
    risks' owners."""
    sheet, _ = record_of(services, record.id)
    stakeholders_tab = record.tabs.stakeholders
    plan = parse(sheet.read(record.tabs.map)).plan
    for row in plan.rows:
        for owner in row.owners:
            person = PEOPLE.get(owner.party.text.strip("[]"))
            cell = plan.cell(row, owner.column)
            if person and cell:
                edit_cell(services, record.id, cell, f"{person[0]} <{person[1]}>", SELLER)
    for index, values in enumerate(sheet.read(stakeholders_tab).rows[1:], 2):
        role = str(values[3].value or "") if len(values) > 3 else ""
        if role in PEOPLE and not values[0].value:
            name, email = PEOPLE[role]
            edit_cell(services, record.id, a1(index, 1), name, SELLER, tab=stakeholders_tab)
            edit_cell(services, record.id, a1(index, 2), email, SELLER, tab=stakeholders_tab)
    risks_tab = record.tabs.risks
    for index, values in enumerate(sheet.read(risks_tab).rows[1:], 2):
        person = PEOPLE.get(str(values[1].value or "").strip("[]")) if len(values) > 1 else None
        if person:
            edit_cell(services, record.id, a1(index, 2), f"{person[0]} <{person[1]}>", SELLER, tab=risks_tab)
