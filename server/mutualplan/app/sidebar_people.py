"""The sidebar's People card: each role placeholder named once, written into every row that holds it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mutualplan.app.reading import read_plan
from mutualplan.app.services import Services
from mutualplan.app.sidebar import owned, sellers_plan
from mutualplan.app.sidebar_views import Opening
from mutualplan.app.syncing import sync_now
from mutualplan.errors import InputError
from mutualplan.plan.people.naming import RoleSlot, naming_writes, role_slots
from mutualplan.plan.sheet.model import Stakeholder
from mutualplan.plan.sheet.parse import parse


@dataclass(frozen=True, slots=True)
class PeopleView:
    """The roles to name, and the people on the Stakeholders tab to pick from."""

    roles: tuple[RoleSlot, ...]
    people: tuple[Stakeholder, ...]


def people(services: Services, opening: Opening) -> PeopleView:
    """The plan's role placeholders, each with its rows and a suggested person."""
    access, record = sellers_plan(services, opening)
    plan = read_plan(access.workbook, record.tabs).plan()
    listed = tuple(person for person in plan.stakeholders if person.email)
    return PeopleView(tuple(role_slots(plan)), listed)


def name_people(services: Services, opening: Opening, chosen: Mapping[str, str]) -> str:
    """Write each chosen person into every row that holds their role, in one write, then sync: what
    changed, in a sentence."""
    access, record = sellers_plan(services, opening)
    tab = record.tabs.map
    grid = access.workbook.read(tab)
    writes = naming_writes(parse(grid).plan, grid, tab, chosen)
    if not writes:
        raise InputError("Pick or type a person for at least one role, then Save")
    user = services.platform.user_email(opening.token)
    access.workbook.apply(writes, editor=user)
    owner = owned(services, opening, access, record)
    sync_now(services, owner.workbook, owner.editors, record)
    named = sum(1 for person in chosen.values() if person.strip())
    return f"Named {named} {'role' if named == 1 else 'roles'} in {len(writes)} cells"
