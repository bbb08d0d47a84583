"""The sample deal `mutualplan demo` starts with: a regulated buyer, dated from today, with named people,
two confirmations, and a confirmed date that moved (a slip and a voided confirmation in its history)."""

from __future__ import annotations

from datetime import date, timedelta

from mutualplan.adapters.local_workbook import LocalWorkbook
from mutualplan.adapters.templates import TemplateFolder
from mutualplan.app.stamping import new_plan_id, set_cell, stamp
from mutualplan.bootstrap.local import Local
from mutualplan.errors import WorkbookError
from mutualplan.plan.grid import a1
from mutualplan.plan.model import Plan, PlanRow
from mutualplan.plan.parse import parse
from mutualplan.plan.stamp import Deal, expand
from mutualplan.plan.template import TemplateError
from mutualplan.plan.vocabulary import Column

SELLER = "sam@vendor.example"
CUSTOMER_DOMAIN = "northwind.example"
TEMPLATE = "regulated-buyer"
# Role → (name, email): who fills each role of the template in the sample deal.
PEOPLE = {
    "Champion": ("Jane Doe", "jane@northwind.example"),
    "Economic buyer": ("Omar Haddad", "omar@northwind.example"),
    "Committee presenter": ("Priya Raman", "priya@northwind.example"),
    "Customer counsel": ("Luis Ortega", "luis@northwind.example"),
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


def soonest_go_live(today: date) -> date:
    """The first go-live the template fits from today."""
    template, go_live = TemplateFolder().named(TEMPLATE), today
    while True:
        try:
            expand(template, Deal(go_live), today)
        except TemplateError:
            go_live += timedelta(days=1)
            continue
        return go_live


def seed(local: Local, today: date) -> LocalWorkbook:
    """The sample deal, in a spreadsheet of its own; its history made by real edits and syncs."""
    workbook = local.workspace.create("Northwind Bank — credit-model monitoring")
    go_live = soonest_go_live(today) + timedelta(weeks=WEEKS_OF_SLACK)
    deal = Deal(
        go_live, "Credit-model monitoring", "Northwind Bank", CUSTOMER_DOMAIN, SELLER,
        "Model-risk sign-off before the regulator's March deadline",
    )  # fmt: skip
    stamp(workbook, TemplateFolder().named(TEMPLATE), deal, today, new_plan_id())
    local.sync(workbook)
    _name_people(workbook)
    local.sync(workbook)
    plan = parse(workbook.read("MAP")).plan
    for row in plan.rows[:2]:  # the champion confirms the first two steps
        set_cell(
            workbook,
            _cell(plan, row, Column.CONFIRMED_BY),
            "Jane Doe <jane@northwind.example>",
            "jane@northwind.example",
        )
        set_cell(workbook, _cell(plan, row, Column.CONFIRMED), "TRUE", "jane@northwind.example")
    local.sync(workbook)
    moved = plan.rows[1]
    later = (moved.due.value or today) + timedelta(days=5)
    set_cell(workbook, _cell(plan, moved, Column.DUE), later.isoformat(), "omar@northwind.example")
    local.sync(workbook)  # a slip, and the champion's confirmation voided
    return workbook


def _cell(plan: Plan, row: PlanRow, column: Column) -> str:
    name = plan.cell(row, column)
    if name is None:
        raise WorkbookError(f"the sample plan has no {column.value} column")
    return name


def _name_people(workbook: LocalWorkbook) -> None:
    """Put names where the template left roles: in the owner columns and on the Stakeholders tab."""
    plan = parse(workbook.read("MAP")).plan
    for row in plan.rows:
        for owner in row.owners:
            person = PEOPLE.get(owner.party.text.strip("[]"))
            cell = plan.cell(row, owner.column)
            if person and cell:
                set_cell(workbook, cell, f"{person[0]} <{person[1]}>", SELLER)
    for index, values in enumerate(workbook.read("Stakeholders").rows[1:], 2):
        role = str(values[3].value or "") if len(values) > 3 else ""
        if role in PEOPLE and not values[0].value:
            name, email = PEOPLE[role]
            set_cell(workbook, a1(index, 1), name, SELLER, tab="Stakeholders")
            set_cell(workbook, a1(index, 2), email, SELLER, tab="Stakeholders")
