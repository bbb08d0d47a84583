"""Naming people once: each role placeholder in the plan ("[Champion]") and the rows that hold it, and the
writes that put one person's name in every cell holding that role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mutualplan.errors import InputError
from mutualplan.plan.people.parties import Party, PartyKind, read_people_text
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import Grid
from mutualplan.plan.sheet.layout import Kind, SetCell, Value
from mutualplan.plan.sheet.model import Plan, Stakeholder


@dataclass(frozen=True, slots=True)
class RoleSlot:
    """A role the plan names instead of a person, the rows that name it, and who the Stakeholders tab
    says holds it (when one person's role there matches)."""

    role: str  # as written: "[Champion]"
    rows: tuple[int, ...]
    suggested: str = ""  # "Jane Doe <jane@acme.com>"


def role_slots(plan: Plan) -> list[RoleSlot]:
    """Every role placeholder in the owner columns, in the order the plan first names it."""
    rows: dict[str, list[int]] = {}
    for row in plan.rows:
        for owner in row.owners:
            if owner.party.kind is PartyKind.ROLE_SLOT:
                rows.setdefault(owner.party.text, []).append(row.sheet_row)
    return [
        RoleSlot(role, tuple(dict.fromkeys(found)), _holder(role, plan.stakeholders))
        for role, found in rows.items()
    ]


def _holder(role: str, people: tuple[Stakeholder, ...]) -> str:
    wanted = role.strip("[] ").casefold()
    holders = [person for person in people if person.role.strip().casefold() == wanted and person.email]
    return f"{holders[0].name} <{holders[0].email}>" if len(holders) == 1 else ""


def naming_writes(plan: Plan, grid: Grid, tab: str, chosen: Mapping[str, str]) -> list[SetCell]:
    """The cells to write so that each chosen role reads as its person, everywhere it stands: the role's
    text replaced in its cell (a cell naming two parties keeps the other)."""
    wanted = {role: person.strip() for role, person in chosen.items() if person.strip()}
    writes: list[SetCell] = []
    for row in plan.rows:
        for column in {owner.column for owner in row.owners if owner.party.text in wanted}:
            col = plan.columns[column]
            text = cell_text(grid.cell(row.sheet_row - 1, col))
            for role, person in wanted.items():
                text = text.replace(role, person)
            writes.append(SetCell(tab, row.sheet_row - 1, col, Value(Kind.PERSON, text)))
    return writes


def named_up_front(champion: str, team: str) -> dict[str, Party]:
    """The people a seller names when stamping, by role in lower case: the champion, and their own team
    as lines of "Role: Name <name@company.com>". A line that names nobody says what to write."""
    lines = [f"Champion: {champion}"] if champion.strip() else []
    lines += [line for line in team.splitlines() if line.strip()]
    found: dict[str, Party] = {}
    for line in lines:
        role, colon, who = line.partition(":")
        people = [party for party in read_people_text(who) if party.is_person and party.email and party.name]
        if not colon or not role.strip() or len(people) != 1:
            raise InputError(f"'{line.strip()[:80]}': write each person as Role: Name <name@company.com>")
        found[role.strip().casefold()] = people[0]
    return found
